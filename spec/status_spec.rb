# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"

# `photosync status`: a library synced to Flickr and an archive (not Google Photos)
# has two remote copies and the local one of every photo.
RSpec.describe "Where every photo lives" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:library) { File.join(tmpdir, "library") }
  let(:drive) { File.join(tmpdir, "drive") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }

  it "counts the local, archive and Flickr copies; --min-copies 3 lists the photo with one copy and exits non-zero" do
    FileUtils.mkdir_p([library, drive])
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    5.times { |i| File.binwrite(File.join(library, "IMG_#{i}.jpg"), canon + "photo #{i}") }
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      Photosync.sync(library, to: [flickr, Photosync::Archive.new(drive)], catalog: catalog,
                              calls_per_hour: 1_000_000)
      File.binwrite(File.join(library, "new.jpg"), canon + "not backed up yet")
      Photosync.scan(library, catalog: catalog)

      s = Photosync.status(root: library, catalog: catalog)
      expect(s.by_copies).to eq(3 => 5, 1 => 1)
      backed = s.photos.find { |p| p.local.first.end_with?("IMG_0.jpg") }
      expect(backed.remote.map { |c| c[:backend].split(":").first }.sort).to eq(%w[archive flickr])
      short = Photosync.status(root: library, catalog: catalog, below: 3)
      expect([short.total, short.by_copies, short.photos.map(&:copies)]).to eq([6, { 3 => 5, 1 => 1 }, [1]])

      out, err, status = Open3.capture3(RbConfig.ruby, exe, "status", library, "--catalog", catalog)
      expect(status.exitstatus).to eq(0), err
      expect(out).to include("6 photos: 5 with 3+ copies, 0 with 2, 1 with 1")

      out, _err, status = Open3.capture3(RbConfig.ruby, exe, "status", library, "--catalog", catalog,
                                         "--min-copies", "3", "--json")
      expect(status.exitstatus).to eq(2)
      photos = JSON.parse(out)["photos"]
      expect(photos.count { |p| p["copies"] < 3 }).to eq(1)
      expect(photos.find { |p| p["copies"] == 1 }["local"].first).to end_with("new.jpg")
    end
  end

  it "counts a Google Photos copy as one more backend: 4 copies after a gphotos sync, the rest unchanged" do
    FileUtils.mkdir_p([library, drive])
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    3.times { |i| File.binwrite(File.join(library, "IMG_#{i}.jpg"), canon + "photo #{i}") }
    Photosync.sync(library, to: Photosync::Archive.new(drive), catalog: catalog)
    expect(Photosync.status(root: library, catalog: catalog).by_copies).to eq(2 => 3)

    Photosync::GooglePhotosEmulator.start do |emu|
      gphotos = Photosync::GooglePhotos.new(**emu.credentials, rate_limit_wait: 0.01, backoff: 0.005)
      File.binwrite(File.join(library, "late.jpg"), canon + "after the archive")
      expect(Photosync.sync(library, to: gphotos, catalog: catalog).uploaded).to eq(4)
    end
    s = Photosync.status(root: library, catalog: catalog)
    expect(s.by_copies).to eq(3 => 3, 2 => 1)
    late = s.photos.find { |p| p.local.first.end_with?("late.jpg") }
    expect(late.remote.map { |c| c[:backend].split(":").first }).to eq(%w[gphotos])
    out, _err, status = Open3.capture3(RbConfig.ruby, exe, "status", library, "--catalog", catalog,
                                       "--min-copies", "3")
    expect(status.exitstatus).to eq(2)
    expect(out).to include("4 photos: 3 with 3+ copies, 1 with 2, 0 with 1", "1 photos with fewer than 3 copies")
  end
end
