# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require_relative "support/flickr_context"

# `adopt` and `verify` through the native extension and the CLI, against the emulator.
RSpec.describe "Adopting and verifying the Flickr account" do
  include_context "a library synced to the emulator"

  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:env) { emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg")) }

  before do
    FileUtils.mkdir_p(library)
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    6.times { |i| File.binwrite(File.join(library, "IMG_#{i}.jpg"), canon + "photo #{i}") }
  end

  it "adopts photos another tool uploaded without tags; the next sync uploads nothing", search_lag: 0 do
    old = old_script
    Dir[File.join(library, "*.jpg")].each { |f| old.upload_photo(f, title: "from the web page") }
    expect(emu.photos.flat_map(&:machine_tags)).to be_empty

    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "adopt", "flickr", "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("6 photos without a checksum tag", "6 adopted, 0 failed")
    # The image-data tag too: the six share Canon_40D's image data (they differ after its end).
    canon_img = Photosync.scan(library, catalog: catalog).first.imgmd5
    emu.photos.each { |p| expect(p.machine_tags).to eq(["checksum:md5=#{p.md5}", "checksum:imgmd5=#{canon_img}"]) }

    report = Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000)
    expect([report.uploaded, report.skipped, report.imgmd5_tagged]).to eq([0, 6, 0])
    expect(Photosync.adopt(flickr, catalog: catalog).adopted).to eq(0)
  end

  it "`verify flickr --read-data` finds a photo whose bytes changed on Flickr and exits non-zero", search_lag: 0 do
    Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000)
    clean = Photosync.verify(flickr, root: library, read_data: true, catalog: catalog)
    expect(clean).to be_ok
    expect([clean.photos_on_flickr, clean.local_photos, clean.read]).to eq([6, 6, 6])

    victim = emu.photos.first
    File.binwrite(victim.original_path, "not the photo any more")
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", "flickr", library, "--read-data",
                                      "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(2), err
    report = JSON.parse(out)
    expect(report["corrupted"].map { |c| c["photo_id"] }).to eq([victim.id])
    expect(report["corrupted"].first["tag"]).to eq(victim.md5)

    _out, _err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", "flickr", library, "--catalog", catalog)
    expect(status.exitstatus).to eq(0)
  end
end
