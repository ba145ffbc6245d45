# frozen_string_literal: true

require "spec_helper"
require "json"

# Every Photosync.sync, whatever its destinations, is one native run (scan, date rules,
# destinations) whose reports and events reach Ruby in their serde form.
RSpec.describe "Photosync.sync through its one native entry point" do
  let(:canon) { File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) }
  let(:library) { File.join(tmpdir, "library").tap { |d| FileUtils.mkdir_p(d) } }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:rules) { File.join(tmpdir, "dates.yml") }

  def with_emulators
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |flickr_emu|
      Photosync::GooglePhotosEmulator.start { |gphotos_emu| yield flickr_emu, gphotos_emu }
    end
  end

  def destinations(flickr_emu, gphotos_emu)
    { flickr: Photosync::Flickr.new(**flickr_emu.credentials),
      gphotos: Photosync::GooglePhotos.new(**gphotos_emu.credentials, rate_limit_wait: 0.01, backoff: 0.005) }
  end

  # Google Photos takes no date through its API (it reads the file's EXIF), so what a lone
  # Google Photos run shows of the rules is that it reads and checks them as every run does:
  # before, it ignored them, and a broken rules file let it upload.
  it "reads the date rules the same way for a lone Google Photos run as for a lone Flickr run" do
    File.binwrite(File.join(library, "a.jpg"), canon)
    File.write(rules, "rules:\n  - camera: SR6\n    shift: \"+2 fortnights\"\n")
    with_emulators do |flickr_emu, gphotos_emu|
      destinations(flickr_emu, gphotos_emu).each do |name, dest|
        expect { Photosync.sync(library, to: dest, catalog: catalog, date_rules: rules) }
          .to raise_error(Photosync::DatesError, /fortnights/), "#{name} with a broken rules file"
        expect { Photosync.sync(library, to: dest, catalog: catalog, date_rules: File.join(tmpdir, "none.yml")) }
          .to raise_error(Photosync::DatesError), "#{name} with a rules file that is not there"
      end
      expect([flickr_emu.photos, gphotos_emu.items]).to eq([[], []])

      File.write(rules, "rules:\n  - camera: SR6\n    shift: \"+2y\"\n")
      destinations(flickr_emu, gphotos_emu).each_value do |dest|
        expect(Photosync.sync(library, to: dest, catalog: catalog, date_rules: rules).uploaded).to eq(1)
      end
    end
  end

  it "gives back a file name that is not UTF-8 with its exact bytes in report errors and events" do
    odd = "caf\xE9 \xFF.jpg".b
    twin = "twin \xFE.jpg".b
    File.binwrite(File.join(library.b, odd), "not a photo at all")
    File.binwrite(File.join(library, "good.jpg"), canon)
    File.binwrite(File.join(library.b, twin), canon)
    with_emulators do |flickr_emu, gphotos_emu|
      events = []
      report = Photosync.sync(library, to: destinations(flickr_emu, gphotos_emu)[:flickr], catalog: catalog) do |e|
        events << e
      end
      # Flickr refuses the bytes (docs/outcomes.md): the path comes back in refused and errors.
      failed = (report.errors + report.refused).map(&:first).select { |p| p.b.end_with?(odd) }.uniq
      expect(failed.size).to eq(1)
      expect(failed.first.encoding).to eq(Encoding::BINARY)
      expect(File.binread(failed.first)).to eq("not a photo at all")
      expect(events.select { |e| %i[failed refused].include?(e.kind) }.map(&:path)).to eq(failed)

      # Of the two identical photos one is uploaded, the other skipped; either way each
      # event's path is the file's own, UTF-8 when it is.
      handled = events.select { |e| %i[uploaded skipped].include?(e.kind) }.map(&:path)
      expect(handled.map { |p| File.basename(p.b) }).to contain_exactly("good.jpg", twin)
      expect(handled.map(&:encoding)).to contain_exactly(Encoding::UTF_8, Encoding::BINARY)
      json = JSON.parse(JSON.generate(report.to_h))
      odd_entries = (json["errors"] + json["refused"]).select { |e| e["path"].end_with?("caf\uFFFD \uFFFD.jpg") }
      expect(odd_entries).not_to be_empty
      # The text names no file; path_b64 gives the exact bytes back (docs/cli.md).
      expect(odd_entries.map { |e| e["path_b64"].unpack1("m0") }.uniq).to eq([failed.first.b])
      expect(json["errors"].reject { |e| e["path"].include?("\uFFFD") }).to all(satisfy { |e| !e.key?("path_b64") })
    end
  end

  it "brings fields the core reports through without a reader written for them" do
    File.binwrite(File.join(library, "a.jpg"), canon)
    with_emulators do |flickr_emu, gphotos_emu|
      report = Photosync.sync(library, to: destinations(flickr_emu, gphotos_emu)[:gphotos], catalog: catalog)
      expect(report).to be_a(Photosync::GooglePhotosReport)
      expect(report.to_h).to include(uploaded: 1, reused_tokens: 0, destination: "gphotos")
      expect(report.scan).to include(media: 1, hashed: 1)
      expect(report.elapsed).to be_a(Float)
      expect(Photosync::SyncEvent.new(kind: "planned", shiny: 2)).to have_attributes(kind: :planned, shiny: 2, path: nil)
    end
  end
end
