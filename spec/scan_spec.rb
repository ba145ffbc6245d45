# frozen_string_literal: true

require "spec_helper"
require "pathname"

RSpec.describe "Photosync.scan" do
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }

  before do
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg",
                   "heic/IMG_5195.HEIC", "tiff/Arbitro.tiff"], library)
  end

  it "returns a Photo per media file with its MD5, EXIF date, camera and size" do
    photos = Photosync.scan(library, catalog: catalog)
    expect(photos).to be_an(Array)
    expect(photos.map { |p| File.basename(p.path) })
      .to contain_exactly("Canon_40D.jpg", "Nikon_D70.jpg", "sanyo-vpcsx550.jpg", "IMG_5195.HEIC", "Arbitro.tiff")
    expect(photos.map(&:path)).to eq(photos.map(&:path).sort)
    canon = photos.find { |p| p.path.end_with?("Canon_40D.jpg") }
    path = File.join(library, "jpg/Canon_40D.jpg")
    expect(canon.md5).to eq(Digest::MD5.file(path).hexdigest)
    expect(canon.size).to eq(File.size(path))
    expect(canon.mtime).to eq(File.mtime(path))
    expect(canon.make).to eq("Canon")
    expect(canon.model).to eq("Canon EOS 40D")
    expect(canon.taken_at).to eq(Time.local(2008, 5, 30, 15, 56, 1))
    expect(canon.taken_at_source).to eq(:exif)
    expect(canon.error).to be_nil
  end

  it "honours the EXIF UTC offset (OffsetTimeOriginal) of a phone photo" do
    heic = Photosync.scan(library, catalog: nil).find { |p| p.path.end_with?(".HEIC") }
    expect(heic.taken_at.utc_offset).to eq(-5 * 3600)
    expect(heic.taken_at).to eq(Time.new(2021, 4, 11, 15, 47, 53 + Rational(54, 1000), "-05:00"))
    # SubSecTimeOriginal is "054" (exiftool: SubSecDateTimeOriginal 2021:04:11 15:47:53.054-05:00)
  end

  it "reports files and bytes done and total to the block, on the calling thread" do
    seen = []
    caller = Thread.current
    Photosync.scan(library, catalog: nil) { |p| seen << [p.dup, Thread.current == caller] }
    expect(seen).not_to be_empty
    expect(seen.map(&:last).uniq).to eq([true])
    last = seen.last.first
    expect(last.files_done).to eq(5)
    expect(last.files_total).to eq(5)
    expect(last.bytes_done).to eq(last.bytes_total)
    expect(last.bytes_total).to eq(Dir[File.join(library, "**/*.*")].sum { |f| File.size(f) })
  end

  it "reads nothing on a rescan of an unchanged tree" do
    first = Photosync.scan(library, catalog: catalog)
    again = Photosync.scan(library, catalog: catalog)
    expect(first.hashed).to eq(5)
    expect(again.hashed).to eq(0)
    expect(again.cached).to eq(5)
    expect(again.bytes_read).to eq(0)
    expect(again.map(&:md5)).to eq(first.map(&:md5))
    expect(again.map(&:taken_at)).to eq(first.map(&:taken_at))
  end

  it "hashes again a file whose size or mtime changed" do
    Photosync.scan(library, catalog: catalog)
    path = File.join(library, "jpg/Nikon_D70.jpg")
    File.open(path, "ab") { |f| f.write("extra") }
    again = Photosync.scan(library, catalog: catalog)
    expect(again.hashed).to eq(1)
    expect(again.find { |p| p.path == File.realpath(path) }.md5).to eq(Digest::MD5.file(path).hexdigest)

    File.utime(Time.now, Time.at(1_500_000_000), path)
    expect(Photosync.scan(library, catalog: catalog).hashed).to eq(1)
  end

  it "keeps a moved file's identity (its MD5) and forgets the old path" do
    before = Photosync.scan(library, catalog: catalog)
    FileUtils.mkdir_p(File.join(library, "moved"))
    FileUtils.mv(File.join(library, "jpg/Canon_40D.jpg"), File.join(library, "moved/renamed.jpg"))
    after = Photosync.scan(library, catalog: catalog)
    expect(after.forgotten).to eq(1)
    moved = after.find { |p| p.path.end_with?("moved/renamed.jpg") }
    expect(moved.md5).to eq(before.find { |p| p.path.end_with?("Canon_40D.jpg") }.md5)
    expect(after.map(&:path).grep(/Canon_40D/)).to be_empty
  end

  it "uses the default catalog file (XDG data dir) when catalog: is left out" do
    xdg = File.join(tmpdir, "xdg")
    old = ENV.fetch("XDG_DATA_HOME", nil)
    ENV["XDG_DATA_HOME"] = xdg
    begin
      expect(Photosync.default_catalog_path).to eq(File.join(xdg, "photosync/catalog.sqlite3"))
      Photosync.scan(library)
      expect(File).to exist(File.join(xdg, "photosync/catalog.sqlite3"))
      expect(Photosync.scan(library).hashed).to eq(0)
    ensure
      ENV["XDG_DATA_HOME"] = old
    end
  end

  it "keeps nothing between calls with catalog: nil" do
    expect(Photosync.scan(library, catalog: nil).hashed).to eq(5)
    expect(Photosync.scan(library, catalog: nil).hashed).to eq(5)
  end

  it "skips non-media files, hidden folders and OS litter" do
    File.write(File.join(library, "notes.txt"), "x")
    File.write(File.join(library, ".DS_Store"), "x")
    File.write(File.join(library, "Thumbs.db"), "x")
    FileUtils.mkdir_p(File.join(library, "@eaDir/x"))
    FileUtils.cp(File.join(library, "jpg/Canon_40D.jpg"), File.join(library, "@eaDir/x/thumb.jpg"))
    FileUtils.mkdir_p(File.join(library, ".hidden"))
    FileUtils.cp(File.join(library, "jpg/Canon_40D.jpg"), File.join(library, ".hidden/a.jpg"))
    photos = Photosync.scan(library, catalog: nil)
    expect(photos.size).to eq(5)
    expect(photos.skipped).to eq(1)
  end

  it "finds every media kind by extension, any case" do
    src = File.join(library, "jpg/Canon_40D.jpg")
    %w[a.JPEG b.png c.webp d.CR2 e.nef f.arw g.dng h.orf i.rw2 j.mp4 k.MOV l.avi m.mts].each do |n|
      FileUtils.cp(src, File.join(library, n))
    end
    photos = Photosync.scan(library, catalog: nil)
    expect(photos.size).to eq(18)
    kinds = photos.to_h { |p| [File.basename(p.path), p.kind] }
    expect(kinds.values_at("a.JPEG", "d.CR2", "j.mp4", "k.MOV")).to eq(%i[jpeg raw video video])
  end

  it "does not hang on a symlink loop and notes it" do
    File.symlink(library, File.join(library, "jpg/loop"))
    photos = Photosync.scan(library, catalog: nil)
    expect(photos.size).to eq(5)
    expect(photos.notes.join).to match(/loop/)
  end

  it "raises Photosync::ScanError for a missing folder, naming it" do
    expect { Photosync.scan(File.join(tmpdir, "nope"), catalog: nil) }
      .to raise_error(Photosync::ScanError, /nope/)
  end

  it "accepts a Pathname" do
    expect(Photosync.scan(Pathname(library), catalog: nil).size).to eq(5)
  end
end
