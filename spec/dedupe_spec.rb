# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require "photosync/flickraw"
require_relative "support/flickr_context"
require_relative "support/cli_context"

# `verify flickr --delete-duplicates` and Photosync.delete_duplicates against the
# emulator: the same bytes uploaded three times by another tool, with different tags,
# albums and titles, become one photo carrying all of them.
RSpec.describe "Deleting duplicates on Flickr", search_lag: 0 do
  include_context "a library synced to the emulator"
  include_context "the CLI"
  let(:env) { emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg")) }
  let(:other_tool) { old_script }

  # One photo uploaded three times by another tool; the second upload is the oldest
  # (its posted date set back), untitled, in album Trip; the first is titled and in
  # Trip; the third is described and alone in Family. Plus one photo uploaded once.
  def three_copies
    FileUtils.mkdir_p(library)
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    path = File.join(library, "IMG_1.jpg")
    File.binwrite(path, canon + "the photo")
    File.binwrite(File.join(library, "IMG_2.jpg"), canon + "another photo")
    md5 = Digest::MD5.file(path).hexdigest
    tag = "checksum:md5=#{md5}"
    ids = [["#{tag} beach", "Holiday", ""], ["#{tag} sunset \"New York\"", "", ""],
           ["#{tag} family beach", "", "Grandma's birthday"]].map do |tags, title, description|
      other_tool.upload_photo(path, tags: tags, title: title, description: description).to_s
    end
    other_tool.photos.setDates(photo_id: ids[1], date_posted: (Time.now - 86_400).to_i.to_s)
    trip = other_tool.photosets.create(title: "Trip", primary_photo_id: ids[1])
    other_tool.photosets.addPhoto(photoset_id: trip.id, photo_id: ids[0])
    other_tool.photosets.create(title: "Family", primary_photo_id: ids[2])
    synced = Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000)
    expect(synced.uploaded).to eq(1)
    [md5, ids]
  end

  it "shows the plan and changes nothing without --yes" do
    md5, ids = three_copies
    before = emu.photos.map(&:to_h)

    plan = Photosync.delete_duplicates(flickr, catalog: catalog)
    expect(plan.applied).to be(false)
    expect(plan.plan.size).to eq(1)
    merge = plan.plan.first
    expect([merge.md5, merge.keeper, merge.delete.sort]).to eq([md5, ids[1], [ids[0], ids[2]].sort])
    expect(merge.add_tags).to contain_exactly("beach", "family")
    expect(merge.add_to_albums.map(&:last)).to eq(["Family"])
    expect([merge.title, merge.description]).to eq(["Holiday", "Grandma's birthday"])

    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", "flickr", library, "--delete-duplicates",
                                      "--catalog", catalog)
    expect(status.exitstatus).to eq(2), err
    expect(out).to include("2 duplicate copies to delete", "keep photo #{ids[1]}", "nothing changed")
    expect(emu.photos.map(&:to_h)).to eq(before)
  end

  it "with --yes keeps the oldest copy carrying every tag, album and title; the catalog points at it" do
    md5, ids = three_copies
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", "flickr", library, "--delete-duplicates",
                                      "--yes", "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(0), err
    report = JSON.parse(out)
    expect(report["delete_duplicates"]["deleted"]).to eq(2)
    expect(report["duplicates"]).to be_empty

    copies = emu.photos.select { |p| p.md5 == md5 }
    expect(copies.map(&:id)).to eq([ids[1]])
    keeper = copies.first
    expect(keeper.tags).to include("beach", "sunset", "newyork", "family")
    expect(keeper.machine_tags).to include("checksum:md5=#{md5}")
    expect([keeper.title, keeper.description]).to eq(["Holiday", "Grandma's birthday"])
    expect(emu.albums.map { |a| [a.title, a.photo_ids.include?(ids[1])] }.sort).to eq([["Family", true],
                                                                                       ["Trip", true]])

    flickr_ids = Photosync.status(root: library, catalog: catalog).photos
                          .find { |p| p.md5 == md5 }.remote.select { |r| r[:backend].start_with?("flickr") }
                          .map { |r| r[:id] }
    expect(flickr_ids).to eq([ids[1]])
    again = Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000)
    expect(again.uploaded).to eq(0)
    expect(Photosync.delete_duplicates(flickr, catalog: catalog).plan).to be_empty
  end
end
