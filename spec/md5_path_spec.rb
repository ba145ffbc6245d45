# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"

RSpec.describe "the MD5 path (Photosync.md5_path, photosync version, verify archive:)" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:lib) { File.expand_path("../lib", __dir__) }
  let(:paths) { %w[scalar avx2 avx512] }

  it "is one of scalar, avx2 and avx512, and `photosync version` shows it" do
    expect(paths).to include(Photosync.md5_path)
    out, err, status = Open3.capture3(RbConfig.ruby, exe, "version")
    expect(status.exitstatus).to eq(0), err
    expect(out.lines(chomp: true)).to eq(["photosync #{Photosync::VERSION}", "md5: #{Photosync.md5_path}"])
  end

  it "can be lowered with PHOTOSYNC_MD5, and every path scans the fixtures to md5sum's hashes" do
    copy_fixtures(FIXTURE_IMAGES, File.join(tmpdir, "photos"))
    scan = "r = Photosync.scan(ARGV[0], catalog: nil); " \
           "puts JSON.generate(path: Photosync.md5_path, md5: r.to_h { |p| [p.path, p.md5] })"
    seen = paths.map do |path|
      out, err, status = Open3.capture3({ "PHOTOSYNC_MD5" => path }, RbConfig.ruby, "-I", lib, "-rphotosync",
                                        "-rjson", "-e", scan, File.join(tmpdir, "photos"))
      expect(status).to be_success, err
      got = JSON.parse(out)
      got["md5"].each { |file, md5| expect(md5).to eq(Digest::MD5.file(file).hexdigest), "#{path}: #{file}" }
      expect(got["md5"].size).to eq(FIXTURE_IMAGES.size)
      got["path"]
    end
    # A path the CPU lacks gives the fastest it has; scalar is always there.
    expect(seen.first).to eq("scalar")
    expect(seen.last).to eq(Photosync.md5_path)
  end

  it "every path verifies an archive to the hashes its copies were checked with, and finds a flipped byte" do
    library = File.join(tmpdir, "library")
    archive = File.join(tmpdir, "archive")
    catalog = File.join(tmpdir, "catalog.sqlite3")
    FileUtils.mkdir_p([library, archive])
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    rng = Random.new(16)
    # Lengths around MD5's 64-byte blocks past the photo, and one of several MB.
    [0, 1, 55, 56, 63, 64, 65, 3_000_007].each_with_index do |extra, i|
      File.binwrite(File.join(library, "p#{i}.jpg"), canon + rng.bytes(extra) + i.chr)
    end
    Photosync.sync(library, to: Photosync::Archive.new(archive), catalog: catalog)
    copies = md5s_under(archive).keys.sort.map { |rel| File.join(archive, rel) }
    expect(copies.size).to eq(8)
    flipped = copies.max_by { |f| File.size(f) }
    bytes = File.binread(flipped)
    bytes.setbyte(2_000_000, bytes.getbyte(2_000_000) ^ 0x04)
    File.binwrite(flipped, bytes)

    paths.each do |path|
      out, err, status = Open3.capture3({ "PHOTOSYNC_MD5" => path }, RbConfig.ruby, exe, "verify", "archive:#{archive}",
                                        "--catalog", catalog, "--json")
      expect(status.exitstatus).to eq(2), "#{path}: #{err}"
      report = JSON.parse(out)
      expect(report["corrupted"].map { |c| File.basename(c["path"]) }).to eq([File.basename(flipped)]), path
      expect(report["corrupted"].first["found"]).to eq(Digest::MD5.file(flipped).hexdigest), path
      expect(report.values_at("missing", "unknown", "unreadable")).to all(be_empty), path
    end
  end
end
