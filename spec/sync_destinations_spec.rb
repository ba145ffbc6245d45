# frozen_string_literal: true

require "spec_helper"
require_relative "support/library_context"
require_relative "support/cli_context"
require "open3"
require "json"
require "net/http"

# One run to Flickr, Google Photos and an archive folder: one scan feeds all three, each
# gets every photo exactly once, a second run sends nothing anywhere, and one destination
# failing leaves the others' work done and recorded.
RSpec.describe "Photosync.sync to Flickr, Google Photos and an archive in one run" do
  include_context "a library in the temporary folder"
  include_context "the CLI"
  let(:archive_root) { File.join(tmpdir, "archive").tap { |d| FileUtils.mkdir_p(d) } }

  # n distinct photos and one byte-identical copy of the first; the distinct MD5s, sorted.
  def photos(n)
    FileUtils.mkdir_p(File.join(library, "sub"))
    n.times { |i| File.binwrite(File.join(library, format("p%02d.jpg", i)), canon + "mixed #{i}") }
    FileUtils.cp(File.join(library, "p00.jpg"), File.join(library, "sub/copy.jpg"))
    Dir[File.join(library, "*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
  end

  def archived_md5s
    Dir.glob("**/*.jpg", base: archive_root).map { |rel| Digest::MD5.file(File.join(archive_root, rel)).hexdigest }.sort
  end

  def with_emulators
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |flickr_emu|
      Photosync::GooglePhotosEmulator.start { |gphotos_emu| yield flickr_emu, gphotos_emu }
    end
  end

  def gphotos(emu, **settings)
    Photosync::GooglePhotos.new(**emu.credentials, rate_limit_wait: 0.01, backoff: 0.005, **settings)
  end

  it "scans once, gives each destination every photo once, and the second run sends nothing anywhere" do
    md5s = photos(7)
    with_emulators do |flickr_emu, gphotos_emu|
      flickr = Photosync::Flickr.new(**flickr_emu.credentials)
      google = gphotos(gphotos_emu)
      archive = Photosync::Archive.new(archive_root)
      to = [google, flickr, archive]
      events = Hash.new { |h, k| h[k] = [] }
      reports = Photosync.sync(library, to: to, catalog: catalog, calls_per_hour: 1_000_000) do |e|
        events[e.kind] << e
      end
      expect(reports).to be_a(Photosync::SyncReports)
      expect(reports.ok?).to be(true), reports.to_h.inspect
      expect(events[:scanned].size).to eq(1)
      expect(reports.scan[:hashed]).to eq(8) # each file read once, for all three destinations
      expect(reports.map(&:first)).to eq([archive.to_s, "flickr", "gphotos"])
      expect(events[:uploaded].map(&:destination).tally).to eq("flickr" => 7, "gphotos" => 7)
      expect(reports[flickr].uploaded).to eq(7)
      expect(reports[google]).to be_a(Photosync::GooglePhotosReport)
      expect(reports[google].uploaded).to eq(7)
      expect(reports[archive].copied).to eq(7)
      expect(flickr_emu.photos.map(&:md5).sort).to eq(md5s)
      expect(gphotos_emu.items.map(&:md5).sort).to eq(md5s)
      expect(archived_md5s).to eq(md5s)

      flickr_uploads = flickr_emu.photos.size
      gphotos_calls = gphotos_emu.call_counts
      again = Photosync.sync(library, to: to, catalog: catalog, calls_per_hour: 1_000_000) do |e|
        events[:again] << e if e.kind == :scanned
      end
      expect(events[:again].size).to eq(1)
      expect(again.scan[:hashed]).to eq(0)
      expect([again[flickr].uploaded, again[google].uploaded, again[archive].copied]).to eq([0, 0, 0])
      expect(again[google].bytes_sent).to eq(0)
      expect(flickr_emu.photos.size).to eq(flickr_uploads)
      expect(gphotos_emu.call_counts.select { |m, _| m.start_with?("uploads", "mediaItems.batchCreate") })
        .to eq(gphotos_calls.select { |m, _| m.start_with?("uploads", "mediaItems.batchCreate") })
      expect(archived_md5s).to eq(md5s)
    end
  end

  it "a revoked Google login fails only Google Photos: Flickr and the archive finish and are recorded" do
    md5s = photos(4)
    with_emulators do |flickr_emu, gphotos_emu|
      flickr = Photosync::Flickr.new(**flickr_emu.credentials)
      creds = gphotos_emu.credentials
      Net::HTTP.post_form(URI(gphotos_emu.revoke_url), token: creds[:refresh_token])
      archive = Photosync::Archive.new(archive_root)
      reports = Photosync.sync(library, to: [flickr, Photosync::GooglePhotos.new(**creds), archive],
                                        catalog: catalog, calls_per_hour: 1_000_000)
      expect(reports.ok?).to be(false)
      expect(reports.failures.keys).to eq(["gphotos"])
      expect(reports.failures["gphotos"]).to be_a(Photosync::LoginError)
      expect(reports.failures["gphotos"].message).to include("photosync login gphotos")
      expect([reports[flickr].uploaded, reports[archive].copied]).to eq([4, 4])
      expect(gphotos_emu.items).to be_empty

      # Logged in again: only Google Photos has anything to do.
      again = Photosync.sync(library, to: [flickr, gphotos(gphotos_emu), archive], catalog: catalog,
                                      calls_per_hour: 1_000_000)
      expect(again.ok?).to be(true)
      expect([again[flickr].uploaded, again["gphotos"].uploaded, again[archive].copied]).to eq([0, 4, 0])
      expect(gphotos_emu.items.map(&:md5).sort).to eq(md5s)
      expect(flickr_emu.photos.map(&:md5).sort).to eq(md5s)
    end
  end

  it "Google's daily quota running out stops Google Photos alone, not ok; the next day finishes it" do
    md5s = photos(6)
    with_emulators do |flickr_emu, gphotos_emu|
      gphotos_emu.daily_quota = 4
      flickr = Photosync::Flickr.new(**flickr_emu.credentials)
      google = gphotos(gphotos_emu, daily_quota: 4)
      first = Photosync.sync(library, to: [flickr, google], catalog: catalog, calls_per_hour: 1_000_000)
      expect(first.ok?).to be(false)
      expect(first[google].stopped).to include("photos left")
      expect(first[flickr].uploaded).to eq(6)

      gphotos_emu.advance_clock(24 * 3600)
      second = Photosync.sync(library, to: [flickr, google], catalog: catalog, calls_per_hour: 1_000_000)
      expect(second[flickr].uploaded).to eq(0)
      expect(first[google].uploaded + second[google].uploaded).to eq(6)
      expect(gphotos_emu.items.map(&:md5).sort).to eq(md5s)
    end
  end

  it "`photosync sync DIR --to flickr --to gphotos --to archive:PATH`: a line per destination, exit 2 when one fails" do
    photos(3)
    with_emulators do |flickr_emu, gphotos_emu|
      env = flickr_emu.env.merge(gphotos_emu.env, "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      args = ["sync", library, "--to", "flickr", "--to", "gphotos", "--to", "archive:#{archive_root}",
              "--catalog", catalog]
      out, err, status = Open3.capture3(env, RbConfig.ruby, exe, *args)
      expect(status.exitstatus).to eq(0), err
      expect(out.scan(/^scan: /).size).to eq(1)
      expect(out).to match(/^flickr: 3 to upload/)
      expect(out).to match(/^gphotos: 3 to upload/)
      expect(out).to match(/^flickr: 3 uploaded/)
      expect(out).to match(/^gphotos: 3 uploaded/)
      expect(out).to include("archive:#{File.realpath(archive_root)}: 3 copied")

      FileUtils.cp(File.join(library, "p00.jpg"), File.join(library, "p99.jpg"))
      File.open(File.join(library, "p99.jpg"), "ab") { |f| f.write("new") }
      Net::HTTP.post_form(URI(gphotos_emu.revoke_url), token: env["PHOTOSYNC_GPHOTOS_REFRESH_TOKEN"])
      out, err, status = Open3.capture3(env, RbConfig.ruby, exe, *args)
      expect(status.exitstatus).to eq(2), err
      expect(out).to match(/^flickr: 1 uploaded/)
      expect(out).to include("archive:#{File.realpath(archive_root)}: 1 copied")
      expect(out).to match(/^gphotos: failed: .*photosync login gphotos/)
    end
  end
end
