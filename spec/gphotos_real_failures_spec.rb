# frozen_string_literal: true

require "spec_helper"
require_relative "support/library_context"
require "open3"

# Google Photos as it really fails (issue 13), through the native extension against the emulator in
# its harsher defaults.
RSpec.describe "Google Photos as it really fails" do
  include_context "a library in the temporary folder"

  def gphotos(emu, **settings)
    Photosync::GooglePhotos.new(**emu.credentials, rate_limit_wait: 0.01, backoff: 0.005, **settings)
  end

  def sync(emu, dest = gphotos(emu), **opts)
    Photosync.sync(library, to: dest, catalog: catalog, **opts)
  end

  it "refuses bytes Google cannot decode with its BAD_IMAGE reason, once, until the file changes" do
    Photosync::GooglePhotosEmulator.start do |emu|
      photo("good.jpg", canon + "good")
      photo("noise.jpg", Random.new(3).bytes(4000))
      cut = photo("cut.jpg", canon[0, canon.size / 2])
      first = sync(emu)
      expect(first.uploaded).to eq(1)
      expect(first.refused.map { |path, _| File.basename(path) }.sort).to eq(%w[cut.jpg noise.jpg])
      expect(first.refused.map(&:last)).to all(include("BAD_IMAGE"))
      expect(emu.call_counts["uploads"]).to eq(3) # each sent once
      again = sync(emu)
      expect([again.uploaded, again.api_calls, again.counts[:refused_before]]).to eq([0, 0, 2])
      File.binwrite(cut, canon + "repaired")
      expect(sync(emu).uploaded).to eq(1)
      expect(emu.items.size).to eq(2)
    end
  end

  it "keeps a photo the phone already backed up out of its album, as a note, and fills every album" do
    Photosync::GooglePhotosEmulator.start do |emu|
      first_rome = photo("Rome/a.jpg", canon + "rome a")
      photo("Rome/b.jpg", canon + "rome b")
      photo("Paris/c.jpg", canon + "paris c")
      emu.add_foreign_item(first_rome, filename: "IMG_0001.JPG")
      report = sync(emu, albums: :folders)
      expect([report.uploaded, report.failed, report.album_adds]).to eq([3, 0, 2])
      expect(report.album_notes.map(&:first)).to eq([first_rome])
      expect(report.album_notes.first.last).to include("another app")
      expect(emu.albums.to_h { |a| [a.title, a.items.size] }).to eq("Rome" => 1, "Paris" => 1)
      expect(emu.items.map(&:md5).tally.values.uniq).to eq([1])
    end
  end

  it "never sends a photo over Google's 200 MB limit or a RAW kind it does not take" do
    Photosync::GooglePhotosEmulator.start do |emu|
      photo("small.jpg", canon + "small")
      huge = File.join(library, "huge.jpg")
      File.open(huge, "wb") { |f| f.truncate(201 * 1024 * 1024) } # sparse: read fast, never sent
      photo("old.crw", "raw from 2003")
      report = sync(emu)
      expect([report.uploaded, report.failed]).to eq([1, 0])
      expect(report.not_taken.to_h.keys.map { |p| File.basename(p) }.sort).to eq(%w[huge.jpg old.crw])
      expect(report.not_taken.to_h[huge]).to include("over Google Photos' 200")
      expect(emu.call_counts["uploads"]).to eq(1)
      expect(report.bytes_sent).to eq(File.size(File.join(library, "small.jpg")))
    end
  end

  it "says which daily quota stopped the run: Google's, not the 10,000 photosync assumed" do
    Photosync::GooglePhotosEmulator.start(daily_quota: 10) do |emu|
      12.times { |i| photo("q#{i}.jpg", canon + "quota #{i}") }
      report = sync(emu)
      expect(report.failed).to eq(0)
      expect(report.stopped).to start_with("Google Photos says the project's daily quota is used up")
      expect(report.stopped).to match(/per ?day/i).and include("photos left, the quota resets at 00:00 Pacific")
      expect(report.stopped).not_to include("10000 requests")
      expect(report).not_to be_ok
    end
  end

  it "says why a login died after 7 days (a project in Testing) and to run `photosync login gphotos` again" do
    Photosync::GooglePhotosEmulator.start do |emu|
      photo("a.jpg", canon + "a")
      exe = File.expand_path("../exe/photosync", __dir__)
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "config"))
      run = -> { Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--to", "gphotos", "--catalog", catalog) }
      _out, err, status = run.call
      expect(status.exitstatus).to eq(0), err
      emu.advance_clock(7 * 86_400)
      photo("b.jpg", canon + "b")
      _out, err, status = run.call
      expect(status.exitstatus).to eq(1) # as for any login the user must renew
      expect(err.lines.size).to eq(1), err
      expect(err).to include("7 days", "Testing status", "run `photosync login gphotos` again")
      expect(err).not_to include(".rb:")
    end
  end

  it "ends descriptions with the checksum by default, and with checksum: :none keeps only the user's text" do
    Photosync::GooglePhotosEmulator.start do |emu|
      photo("a.jpg", canon + "a")
      sync(emu, gphotos(emu, description: "Rome, 2019"))
      md5 = Digest::MD5.file(File.join(library, "a.jpg")).hexdigest
      expect(emu.items.map(&:description)).to eq(["Rome, 2019\nchecksum:md5=#{md5}"])
      photo("b.jpg", canon + "b")
      sync(emu, gphotos(emu, description: "Rome, 2019", checksum: :none))
      expect(emu.items.map(&:description).last).to eq("Rome, 2019")
      expect { gphotos(emu, checksum: :sha1) }.to raise_error(ArgumentError, /:description or :none/)
    end
  end

  it "names the bad_token modes it knows" do
    expect { Photosync::GooglePhotosEmulator.start(bad_token: :sometimes) }
      .to raise_error(Photosync::Error, /bad_token: sometimes \(whole_call or per_item\)/)
  end
end
