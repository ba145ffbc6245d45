# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"

# Restoring from Google Photos against its emulator: refused with the reason unless
# lossy copies are accepted; then every item comes back as a *.lossy.* file at its
# original's path (in the date layout when the catalog does not know it), never taken
# for an original, and reported as such.
RSpec.describe "Restoring from Google Photos" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:library) { File.join(tmpdir, "library") }
  let(:back) { File.join(tmpdir, "restored") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }

  around do |example|
    Photosync::GooglePhotosEmulator.start do |emu|
      @emu = emu
      example.run
    end
  end

  let(:emu) { @emu }
  let(:gphotos) { Photosync::GooglePhotos.new(**emu.credentials, rate_limit_wait: 0.01, backoff: 0.005) }

  # MD5 -> size of the originals synced.
  def synced_library
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
    originals = Dir[File.join(library, "**/*.jpg")].to_h { |f| [Digest::MD5.file(f).hexdigest, File.size(f)] }
    expect(Photosync.sync(library, to: gphotos, catalog: catalog).uploaded).to eq(3)
    originals
  end

  it "is refused with the reason unless lossy copies are accepted; nothing is written" do
    synced_library
    expect { Photosync.restore(back, from: gphotos, catalog: catalog) }
      .to raise_error(Photosync::RestoreError, /recompressed copies without GPS data, not the originals.*accept-lossy/)
    expect(Dir.exist?(back) ? md5s_under(back) : {}).to be_empty
  end

  it "with accept_lossy brings every item back as <original path>.lossy.<ext>; a second run downloads nothing" do
    originals = synced_library
    FileUtils.rm_rf(library)
    report = Photosync.restore(back, from: gphotos, catalog: catalog, accept_lossy: true)
    expect([report.downloaded, report.lossy, report.unverified, report.failed]).to eq([3, 3, 3, 0])
    files = md5s_under(back)
    expect(files.keys.sort).to eq(%w[jpg/Canon_40D.lossy.jpg jpg/Nikon_D70.lossy.jpg
                                     jpg/exif-org/sanyo-vpcsx550.lossy.jpg])
    expect(files.values & originals.keys).to be_empty
    expect(files.keys.map { |f| File.size(File.join(back, f)) }.sort).to eq(originals.values.map { |s| s * 3 / 5 }.sort)

    again = Photosync.restore(back, from: gphotos, catalog: catalog, accept_lossy: true)
    expect([again.downloaded, again.skipped]).to eq([0, 3])
  end

  it "puts an item in the date layout, YYYY/MM/DD/<name>.lossy.<ext>, when the catalog does not know it" do
    synced_library
    unknown = File.join(tmpdir, "other-catalog.sqlite3")
    report = Photosync.restore(back, from: gphotos, catalog: unknown, accept_lossy: true)
    expect(report.downloaded).to eq(3)
    files = md5s_under(back)
    expect(files.keys).to include("2008/05/30/Canon_40D.lossy.jpg")
    expect(files.keys).to all(match(%r{\A\d{4}/\d{2}/\d{2}/[^/]+\.lossy\.jpg\z}))
  end

  it "downloads nothing for photos whose originals the folder holds" do
    synced_library
    report = Photosync.restore(library, from: gphotos, catalog: catalog, accept_lossy: true)
    expect([report.downloaded, report.skipped]).to eq([0, 3])
  end

  it "from the CLI: refused without --accept-lossy (logged in or not), reported as not originals with it" do
    synced_library
    env = { "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg") }
    _, err, status = Open3.capture3(env, RbConfig.ruby, exe, "restore", "--from", "gphotos", back)
    expect([status.exitstatus, err]).to match([1, /recompressed copies without GPS data.*--accept-lossy/])
    emu.credentials.each { |k, v| env["PHOTOSYNC_GPHOTOS_#{k.upcase}"] = v }
    _, err, status = Open3.capture3(env, RbConfig.ruby, exe, "restore", "--from", "gphotos", back,
                                    "--catalog", catalog)
    expect([status.exitstatus, err]).to match([1, /recompressed copies without GPS data/])
    expect(Dir.exist?(back)).to be(false)

    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "restore", "--from", "gphotos", back,
                                      "--accept-lossy", "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("3 downloaded", "3 of them are Google Photos' recompressed copies, not originals")
  end
end
