# frozen_string_literal: true

require "spec_helper"
require "digest"
require "open3"
require_relative "support/flickr_context"

# Metadata edits must not cause duplicates: a photo whose date was fixed with exiftool
# after its upload is recognised by its image-data MD5 (checksum:imgmd5=) and its
# Flickr copy is updated instead of a second upload; the old script's uploads gain
# that tag the first time sync finds them by MD5.
RSpec.describe "Photosync.sync of photos edited after upload" do
  include_context "a library synced to the emulator"

  let(:names) { ["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/Fujifilm_FinePix6900ZOOM.jpg"] }
  let(:edited) { File.join(library, names.first) }

  def sync(**opts)
    Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000, **opts)
  end

  def scanned(path)
    Photosync.scan(library, catalog: catalog).find { |p| p.path == File.realpath(path) }
  end

  def edit_date(path, date)
    out, status = Open3.capture2e("exiftool", "-q", "-overwrite_original", "-DateTimeOriginal=#{date}", path)
    raise "exiftool failed: #{out}" unless status.success?
  end

  def copy_of(md5)
    emu.photos.find { |p| p.machine_tags.include?("checksum:md5=#{md5}") }
  end

  before { copy_fixtures(names, library) }

  it "updates the Flickr copy's date and checksum tag instead of uploading the edited photo again", search_lag: 0 do
    expect(sync.uploaded).to eq(3)
    before = scanned(edited)
    expect(before.imgmd5).to match(/\A\h{32}\z/)
    original = copy_of(before.md5)
    expect(original.machine_tags).to include("checksum:imgmd5=#{before.imgmd5}")

    edit_date(edited, "2011:02:03 04:05:06")
    after = scanned(edited)
    expect(after.md5).not_to eq(before.md5)
    expect(after.imgmd5).to eq(before.imgmd5)

    events = []
    report = Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000) { |e| events << e }
    expect(report.uploaded).to eq(0)
    expect(report.failed).to eq(0)
    expect(report.edited_updated).to eq(1)
    expect(report.edited_replaced).to eq(0)
    expect(events.select { |e| e.kind == :edited }.map { |e| [e.path, e.photo_id] })
      .to eq([[File.realpath(edited), original.id.to_s]])
    expect(emu.photos.size).to eq(3)
    copy = emu.photos.find { |p| p.id == original.id }
    expect(copy.date_taken).to eq("2011-02-03 04:05:06")
    expect(copy.machine_tags).to include("checksum:md5=#{after.md5}", "checksum:imgmd5=#{after.imgmd5}")
    expect(copy.machine_tags).not_to include("checksum:md5=#{before.md5}")
    # Its bytes on Flickr are still the original's: only metadata was updated.
    expect(copy.md5).to eq(before.md5)

    # The old script's search finds it by the new MD5, and the image tag is searchable.
    [after.md5, after.imgmd5].zip(%w[md5 imgmd5]).each do |hex, predicate|
      found = flickr.call("flickr.photos.search", user_id: "me", machine_tags: "checksum:#{predicate}=#{hex}")
      expect(found.map(&:id)).to eq([original.id.to_s])
    end

    again = sync
    expect([again.uploaded, again.edited_updated, again.imgmd5_tagged]).to eq([0, 0, 0])
    expect(again.api_calls).to be <= 5
  end

  it "replaces the Flickr file with replace_edited: true" do
    sync
    before = scanned(edited)
    original = copy_of(before.md5)
    edit_date(edited, "2012:03:04 05:06:07")

    report = sync(replace_edited: true)
    expect(report.uploaded).to eq(0)
    expect([report.edited_updated, report.edited_replaced]).to eq([1, 1])
    expect(emu.photos.size).to eq(3)
    copy = emu.photos.find { |p| p.id == original.id }
    expect(File.binread(copy.original_path)).to eq(File.binread(edited))
    expect(copy.md5).to eq(Digest::MD5.file(edited).hexdigest)
    expect(copy.date_taken).to eq("2012-03-04 05:06:07")
    expect(copy.machine_tags).to include("checksum:md5=#{copy.md5}", "checksum:imgmd5=#{before.imgmd5}")
    expect(sync.uploaded).to eq(0)
  end

  it "gives the old script's uploads their checksum:imgmd5 tag, once, without uploading", search_lag: 0 do
    names.each do |n|
      path = File.join(library, n)
      old_script.upload_photo(path, title: "old", tags: "checksum:md5=#{Digest::MD5.file(path).hexdigest}")
    end
    expect(emu.photos.map(&:machine_tags).join(" ")).not_to include("imgmd5")

    report = sync
    expect(report.uploaded).to eq(0)
    expect(report.imgmd5_tagged).to eq(3)
    Photosync.scan(library, catalog: catalog).each do |p|
      expect(copy_of(p.md5).machine_tags).to include("checksum:imgmd5=#{p.imgmd5}")
    end
    expect(emu.photos.size).to eq(3)

    again = sync
    expect([again.uploaded, again.imgmd5_tagged]).to eq([0, 0])

    # Now an edit of one of them is recognised too.
    edit_date(edited, "2013:04:05 06:07:08")
    third = sync
    expect([third.uploaded, third.edited_updated]).to eq([0, 1])
    expect(emu.photos.size).to eq(3)
  end

  it "prints the counts in the CLI summary, and takes --replace-edited" do
    sync
    edit_date(edited, "2014:05:06 07:08:09")
    exe = File.expand_path("../exe/photosync", __dir__)
    out, err, status = Open3.capture3({ "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg") }.merge(emu.env),
                                      RbConfig.ruby, exe, "sync", library, "--catalog", catalog, "--replace-edited")
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("1 edited since upload: Flickr copy updated, not uploaded again; 1 of them replaced")
    copy = emu.photos.find { |p| p.machine_tags.include?("checksum:md5=#{Digest::MD5.file(edited).hexdigest}") }
    expect(File.binread(copy.original_path)).to eq(File.binread(edited))
    expect(emu.photos.size).to eq(3)
  end
end
