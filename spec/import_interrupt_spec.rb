# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require_relative "support/pictures"

# Ctrl-C during `photosync import`: no copy starts after it, the copies in flight finish
# and every finished one is recorded, the process exits 130 with one line; the next run
# copies the rest, each photo once.
RSpec.describe "Interrupting an import" do
  include DistinctJpegs

  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:library) { File.join(tmpdir, "library").tap { |d| FileUtils.mkdir_p(d) } }
  let(:drive) { File.join(tmpdir, "drive") }
  # Progress lines as they come, not every 10 s as in a log.
  let(:env) { { "XDG_DATA_HOME" => File.join(tmpdir, "data"), "PHOTOSYNC_PROGRESS_EVERY" => "0" } }
  let(:args) { ["import", drive, "--into", library, "--catalog", catalog, "-j", "1"] }

  # Runs the import until a progress line starts with `phase`, sends SIGINT `times`
  # times; [exit status, stderr lines].
  def import_until(phase, times: 1)
    lines = []
    Open3.popen3(env, RbConfig.ruby, exe, *args) do |_in, out, err, wait|
      while (line = err.gets)
        lines << line
        break if line.start_with?("#{phase} ")
      end
      times.times { Process.kill("INT", wait.pid) }
      lines.concat(err.readlines)
      out.read
      [wait.value.exitstatus, lines.map(&:chomp)]
    end
  end

  def import_until_first_copy = import_until("copy")

  # What an interrupted run said besides its progress lines.
  def said(lines) = lines.reject { |l| l.empty? || l.match?(%r{\A(read|copy) .*\] \d+/\d+ files}) }

  # The rerun: exit 0, it imports `count` photos, and the library ends with each photo
  # of the drive once, and no temporary.
  def rerun_completes(on_drive, count)
    out, err, st = Open3.capture3(env, RbConfig.ruby, exe, *args, "--json")
    expect(st.exitstatus).to eq(0), err
    expect(JSON.parse(out)["imported"]).to eq(count)
    expect(md5s_under(library).values.sort).to eq(on_drive.keys.sort)
    expect(Dir.glob("#{library}/**/.photosync-*", File::FNM_DOTMATCH)).to be_empty
  end

  it "stops on SIGINT while copying, records the copies made, and the next run copies the rest once" do
    # 100 photos of about 1 MB (a camera's preview after the picture): seconds of checked
    # copies on one thread, so the signal lands while they go on.
    photos = distinct_jpegs(drive, 100, trailer: Random.new(1).bytes(1 << 20))
    on_drive = photos.to_h { |p| [Digest::MD5.file(p).hexdigest, File.basename(p)] }
    status, lines = import_until_first_copy
    expect(status).to eq(130), lines.join("\n")
    expect(said(lines)).to eq(["photosync: interrupted; finished work is recorded"])

    # Only whole photos, each under its real name: no partial file, no temporary.
    held = md5s_under(library)
    expect(held.size).to be_between(1, 99)
    held.each { |rel, md5| expect(File.basename(rel)).to eq(on_drive[md5]) }
    # Each copy is in the catalog: a scan of the library reads none of them again.
    scan = Photosync.scan(library, catalog: catalog)
    expect([scan.size, scan.hashed]).to eq([held.size, 0])

    out, err, st = Open3.capture3(env, RbConfig.ruby, exe, *args, "--json")
    expect(st.exitstatus).to eq(0), err
    json = JSON.parse(out)
    expect([json["imported"], json["sources"].first["in_library"]]).to eq([100 - held.size, held.size])
    after = md5s_under(library)
    expect(after.values.sort).to eq(on_drive.keys.sort)
    expect(after.slice(*held.keys)).to eq(held)
  end

  it "stops on SIGINT while reading the drive: nothing copied, and the next run imports everything" do
    # 200 photos of about 1 MB: reading them on one thread outlasts the signal.
    photos = distinct_jpegs(drive, 200, trailer: Random.new(2).bytes(1 << 20))
    on_drive = photos.to_h { |p| [Digest::MD5.file(p).hexdigest, File.basename(p)] }
    status, lines = import_until("read")
    expect(status).to eq(130), lines.join("\n")
    expect(said(lines)).to eq(["photosync: interrupted; finished work is recorded"])
    expect(lines.grep(/\Acopy /)).to be_empty
    expect(Dir.glob("#{library}/**/*", File::FNM_DOTMATCH).select { |f| File.file?(f) }
              .reject { |f| File.basename(f) == ".photosync.lock" }).to be_empty
    rerun_completes(on_drive, 200)
  end

  it "cuts the copies in flight on a second SIGINT: no partial file under a real name, the next run mends it" do
    photos = distinct_jpegs(drive, 100, trailer: Random.new(3).bytes(1 << 20))
    on_drive = photos.to_h { |p| [Digest::MD5.file(p).hexdigest, File.basename(p)] }
    status, lines = import_until("copy", times: 2)
    expect(status).to eq(130), lines.join("\n")
    expect(said(lines).last).to start_with("photosync: interrupted")
    # A copy cut short may leave its temporary (the rerun removes it), never a real name.
    held = md5s_under(library).reject { |rel, _| File.basename(rel).start_with?(".photosync-") }
    expect(held.size).to be < 100
    held.each { |rel, md5| expect(File.basename(rel)).to eq(on_drive[md5]) }
    rerun_completes(on_drive, 100 - held.size)
  end
end
