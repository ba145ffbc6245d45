# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"

# The archive destination end to end, through the native extension: Photosync.sync
# into an archive folder, with Flickr in the same run, from the CLI, killed mid-copy,
# and verify.
module ArchiveHelpers
  def exe = File.expand_path("../exe/photosync", __dir__)
  def library = File.join(tmpdir, "library")
  def catalog = File.join(tmpdir, "catalog.sqlite3")

  def archive_root
    @archive_root ||= File.join(tmpdir, "archive").tap { |d| FileUtils.mkdir_p(d) }
  end

  # n photos of about `size` bytes, each with bytes (an MD5) of its own.
  def distinct_photos(n, size: 2000)
    FileUtils.mkdir_p(library)
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    rng = Random.new(7)
    n.times do |i|
      padding = size > canon.bytesize ? rng.bytes(size - canon.bytesize) : ""
      File.binwrite(File.join(library, format("photo%03d.jpg", i)), canon + padding + "distinct #{i}")
    end
    Dir[File.join(library, "*")].to_h { |f| [Digest::MD5.file(f).hexdigest, f] }
  end
end

RSpec.describe "Photosync.sync to an archive" do
  include ArchiveHelpers

  let(:names) { ["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"] }

  it "copies every photo once into YYYY/MM/DD/name; a second run copies nothing" do
    copy_fixtures(names, library)
    archive = Photosync::Archive.new(archive_root)
    events = []
    report = Photosync.sync(library, to: archive, catalog: catalog) { |e| events << e }
    expect(report).to be_a(Photosync::ArchiveReport)
    expect(report.copied).to eq(3)
    expect(report.ok?).to be(true)
    expect(events.map(&:kind)).to include(:planned, :copied, :finished)
    expect(events.select { |e| e.kind == :copied }.map(&:destination).uniq).to eq([archive.to_s])

    held = md5s_under(archive_root)
    expect(held.keys).to include("2008/05/30/Canon_40D.jpg")
    canon = Digest::MD5.file(File.join(library, "jpg/Canon_40D.jpg")).hexdigest
    expect(held["2008/05/30/Canon_40D.jpg"]).to eq(canon)
    expect(held.values.sort).to eq(Dir[File.join(library, "**/*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort)

    again = Photosync.sync(library, to: archive, catalog: catalog)
    expect([again.copied, again.already_there]).to eq([0, 3])
    expect(md5s_under(archive_root)).to eq(held)
    expect(archive.verify(catalog: catalog).ok?).to be(true)
  end

  it "follows a layout pattern, and refuses a bad one before doing anything" do
    copy_fixtures(names.first(1), library)
    Photosync.sync(library, to: Photosync::Archive.new(archive_root, layout: "%c/%Y/%f-%h.%e"), catalog: catalog)
    md5 = Digest::MD5.file(File.join(library, names.first)).hexdigest
    expect(md5s_under(archive_root).keys).to eq(["Canon EOS 40D/2008/Canon_40D-#{md5[0, 8]}.jpg"])
    expect { Photosync::Archive.new(archive_root, layout: "%Y/%m") }.to raise_error(ArgumentError, /must name the file/)
    file = File.join(tmpdir, "not-a-folder.txt")
    File.write(file, "x")
    expect { Photosync::Archive.new(file) }.to raise_error(ArgumentError, /archive:.*not-a-folder.txt is not a folder/)
    expect { Photosync::Archive.new("  ") }.to raise_error(ArgumentError, /needs a folder path/)
  end

  it "refuses an archive folder that is not there (an unmounted drive) and creates nothing" do
    copy_fixtures(names.first(1), library)
    gone = File.join(tmpdir, "media", "backup")
    expect { Photosync.sync(library, to: Photosync::Archive.new(gone), catalog: catalog) }
      .to raise_error(Photosync::ArchiveError, /is the drive mounted/)
    expect(File.exist?(gone)).to be(false)
  end
end

RSpec.describe "Photosync.sync to Flickr and an archive at once" do
  include ArchiveHelpers

  it "scans once and feeds both, with a report per destination; a second run does nothing" do
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/Fujifilm_FinePix6900ZOOM.jpg"], library)
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      archive = Photosync::Archive.new(archive_root)
      kinds = Hash.new { |h, k| h[k] = [] }
      reports = Photosync.sync(library, to: [flickr, archive], catalog: catalog, calls_per_hour: 1_000_000) do |e|
        kinds[e.class] << e.kind
      end
      expect(reports).to be_a(Photosync::SyncReports)
      expect(reports.ok?).to be(true)
      expect(reports.scan[:hashed]).to eq(3) # one read per file, for both destinations
      expect(reports[flickr].uploaded).to eq(3)
      expect(reports[archive].copied).to eq(3)
      expect(reports.map(&:first)).to eq([archive.to_s, "flickr"])
      expect(kinds[Photosync::SyncEvent]).to include(:uploaded)
      expect(kinds[Photosync::ArchiveEvent]).to include(:copied)
      local = Dir[File.join(library, "**/*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
      expect(emu.photos.map(&:md5).sort).to eq(local)
      expect(md5s_under(archive_root).values.sort).to eq(local)

      again = Photosync.sync(library, to: [flickr, archive], catalog: catalog, calls_per_hour: 1_000_000)
      expect([again[flickr].uploaded, again[archive].copied, again.scan[:hashed]]).to eq([0, 0, 0])
    end
  end
end

RSpec.describe "photosync sync --to archive:PATH and photosync verify" do
  include ArchiveHelpers

  def photosync(*args, env: {})
    Open3.capture3({ "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg") }.merge(env), RbConfig.ruby, exe, *args)
  end

  it "copies with --to archive:PATH, and with --to flickr --to archive:PATH feeds both" do
    photos = distinct_photos(4)
    out, err, status = photosync("sync", library, "--to", "archive:#{archive_root}", "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("archive:#{File.realpath(archive_root)}: 4 copied")
    expect(md5s_under(archive_root).values.sort).to eq(photos.keys.sort)

    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      second = File.join(tmpdir, "second").tap { |d| FileUtils.mkdir_p(d) }
      out, err, status = photosync("sync", library, "--to", "flickr", "--to", "archive:#{second}",
                                   "--layout", "%Y/%f.%e", "--catalog", catalog, "--json", env: emu.env)
      expect(status.exitstatus).to eq(0), err
      json = JSON.parse(out.lines.last)
      expect(json["destinations"]["flickr"]["uploaded"]).to eq(4)
      expect(json["destinations"]["archive:#{File.realpath(second)}"]["copied"]).to eq(4)
      expect(emu.photos.map(&:md5).sort).to eq(photos.keys.sort)
      expect(md5s_under(second).keys).to all(match(%r{\A\d{4}/photo\d{3}\.jpg\z}))
    end
  end

  it "verify finds a flipped byte, a deleted file and an unknown file, and exits non-zero" do
    distinct_photos(4, size: 50_000)
    Photosync.sync(library, to: Photosync::Archive.new(archive_root), catalog: catalog)
    out, err, status = photosync("verify", "archive:#{archive_root}", "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("4 files read", "all intact")

    files = md5s_under(archive_root).keys.sort.map { |rel| File.join(archive_root, rel) }
    flipped, deleted = files
    bytes = File.binread(flipped)
    bytes.setbyte(30_000, bytes.getbyte(30_000) ^ 0x40)
    File.binwrite(flipped, bytes)
    File.delete(deleted)
    unknown = File.join(File.dirname(flipped), "stray.jpg")
    File.write(unknown, "not copied by photosync")

    out, err, status = photosync("verify", "archive:#{archive_root}", "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(2), err
    report = JSON.parse(out)
    real = ->(p) { File.join(File.realpath(File.dirname(p)), File.basename(p)) }
    expect(report["ok"]).to be(false)
    expect(report["corrupted"].map { |c| c["path"] }).to eq([real[flipped]])
    expect(report["missing"]).to eq([File.join(File.realpath(archive_root), deleted.delete_prefix("#{archive_root}/"))])
    expect(report["unknown"]).to eq([real[unknown]])

    out, _err, status = photosync("verify", "archive:#{archive_root}", "--catalog", catalog)
    expect(status.exitstatus).to eq(2)
    expect(out).to include("PROBLEMS FOUND", "1 missing, 1 corrupted, 1 unknown")
  end
end

RSpec.describe "Killing an archive run" do
  include ArchiveHelpers

  it "stops on SIGINT with finished copies recorded; the next run copies the rest, each once" do
    photos = distinct_photos(40, size: 3_000_000)
    real_files = -> { Dir.glob("**/*.jpg", base: archive_root).size }
    Open3.popen3(RbConfig.ruby, exe, "sync", library, "--to", "archive:#{archive_root}", "--catalog", catalog) do |_in, out, err, wait|
      sleep 0.01 until real_files.call >= 2 || !wait.alive?
      Process.kill("INT", wait.pid)
      expect(wait.value.exitstatus).to eq(130)
      expect(err.read).to include("interrupted; finished work is recorded")
      out.read
    end
    stopped_at = real_files.call
    expect(stopped_at).to be < 40

    out, err, status = Open3.capture3(RbConfig.ruby, exe, "sync", library, "--to", "archive:#{archive_root}",
                                      "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("#{40 - stopped_at} copied")
    expect(md5s_under(archive_root).values.sort).to eq(photos.keys.sort)
  end

  it "never leaves a partial file under a real name, at any stage; the next clean run finishes" do
    photos = distinct_photos(40, size: 3_000_000)
    files_in_archive = -> { Dir.glob("**/*", File::FNM_DOTMATCH, base: archive_root).count { |f| File.file?(File.join(archive_root, f)) } }
    rng = Random.new(5)
    killed = 0
    6.times do |round|
      before = files_in_archive.call
      pid = Process.spawn(RbConfig.ruby, exe, "sync", library, "--to", "archive:#{archive_root}", "--catalog", catalog,
                          out: File::NULL, err: File::NULL)
      # Wait for this run to touch the archive (a temporary or a new copy), then kill
      # it a random moment later: before, during and after copies, renames and records.
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 30
      sleep 0.005 until files_in_archive.call > before + round || Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
      sleep rng.rand * 0.05
      Process.kill("KILL", pid)
      _, status = Process.wait2(pid)
      killed += 1 if status.signaled?

      md5s_under(archive_root).each do |rel, md5|
        # A temporary (a photo's or the catalog copy's), under no real name.
        next if File.basename(rel).start_with?(".photosync-", ".catalog-")

        expect(photos).to have_key(md5), "round #{round}: #{rel} is not a whole photo"
      end
    end
    expect(killed).to be >= 3

    _out, err, status = Open3.capture3(RbConfig.ruby, exe, "sync", library, "--to", "archive:#{archive_root}",
                                       "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    held = md5s_under(archive_root)
    expect(held.keys.grep(/\.photosync-|\.partial\z/)).to eq([])
    expect(held.values.sort).to eq(photos.keys.sort)
    expect(Photosync::Archive.new(archive_root).verify(catalog: catalog).ok?).to be(true)
  end
end
