# frozen_string_literal: true

require "spec_helper"
require "net/http"

# Photosync.sync(dir, to: Photosync::GooglePhotos) end to end through the native engine,
# against the Google Photos emulator.
RSpec.describe "Photosync.sync to Google Photos" do
  let(:canon) { File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) }
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }

  def distinct_photos(n)
    FileUtils.mkdir_p(library)
    n.times { |i| File.binwrite(File.join(library, format("photo%03d.jpg", i)), canon + "distinct #{i}") }
    Dir[File.join(library, "*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
  end

  def gphotos(emu, **settings)
    Photosync::GooglePhotos.new(**emu.credentials, rate_limit_wait: 0.01, backoff: 0.005, **settings)
  end

  def sync(emu, dest = gphotos(emu), **opts, &block)
    Photosync.sync(library, to: dest, catalog: catalog, **opts, &block)
  end

  def expect_each_once(emu, md5s)
    expect(emu.items.map(&:md5).sort).to eq(md5s)
    emu.items.each { |i| expect(i.description).to eq("checksum:md5=#{i.md5}") }
  end

  it "logs in through the loopback redirect with PKCE and state, and the token it stores syncs" do
    Photosync::GooglePhotosEmulator.start do |emu|
      opened = nil
      token = Photosync::GooglePhotos.login(client_id: emu.client_id, client_secret: emu.client_secret,
                                            endpoint: emu.endpoint, timeout: 20) do |url|
        opened = URI(url)
        # The "browser": the consent page approves at once and redirects to the loopback.
        consent = Net::HTTP.get_response(opened)
        expect(consent.code).to eq("302")
        back = URI(consent["location"])
        expect(back.host).to eq("127.0.0.1")
        expect(Net::HTTP.get_response(back).body).to include("authorized")
      end
      query = URI.decode_www_form(opened.query).to_h
      expect(query).to include("code_challenge_method" => "S256", "response_type" => "code")
      expect(query["state"].size).to be >= 16
      expect(query["redirect_uri"]).to match(%r{\Ahttp://127\.0\.0\.1:\d+/\z})
      expect(token).not_to be_empty

      md5s = distinct_photos(2)
      dest = Photosync::GooglePhotos.new(client_id: emu.client_id, client_secret: emu.client_secret,
                                         refresh_token: token, endpoint: emu.endpoint)
      expect(sync(emu, dest).uploaded).to eq(2)
      expect_each_once(emu, md5s)
    end
  end

  it "says plainly to log in again when the refresh token was revoked" do
    Photosync::GooglePhotosEmulator.start do |emu|
      creds = emu.credentials
      Net::HTTP.post_form(URI(emu.revoke_url), token: creds[:refresh_token])
      distinct_photos(1)
      dest = Photosync::GooglePhotos.new(**creds)
      expect { sync(emu, dest) }.to raise_error(Photosync::LoginError, /run `photosync login gphotos` again/)
      expect(emu.items).to be_empty
    end
  end

  it "creates 120 photos in ceil(120/50) batchCreate calls, and a second run creates nothing" do
    Photosync::GooglePhotosEmulator.start do |emu|
      md5s = distinct_photos(120)
      events = []
      first = sync(emu) { |e| events << e.kind }
      expect([first.uploaded, first.failed, first.batch_create_calls]).to eq([120, 0, 3])
      expect(emu.call_counts).to include("mediaItems.batchCreate" => 3, "uploads" => 120)
      expect(events).to include(:planned, :started, :uploaded, :finished)
      expect_each_once(emu, md5s)

      second = sync(emu)
      expect([second.uploaded, second.skipped, second.batch_create_calls, second.api_calls]).to eq([0, 120, 0, 0])
      expect(emu.call_counts["mediaItems.batchCreate"]).to eq(3)
      expect(emu.items.size).to eq(120)
    end
  end

  it "after a run with 20% faults of every kind, a clean run leaves every photo exactly once" do
    Photosync::GooglePhotosEmulator.start(fault_rate: 0.2, seed: 11) do |emu|
      md5s = distinct_photos(60)
      begin
        sync(emu, concurrency: 6)
      rescue Photosync::SyncError
        nil # a faulty run may give up; what it finished is recorded
      end
      expect(emu.items.map(&:md5).tally.values.uniq - [1]).to be_empty
      emu.fault_rate = 0.0
      clean = sync(emu)
      expect(clean.failed).to eq(0), clean.errors.inspect
      expect_each_once(emu, md5s)
    end
  end

  it "resumes a resumable upload cut in the middle from the server's offset" do
    Photosync::GooglePhotosEmulator.start(seed: 3, faults: %w[cut_upload]) do |emu|
      FileUtils.mkdir_p(library)
      big = File.join(library, "big.jpg")
      File.binwrite(big, canon + ("x" * (3 * 1024 * 1024)))
      size = File.size(big)
      emu.fault_rate = 0.5
      report = sync(emu, gphotos(emu, resumable_above: 1024 * 1024, chunk_size: 1024 * 1024))
      emu.fault_rate = 0.0
      puts "\n    resumable upload of #{size} bytes: #{report.bytes_sent} bytes sent, resumed #{report.resumed} times"
      expect(report.uploaded).to eq(1)
      expect(report.resumed).to be >= 1
      expect(report.bytes_sent).to be >= size
      expect(report.bytes_sent).to be < 2 * size
      expect(emu.call_counts["uploads.query"]).to be >= 1
      expect(emu.items.map(&:md5)).to eq([Digest::MD5.file(big).hexdigest])
    end
  end

  it "stops cleanly when the daily quota of 100 runs out and finishes the next day, nothing twice" do
    Photosync::GooglePhotosEmulator.start(daily_quota: 100) do |emu|
      md5s = distinct_photos(150)
      dest = gphotos(emu, daily_quota: 100)
      first = sync(emu, dest)
      expect(first.failed).to eq(0)
      expect(first.stopped).to include("#{first.left} photos left, the quota resets at 00:00 Pacific")
      expect(first).not_to be_ok, "a run the quota stopped is not ok: cron hears of it"
      expect(first.uploaded + first.left).to eq(150)
      expect(emu.quota_used).to be <= 100

      emu.advance_clock(24 * 3600)
      second = sync(emu, dest)
      expect(second.stopped).to be_nil
      expect(second).to be_ok
      expect(first.uploaded + second.uploaded).to eq(150)
      expect_each_once(emu, md5s)
    end
  end

  it "verify rebuilds a deleted catalog from the descriptions, and the next sync uploads nothing" do
    Photosync::GooglePhotosEmulator.start do |emu|
      md5s = distinct_photos(5)
      dest = gphotos(emu)
      expect(sync(emu, dest).uploaded).to eq(5)
      FileUtils.rm_f(Dir["#{catalog}*"])
      report = dest.verify(library, catalog: catalog)
      expect([report.items, report.rebuilt, report.missing, report.unknown]).to eq([5, 5, [], []])
      expect(report).to be_ok
      again = sync(emu, dest)
      expect([again.uploaded, again.skipped]).to eq([0, 5])
      expect_each_once(emu, md5s)
    end
  end

  it "puts photos into one album per folder with albums: :folders, once" do
    Photosync::GooglePhotosEmulator.start do |emu|
      copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
      dest = gphotos(emu)
      first = sync(emu, dest, albums: :folders)
      expect([first.uploaded, first.album_adds, first.albums_created]).to eq([3, 3, 2])
      expect(emu.albums.to_h { |a| [a.title, a.items.size] }).to eq("jpg" => 2, "jpg/exif-org" => 1)
      again = sync(emu, dest, albums: :folders)
      expect([again.album_adds, again.albums_created]).to eq([0, 0])
    end
  end
end
