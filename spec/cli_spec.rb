# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"

RSpec.describe "the photosync command" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:env) { { "XDG_CACHE_HOME" => File.join(tmpdir, "cache"), "XDG_DATA_HOME" => File.join(tmpdir, "data") } }

  def run(*args)
    Open3.capture3(env, RbConfig.ruby, exe, *args)
  end

  it "writes a sample library with cameras, a duplicate, a broken file and litter" do
    dir = File.join(tmpdir, "samples")
    out, _err, status = run("samples", dir)
    expect(status.exitstatus).to eq(0)
    expect(out).to match(/wrote \d+ files/)
    photos = Photosync.scan(dir, catalog: nil)
    expect(photos.map(&:make).compact.uniq.size).to be >= 3
    expect(photos.group_by(&:md5).values.map(&:size).max).to eq(2)
    expect(photos.count(&:error)).to be >= 1
    expect(photos.skipped).to be >= 1
    expect(photos.map(&:taken_at_source).uniq).to include(:exif, :filename, :mtime)
  end

  it "scans the sample library when no folder is given, and reads nothing the second time" do
    out, err, status = run("scan")
    expect(status.exitstatus).to eq(0), err
    expect(err).to match(/wrote a sample library/)
    expect(out).to match(/(\d+) media files .* (\1) read, 0 unchanged/)
    out2, = run("scan")
    expect(out2).to match(/(\d+) media files .* 0 read, (\1) unchanged/)
  end

  it "prints one JSON object per photo with --json" do
    lib = File.join(tmpdir, "lib")
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"], lib)
    out, err, status = run("scan", lib, "--catalog", File.join(tmpdir, "c.sqlite3"), "--json")
    expect(status.exitstatus).to eq(0)
    rows = out.lines.map { |l| JSON.parse(l) }
    expect(rows.size).to eq(2)
    expect(rows.first).to include("md5" => Digest::MD5.file(File.join(lib, "jpg/Canon_40D.jpg")).hexdigest,
                                  "make" => "Canon", "taken_at_source" => "exif")
    expect(err).to match(/2 media files/)
  end

  it "writes plain progress lines to stderr when it is not a terminal (cron), at the interval asked" do
    lib = File.join(tmpdir, "lib")
    archive = File.join(tmpdir, "archive")
    FileUtils.mkdir_p(archive)
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"], lib)
    env["PHOTOSYNC_PROGRESS_EVERY"] = "0"
    out, err, status = run("sync", lib, "--to", "archive:#{archive}", "--catalog", File.join(tmpdir, "c.sqlite3"))
    expect(status.exitstatus).to eq(0), err
    expect(err.lines.grep(%r{\A(scan|archive) \[#* *\] \d/2 files})).not_to be_empty
    expect(err + out).not_to include("\r", "\e[")
    env["PHOTOSYNC_PROGRESS_EVERY"] = "3600"
    _out, quiet, = run("sync", lib, "--to", "archive:#{archive}", "--catalog", File.join(tmpdir, "c.sqlite3"))
    expect(quiet).not_to match(/files  .*ETA/)
  end

  it "explains a missing folder in one line, without a backtrace" do
    _out, err, status = run("scan", File.join(tmpdir, "missing"), "--catalog", File.join(tmpdir, "c.sqlite3"))
    expect(status.exitstatus).to eq(1)
    expect(err).to match(/\Aphotosync: cannot scan .*missing/)
    expect(err.lines.size).to eq(1)
  end

  it "rejects an unknown command with usage" do
    _out, err, status = run("frobnicate")
    expect(status.exitstatus).to eq(1)
    expect(err).to include("usage: photosync")
  end
end
