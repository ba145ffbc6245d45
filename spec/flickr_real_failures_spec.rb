# frozen_string_literal: true

require "spec_helper"
require_relative "support/library_context"

# Flickr as it really fails (issue 13, items 8 to 10), through the native extension against the
# emulator playing the account, the service's documented refusals, and its lagging search.
RSpec.describe "Flickr as it really fails" do
  include_context "a library in the temporary folder"

  def sync(emu)
    Photosync.sync(library, to: Photosync::Flickr.new(**emu.credentials), catalog: catalog,
                            calls_per_hour: 1_000_000)
  end

  it "uploads files whose names hold a line break, quotes or bytes that are not UTF-8, titled right" do
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      photo("line\nbreak.jpg", canon + "1")
      photo("say \"cheese\".jpg", canon + "2")
      photo("caf\xE9.jpg".b, canon + "3")
      report = sync(emu)
      expect([report.uploaded, report.failed]).to eq([3, 0]), report.errors.inspect
      expect(emu.photos.map(&:title).sort).to eq(["caf\u{fffd}", "line\nbreak", "say \"cheese\""])
    end
  end

  it "refuses a video past the account's video limit with Flickr's reason, once" do
    Photosync::Emulator.start(calls_per_hour: 1_000_000, max_videos: 0) do |emu|
      photo("a.jpg", canon)
      photo("clip.mp4", "\0\0\0\x18ftypisom\0\0\x02\0isomiso2clip".b)
      report = sync(emu)
      expect(report.uploaded).to eq(1)
      expect(report.refused.map { |path, why| [File.basename(path), why] })
        .to match([["clip.mp4", /video upload limit.*video limit is reached/]])
      expect(sync(emu).counts[:refused_before]).to eq(1)
      expect(emu.call_counts["upload"]).to eq(2)
    end
  end

  it "waits as a free account's upload throttle says, and every photo arrives once" do
    Photosync::Emulator.start(calls_per_hour: 1_000_000, pro: false, upload_wait: 0.2) do |emu|
      3.times { |i| photo("p#{i}.jpg", canon + i.to_s) }
      report = sync(emu)
      expect([report.uploaded, report.failed]).to eq([3, 0]), report.errors.inspect
      expect(emu.photos.map(&:md5).tally.values).to eq([1, 1, 1])
    end
  end

  it "keeps every photo once when a quarter of the uploads lose their answer under the default search lag" do
    # The emulator's default lag (2 s) and paging; the client's default lookup delay (5 s).
    Photosync::Emulator.start(calls_per_hour: 1_000_000, seed: 13) do |emu|
      12.times { |i| photo("p#{i}.jpg", canon + i.to_s) }
      emu.fault_kinds = %w[drop_after_work]
      emu.fault_rate = 0.25
      2.times { sync(emu) }
      emu.fault_rate = 0.0
      report = sync(emu)
      expect(report.failed).to eq(0), report.errors.inspect
      expect(emu.photos.map(&:md5).tally.values).to eq([1] * 12)
      # Answers were lost and looked up (beyond the three index reads); none was sent twice.
      expect(emu.call_counts["flickr.photos.search"]).to be > 3
      expect(emu.call_counts["upload"]).to eq(12)
    end
  end

  it "says why Flickr refuses a taken date in the future, and does not ask again" do
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      path = photo("future.jpg", "\xFF\xD8\xFF\xE0 no exif \xFF\xD9".b)
      File.utime(Time.utc(2100), Time.utc(2100), path)
      report = sync(emu)
      expect(report.uploaded).to eq(1)
      expect(report.errors.map(&:last)).to match([/refuses its taken date 2100-.*in the future/])
      expect(sync(emu).errors).to be_empty
      expect(emu.call_counts["flickr.photos.setDates"]).to eq(1)
    end
  end
end
