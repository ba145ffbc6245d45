# frozen_string_literal: true

require "spec_helper"
require "open3"

# Archive.new(path, write_dates: true) / --archive-write-dates, end to end through the
# native extension: a rule-corrected date is written into the archive copy's EXIF, never
# into the user's file, and the copy stays recognised and verifiable.
RSpec.describe "Writing corrected dates into archive copies" do
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:rules) { File.join(tmpdir, "dates.yml") }
  let(:sanyo) { "jpg/exif-org/sanyo-vpcg250.jpg" }
  let(:nikon) { "Scans/Nikon_D70.jpg" }
  let(:canon) { "jpg/Canon_40D.jpg" }
  let(:date_tags) { %w[DateTimeOriginal CreateDate ModifyDate] }

  def archive_root(name = "archive")
    File.join(tmpdir, name).tap { |d| FileUtils.mkdir_p(d) }
  end

  def md5(path) = Digest::MD5.file(path).hexdigest

  def originals = [sanyo, nikon, canon].to_h { |n| [n, md5(File.join(library, n))] }

  # exiftool's reading of the three EXIF dates, by tag.
  def exif_dates(path)
    out, err, status = Open3.capture3("exiftool", "-s", "-s", "-s", "-d", "%Y-%m-%d %H:%M:%S",
                                      *date_tags.map { |t| "-EXIF:#{t}" }, "-j", path)
    raise "exiftool #{path}: #{err}" unless status.success?

    JSON.parse(out).first.slice(*date_tags)
  end

  before do
    copy_fixtures([sanyo, canon], library)
    FileUtils.mkdir_p(File.join(library, "Scans"))
    FileUtils.cp(File.join(FIXTURES, "jpg/Nikon_D70.jpg"), File.join(library, nikon))
    File.write(rules, <<~YAML)
      rules:
        - camera: SR6            # the Sanyo's factory date 1998-01-01 00:00:00
          shift: "+2y10m3d 4:05:06"
        - folder: Scans
          date: 1987-07-14 09:30:00
    YAML
  end

  it "writes the corrected date into the copy only; a second run copies nothing and verify is clean" do
    before = originals
    archive = Photosync::Archive.new(archive_root, write_dates: true)
    report = Photosync.sync(library, to: archive, catalog: catalog, date_rules: rules)
    expect(report.to_h.slice(:copied, :redated, :failed)).to eq(copied: 3, redated: 2, failed: 0)
    expect(originals).to eq(before)
    expect(exif_dates(File.join(library, sanyo))).to eq(date_tags.to_h { |t| [t, "1998-01-01 00:00:00"] })

    sanyo_copy = File.join(archive_root, "2000/11/04/sanyo-vpcg250.jpg")
    expect(exif_dates(sanyo_copy)).to eq(date_tags.to_h { |t| [t, "2000-11-04 04:05:06"] })
    expect(File.size(sanyo_copy)).to eq(File.size(File.join(library, sanyo)))
    nikon_copy = File.join(archive_root, "1987/07/14/Nikon_D70.jpg")
    # The D70 wrote no CreateDate: the fields there are rewritten, none is added.
    expect(exif_dates(nikon_copy)).to eq("DateTimeOriginal" => "1987-07-14 09:30:00", "ModifyDate" => "1987-07-14 09:30:00")
    expect(md5(File.join(archive_root, "2008/05/30/Canon_40D.jpg"))).to eq(before[canon])

    again = Photosync.sync(library, to: archive, catalog: catalog, date_rules: rules)
    expect(again.to_h.slice(:copied, :already_there, :redated)).to eq(copied: 0, already_there: 3, redated: 0)
    expect(archive.verify(catalog: catalog).ok?).to be(true)

    # The copy's own MD5 is what verify checks: a flipped byte is still corruption.
    bytes = File.binread(sanyo_copy)
    bytes.setbyte(bytes.bytesize - 100, bytes.getbyte(bytes.bytesize - 100) ^ 0xFF)
    File.binwrite(sanyo_copy, bytes)
    check = archive.verify(catalog: catalog)
    expect(check.corrupted.map(&:first)).to eq([File.realpath(sanyo_copy)])
    expect(check.corrupted.first[1]).not_to eq(before[sanyo])
  end

  it "without the flag, copies are the originals byte for byte (in their corrected date's folder)" do
    report = Photosync.sync(library, to: Photosync::Archive.new(archive_root), catalog: catalog, date_rules: rules)
    expect(report.to_h.slice(:copied, :redated)).to eq(copied: 3, redated: 0)
    expect(md5(File.join(archive_root, "2000/11/04/sanyo-vpcg250.jpg"))).to eq(md5(File.join(library, sanyo)))
    expect(md5(File.join(archive_root, "1987/07/14/Nikon_D70.jpg"))).to eq(md5(File.join(library, nikon)))
  end

  it "a new catalog recognises the redated copies already in the archive and copies nothing" do
    archive = Photosync::Archive.new(archive_root, write_dates: true)
    Photosync.sync(library, to: archive, catalog: catalog, date_rules: rules)
    other = File.join(tmpdir, "other.sqlite3")
    report = Photosync.sync(library, to: archive, catalog: other, date_rules: rules)
    expect(report.to_h.slice(:copied, :failed, :adopted)).to eq(copied: 0, failed: 0, adopted: 3)
    expect(Dir.glob("**/*", base: archive_root).count { |f| File.file?(File.join(archive_root, f)) }).to eq(3)
    expect(archive.verify(catalog: other).ok?).to be(true)
  end

  it "photosync sync --archive-write-dates --rules FILE, then photosync verify" do
    exe = File.expand_path("../exe/photosync", __dir__)
    env = { "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg") }
    before = originals
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--to", "archive:#{archive_root}",
                                      "--archive-write-dates", "--rules", rules, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("3 copied", "2 with corrected dates written")
    expect(originals).to eq(before)
    expect(exif_dates(File.join(archive_root, "2000/11/04/sanyo-vpcg250.jpg"))["DateTimeOriginal"])
      .to eq("2000-11-04 04:05:06")
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", "archive:#{archive_root}", "--catalog", catalog)
    expect(status.exitstatus).to eq(0), out + err
  end
end
