# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require_relative "support/flickr_context"

# Photosync.sync end to end: scan, index, plan and uploads through the native engine,
# against the emulator.
RSpec.describe "Photosync.sync to Flickr" do
  include_context "a library synced to the emulator"

  let(:names) { ["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg", "jpg/Fujifilm_FinePix6900ZOOM.jpg"] }
  let(:local_md5s) { Dir[File.join(library, "**/*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.uniq.sort }

  def sync(**opts, &block)
    Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000, **opts, &block)
  end

  before { copy_fixtures(names, library) }

  it "uploads every photo once with its checksum tag, family-only; a second run uploads nothing" do
    events = []
    caller = Thread.current
    report = sync { |e| events << [e.kind, Thread.current == caller] }
    expect(report.uploaded).to eq(4)
    expect(report.failed).to eq(0)
    expect(emu.photos.map(&:md5).sort).to eq(local_md5s)
    emu.photos.each do |p|
      expect(p.machine_tags).to include("checksum:md5=#{p.md5}")
      expect([p.is_public, p.is_friend, p.is_family]).to eq([false, false, true])
    end
    expect(events.map(&:first).uniq).to include(:planned, :started, :uploaded, :finished)
    expect(events.map(&:last).uniq).to eq([true])

    again = sync
    expect(again.uploaded).to eq(0)
    expect(again.skipped).to eq(4)
    expect(again.api_calls).to be <= 5
    expect(emu.photos.size).to eq(4)
  end

  it "uploads only what an old flickraw script did not, and a local duplicate once", search_lag: 0 do
    old = old_script
    first = File.join(library, names.first)
    old.upload_photo(first, title: "old", tags: "checksum:md5=#{Digest::MD5.file(first).hexdigest}")
    FileUtils.cp(File.join(library, names.last), File.join(library, "copy of it.jpg"))
    report = sync
    expect(report.uploaded).to eq(3)
    expect(emu.photos.map(&:md5).tally.values.uniq).to eq([1])
    expect(emu.photos.map(&:md5).sort).to eq(local_md5s)
  end

  it "changes nothing with dry_run: and says what it would do" do
    planned = nil
    report = sync(dry_run: true) { |e| planned = e if e.kind == :planned }
    expect(planned.to_upload).to eq(4)
    expect(report.uploaded).to eq(0)
    expect(emu.photos).to be_empty
  end

  it "uploads with the privacy asked for, and the extra tags" do
    sync(privacy: :private, tags: ["family archive"])
    expect(emu.photos.map { |p| [p.is_public, p.is_friend, p.is_family] }.uniq).to eq([[false, false, false]])
    expect(emu.photos.first.tags).to include("familyarchive")
  end

  it "survives 20% faults of every kind with each photo on Flickr exactly once" do
    emu.fault_rate = 0.2
    report = sync(concurrency: 4)
    expect(report.failed).to eq(0), report.errors.inspect
    expect(emu.photos.map(&:md5).sort).to eq(local_md5s)
  end

  it "stops with a clear Photosync::SyncError when Flickr refuses the credentials" do
    bad = Photosync::Flickr.new(**emu.credentials, access_secret: "wrong")
    expect { Photosync.sync(library, to: bad, catalog: nil) }
      .to raise_error(Photosync::SyncError, /96|signature/i)
  end

  it "sets taken dates that did not come from EXIF, unless told not to" do
    FileUtils.rm_rf(library)
    FileUtils.mkdir_p(library)
    bytes = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    # No EXIF: cut the APP1 segment out; the date then comes from the file name.
    app1 = bytes.index("\xFF\xE1".b)
    len = bytes.byteslice(app1 + 2, 2).unpack1("n")
    bare = bytes.byteslice(0, app1) + bytes.byteslice(app1 + 2 + len..)
    File.binwrite(File.join(library, "IMG_20190512_143015.jpg"), bare)
    sync(set_dates: false)
    expect(emu.call_counts.fetch("flickr.photos.setDates", 0)).to eq(0)
    File.binwrite(File.join(library, "IMG_20190513_101500.jpg"), bare + "x")
    sync
    expect(emu.call_counts.fetch("flickr.photos.setDates", 0)).to eq(1)
    dated = emu.photos.find { |p| p.title == "IMG_20190513_101500" }
    expect(dated.date_taken).to eq("2019-05-13 10:15:00")
  end

  it "refuses an unknown privacy before doing anything" do
    expect { sync(privacy: :everyone) }.to raise_error(ArgumentError, /privacy/)
  end

  it "files every photo into its folder's album with albums: :folders, once, titled from the template" do
    events = []
    report = sync(albums: :folders, title: "{folder}: {stem}") { |e| events << e }
    expect(report.album_adds).to eq(4)
    expect(report.albums_created).to eq(2)
    albums = emu.albums.to_h { |a| [a.title, a.photo_ids.size] }
    expect(albums).to eq("jpg" => 3, "jpg/exif-org" => 1)
    expect(emu.photos.map(&:title)).to include("jpg: Canon_40D", "exif-org: sanyo-vpcsx550")
    added = events.select { |e| e.kind == :album }
    expect(added.map(&:album).tally).to eq("jpg" => 3, "jpg/exif-org" => 1)
    expect(added.map(&:photo_id).sort).to eq(emu.photos.map(&:id).sort)

    again = sync(albums: :folders)
    expect([again.uploaded, again.album_adds]).to eq([0, 0])
    expect(emu.albums.sum { |a| a.photo_ids.size }).to eq(4)
  end

  it "refuses an unknown title field or albums mode before doing anything" do
    expect { sync(title: "{stme}") }.to raise_error(ArgumentError, /unknown field \{stme\}/)
    expect { sync(albums: :years) }.to raise_error(ArgumentError, /albums/)
    expect(emu.call_counts).to be_empty
  end

  it "uploads asynchronously with async: true, polling the tickets, each photo once" do
    report = sync(async: true)
    expect([report.uploaded, report.failed]).to eq([4, 0])
    expect(emu.photos.map(&:md5).sort).to eq(local_md5s)
    expect(emu.call_counts["flickr.photos.upload.checkTickets"]).to be_between(1, 4)
    expect(sync(async: true).uploaded).to eq(0)
  end

  it "`photosync sync --albums folders --title T --async` does all three" do
    exe = File.expand_path("../exe/photosync", __dir__)
    env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog,
                                      "--albums", "folders", "--title", "{date} {stem}", "--async", "--json")
    expect(status.exitstatus).to eq(0), err
    report = JSON.parse(out.lines.last)
    expect(report.values_at("uploaded", "album_adds")).to eq([4, 4])
    expect(emu.albums.map(&:title).sort).to eq(["jpg", "jpg/exif-org"])
    expect(emu.photos.map(&:title)).to all(match(/\A\d{4}-\d\d-\d\d \S+\z/))
  end

  it "`photosync sync` uses the FLICKRAW_* environment and prints a JSON report" do
    exe = File.expand_path("../exe/photosync", __dir__)
    env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(0), err
    report = JSON.parse(out.lines.last)
    expect(report["uploaded"]).to eq(4)
    expect(emu.photos.size).to eq(4)
  end

  it "`photosync demo` syncs a generated library to both built-in emulators twice, uploading nothing the second time" do
    exe = File.expand_path("../exe/photosync", __dir__)
    out, err, status = Open3.capture3({ "XDG_CACHE_HOME" => File.join(tmpdir, "cache") }, RbConfig.ruby, exe, "demo")
    expect(status.exitstatus).to eq(0), err
    first, second = out.split("== second run")
    uploaded = %w[flickr gphotos].to_h { |d| [d, first[/^#{d}: (\d+) uploaded/, 1].to_i] }
    expect(uploaded.values).to all(be_positive)
    expect(second).to match(/^flickr: 0 uploaded/)
    expect(second).to match(/^gphotos: 0 uploaded/)
    expect(second.scan(/^scan: /).size).to eq(1)
    expect(out).to match(/Flickr emulator now holds #{uploaded["flickr"]} photos, each once \(#{uploaded["flickr"]} distinct MD5s\)/)
    expect(out).to match(/Google Photos emulator now holds #{uploaded["gphotos"]} photos, each once \(#{uploaded["gphotos"]} distinct MD5s\)/)
  end
end
