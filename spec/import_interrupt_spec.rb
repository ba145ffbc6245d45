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

  # Runs the import until its first copy shows, sends SIGINT; [exit status, stderr lines].
  def import_until_first_copy
    lines = []
    Open3.popen3(env, RbConfig.ruby, exe, *args) do |_in, out, err, wait|
      while (line = err.gets)
        lines << line
        break if line.start_with?("copy ")
      end
      Process.kill("INT", wait.pid)
      lines.concat(err.readlines)
      out.read
      [wait.value.exitstatus, lines.map(&:chomp)]
    end
  end

  it "stops on SIGINT while copying, records the copies made, and the next run copies the rest once" do
    # 100 photos of about 1 MB (a camera's preview after the picture): seconds of checked
    # copies on one thread, so the signal lands while they go on.
    photos = distinct_jpegs(drive, 100, trailer: Random.new(1).bytes(1 << 20))
    on_drive = photos.to_h { |p| [Digest::MD5.file(p).hexdigest, File.basename(p)] }
    status, lines = import_until_first_copy
    expect(status).to eq(130), lines.join("\n")
    said = lines.reject { |l| l.empty? || l.match?(%r{\A(read|copy) .*\] \d+/\d+ files}) }
    expect(said).to eq(["photosync: interrupted; finished work is recorded"])

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
end
