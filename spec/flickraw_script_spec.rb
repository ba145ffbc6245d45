# frozen_string_literal: true

require "spec_helper"
require "open3"
require "photosync/flickraw"

# An old flickraw + exifr script, and the calls such scripts make, against the emulator
# through the FlickRaw facade.
RSpec.describe "an old flickraw script through the FlickRaw facade" do
  # The old script searches for each checksum right after its own uploads: no lag.
  around do |example|
    Photosync::Emulator.start(search_lag: 0) do |emu|
      @emu = emu
      example.run
    end
  end

  let(:emu) { @emu }
  let(:library) { File.join(tmpdir, "Photos") }
  let(:script) { File.expand_path("support/old_backup_script.rb", __dir__) }

  def run_script
    lib = File.expand_path("../lib", __dir__)
    out, err, status = Open3.capture3(emu.env, RbConfig.ruby, "-I", lib, script, library)
    expect(status).to be_success, err
    out
  end

  before do
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
    # A file name that is not ASCII.
    FileUtils.cp(File.join(library, "jpg/Canon_40D.jpg"), File.join(library, "jpg/Été à Zürich.jpg"))
    File.open(File.join(library, "jpg/Été à Zürich.jpg"), "ab") { |f| f.write("distinct") }
  end

  it "uploads each photo once with its checksum tag, privacy and taken date; a second run uploads nothing" do
    first = run_script
    expect(first.lines.grep(/^uploaded/).size).to eq(4)
    photos = emu.photos
    expect(photos.size).to eq(4)
    Dir[File.join(library, "**/*.jpg")].each do |path|
      md5 = Digest::MD5.file(path).hexdigest
      photo = photos.find { |p| p.md5 == md5 }
      expect(photo).not_to be_nil, path
      expect(photo.machine_tags).to include("checksum:md5=#{md5}")
      expect([photo.is_public, photo.is_friend, photo.is_family]).to eq([false, false, true])
    end
    canon = photos.find { |p| p.title == "Canon_40D" }
    expect(canon.date_taken).to eq("2008-05-30 15:56:01")
    expect(photos.map(&:title)).to include("Été à Zürich")

    second = run_script
    expect(second.lines.grep(/^skip/).size).to eq(4)
    expect(emu.photos.size).to eq(4)
  end

  it "finishes a library half-uploaded by the old script without one duplicate" do
    # The old script uploaded one photo before it died.
    half = File.join(library, "jpg/Nikon_D70.jpg")
    old_flickr = FlickRaw::Flickr.new(emu.api_key, emu.shared_secret,
                                      access_token: emu.access_token, access_secret: emu.access_secret,
                                      endpoint: emu.endpoint)
    old_flickr.upload_photo(half, title: "Nikon_D70", tags: "checksum:md5=#{Digest::MD5.file(half).hexdigest}")
    out = run_script
    expect(out).to match(%r{^skip .*jpg/Nikon_D70\.jpg})
    expect(emu.photos.map(&:md5).tally.values.max).to eq(1)
    expect(emu.photos.size).to eq(4)
  end

  context "with a FlickRaw client" do
    let(:flickr) do
      FlickRaw::Flickr.new(emu.api_key, emu.shared_secret, access_token: emu.access_token,
                                                           access_secret: emu.access_secret, endpoint: emu.endpoint)
    end
    let(:photo) { File.join(FIXTURES, "jpg/Canon_40D.jpg") }

    it "keeps non-ASCII titles and descriptions through upload and getInfo" do
      id = flickr.upload_photo(photo, title: "Überfahrt nach Åre – 日本", description: "«Ça va?» ✓")
      info = flickr.photos.getInfo(photo_id: id)
      expect(info.title).to eq("Überfahrt nach Åre – 日本")
      expect(info.description).to eq("«Ça va?» ✓")
      expect(info.id).to eq(id)
    end

    it "replaces a photo's file, sets its dates, and deletes it" do
      id = flickr.upload_photo(photo, title: "x")
      other = File.join(FIXTURES, "jpg/Nikon_D70.jpg")
      expect(flickr.replace_photo(other, photo_id: id).to_s).to eq(id)
      expect(emu.photos.first.md5).to eq(Digest::MD5.file(other).hexdigest)

      flickr.photos.setDates(photo_id: id, date_taken: "2004-08-14 10:02:31", date_taken_granularity: 0)
      expect(flickr.photos.getInfo(photo_id: id).dates.taken).to eq("2004-08-14 10:02:31")

      flickr.photos.delete(photo_id: id)
      expect(emu.photos).to be_empty
      expect { flickr.photos.getInfo(photo_id: id) }.to raise_error(FlickRaw::FailedResponse) { |e|
        expect(e.code).to eq(1)
      }
    end

    it "searches by the wildcard machine tag forms" do
      a = flickr.upload_photo(photo, tags: "checksum:md5=aaaa")
      b = flickr.upload_photo(photo, tags: "checksum:md5=bbbb")
      flickr.upload_photo(photo, tags: "other")
      all = flickr.photos.search(user_id: "me", machine_tags: "checksum:md5=", extras: "machine_tags")
      expect(all.map(&:id)).to contain_exactly(a, b)
      expect(all.map(&:machine_tags)).to contain_exactly("checksum:md5=aaaa", "checksum:md5=bbbb")
      expect(flickr.photos.search(user_id: "me", machine_tags: "checksum:").size).to eq(2)
    end

    it "raises FlickRaw::FailedResponse with Flickr's code for a bad token" do
      bad = FlickRaw::Flickr.new(emu.api_key, emu.shared_secret, access_token: "nope", access_secret: "nope",
                                                                 endpoint: emu.endpoint)
      expect { bad.test.login }.to raise_error(FlickRaw::FailedResponse) { |e| expect(e.code).to eq(98) }
    end
  end
end
