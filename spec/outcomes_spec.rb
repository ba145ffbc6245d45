# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"

# One library with the files destinations disagree about, synced from the CLI to Flickr,
# Google Photos and an archive: the same words and counts for every destination, each
# reason printed, a refusal failing only the run that met it, and --json giving stdout
# only JSON for every destination (docs/outcomes.md).
RSpec.describe "the outcome words every destination reports" do
  let(:canon) { File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) }
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:archive_root) { File.join(tmpdir, "archive").tap { |d| FileUtils.mkdir_p(d) } }
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }

  def write_library
    FileUtils.mkdir_p(File.join(library, "sub"))
    2.times { |i| File.binwrite(File.join(library, "p#{i}.jpg"), canon + "outcome #{i}") }
    FileUtils.cp(File.join(library, "p0.jpg"), File.join(library, "sub/copy.jpg"))
    File.binwrite(File.join(library, "raw.cr2"), "II*\0\x10\0\0\0CR\x02\0 canon raw".b)
    File.binwrite(File.join(library, "odd.x3f"), "FOVb sigma raw")
    File.binwrite(File.join(library, "broken.jpg"), "these bytes are no image at all")
    # Over both clouds' 200 MB photo limit, sparse: no 201 MB written.
    File.open(File.join(library, "big.jpg"), "wb") do |f|
      f.write(canon)
      f.truncate(201 * 1024 * 1024)
    end
  end

  def sync(env, *dests, json: true)
    args = ["sync", library, *dests.flat_map { |d| ["--to", d] }, "--catalog", catalog]
    args << "--json" if json
    Open3.capture3(env, RbConfig.ruby, exe, *args)
  end

  def counts(report) = report["counts"].transform_keys(&:to_sym)

  def files(list) = list.map { |h| File.basename(h["path"]) }.sort

  it "counts every file once under one word, prints each reason, and fails only the run that met a refusal" do
    write_library
    Photosync::Emulator.start(calls_per_hour: 1_000_000, search_lag: 0) do |flickr_emu|
      Photosync::GooglePhotosEmulator.start do |gphotos_emu|
        env = flickr_emu.env.merge(gphotos_emu.env, "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
        archive = "archive:#{archive_root}"
        out, err, status = sync(env, "flickr", "gphotos", archive)
        expect(status.exitstatus).to eq(2), err
        reports = JSON.parse(out)["destinations"]
        flickr, google = reports.values_at("flickr", "gphotos")
        copies = reports.fetch("archive:#{File.realpath(archive_root)}")
        zero = { done: 0, already_there: 0, duplicates: 1, not_taken: 0, refused: 0, refused_before: 0,
                 failed: 0, unreadable: 0 }
        expect(counts(flickr)).to eq(zero.merge(done: 2, not_taken: 3, refused: 1))
        expect(counts(google)).to eq(zero.merge(done: 3, not_taken: 2, refused: 1))
        expect(counts(copies)).to eq(zero.merge(done: 6))
        expect(files(flickr["not_taken"])).to eq(%w[big.jpg odd.x3f raw.cr2])
        expect(files(google["not_taken"])).to eq(%w[big.jpg odd.x3f])
        expect([files(flickr["refused"]), files(google["refused"])]).to eq([%w[broken.jpg]] * 2)
        expect(google["refused"].first["reason"]).to include("BAD_IMAGE")
        expect(err).to match(/^flickr: 2 done, 0 already there, 1 local duplicates, 3 not taken, 1 refused, /)
        expect(err).to match(/^gphotos: 3 done, 0 already there, 1 local duplicates, 2 not taken, 1 refused, /)
        expect(err).to match(%r{^  not taken: .*/raw\.cr2: Flickr does not accept camera RAW files})
        expect(err).to match(%r{^  not taken: .*/big\.jpg: 201 MB is over Google Photos' 200 MB limit for photos})
        expect(err).to match(%r{^  refused: .*/broken\.jpg: Google Photos refused it: BAD_IMAGE})
        expect(err).to match(%r{^  refused: .*/broken\.jpg: .*Filetype was not recognised})
        expect([flickr_emu.photos.size, gphotos_emu.items.size]).to eq([2, 3])

        # Each destination alone, again: nothing sent, the refusal still shown, exit 0.
        ["flickr", "gphotos", archive].each do |dest|
          out, err, status = sync(env, dest)
          expect(status.exitstatus).to eq(0), err
          report = JSON.parse(out)
          report = report["destinations"].values.first if report.key?("destinations")
          expect(counts(report)[:done]).to eq(0)
          expect(counts(report)[:failed] + counts(report)[:refused]).to eq(0)
          next if dest == archive

          expect(counts(report)[:refused_before]).to eq(1), dest
          expect(err).to match(%r{^  refused: .*/broken\.jpg: .* refused it on an earlier run: }), err
        end
        expect([flickr_emu.photos.size, gphotos_emu.items.size]).to eq([2, 3])

        # Files a destination does not take, or refused, are not "missing" there either.
        [%w[flickr], ["gphotos", library]].each do |args|
          out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", *args, "--catalog", catalog)
          expect(status.exitstatus).to eq(0), out + err
        end
      end
    end
  end

  it "the Ruby API gives the same words as events and as the report's counts" do
    write_library
    File.delete(File.join(library, "big.jpg"))
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |flickr_emu|
      events = Hash.new { |h, k| h[k] = [] }
      report = Photosync.sync(library, to: Photosync::Flickr.new(**flickr_emu.credentials), catalog: catalog,
                                       calls_per_hour: 1_000_000) { |e| events[e.kind] << File.basename(e.path.to_s) }
      expect(events[:not_taken].sort).to eq(%w[odd.x3f raw.cr2])
      expect(events[:refused]).to eq(%w[broken.jpg])
      expect(report.counts).to include(done: 2, duplicates: 1, not_taken: 2, refused: 1)
      expect([report.uploaded, report.failed, report.ok?]).to eq([2, 1, false])
      again = Photosync.sync(library, to: Photosync::Flickr.new(**flickr_emu.credentials), catalog: catalog,
                                      calls_per_hour: 1_000_000)
      expect(again.counts).to include(already_there: 2, refused_before: 1, refused: 0)
      expect(again.refused.map { |path, _| File.basename(path) }).to eq(%w[broken.jpg])
      expect(again.ok?).to be(true)
    end
  end

  it "restore --json writes only JSON on stdout" do
    write_library
    File.delete(File.join(library, "big.jpg"))
    _out, err, status = sync({}, "archive:#{archive_root}", json: false)
    expect(status.exitstatus).to eq(0), err
    out, err, status = Open3.capture3(RbConfig.ruby, exe, "restore", "--from", "archive:#{archive_root}",
                                      File.join(tmpdir, "back"), "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(0), err
    expect(JSON.parse(out)["downloaded"]).to eq(5)
    expect(err).to include("plan:")
  end
end
