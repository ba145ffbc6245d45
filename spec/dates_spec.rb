# frozen_string_literal: true

require "spec_helper"
require "json"
require "photosync/cli"
require_relative "support/flickr_context"

# Taken-dates end to end through the native extension: the checks on the real fixtures,
# rules, the CLI, and pushing corrected dates to the Flickr emulator.
RSpec.describe "Photosync::Dates" do
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:rules_file) { File.join(tmpdir, "dates.yml") }
  let(:sanyo) { "jpg/exif-org/sanyo-vpcg250.jpg" }
  let(:polaroid) { "jpg/WWL_(Polaroid)_ION230.jpg" }

  def review(**opts)
    Photosync::Dates.review(library, catalog: catalog, **opts)
  end

  def relative(finding)
    finding.path.delete_prefix("#{File.realpath(library)}/")
  end

  describe "on the fixtures" do
    before { copy_fixtures(FIXTURE_IMAGES, library) }

    it "flags the Sanyo reset date and the Polaroid's date after its ModifyDate, and no other dated photo" do
      findings = review(rules: nil)
      by_path = findings.to_h { |f| [relative(f), f] }

      expect(by_path.fetch(sanyo).reasons.map { |r| r[:code] }).to eq([:factory_reset])
      expect(by_path.fetch(sanyo).date).to eq("1998-01-01 00:00:00")
      expect(by_path.fetch(sanyo).reason).to match(/1998-01-01 00:00:00 is a camera clock's reset value/)
      expect(by_path.fetch(sanyo).proposed_fix[:by]).to eq("add a shift rule for camera SANYO Electric Co.,Ltd. SR6")

      # exif-py and exiftool agree: DateTimeOriginal 2026:11:24 14:41:16, ModifyDate
      # (IFD0 DateTime) 2008:07:31 17:32:06.
      p = by_path.fetch(polaroid)
      expect(p.reasons.map { |r| r[:code] }).to eq([:after_modify_date])
      expect(p.reason).to include("ModifyDate 2008-07-31 17:32:06")
      expect(p.suggestion).to eq(date: "2008-07-31 17:32:06", from: "the file's ModifyDate")
      expect(p.confidence).to eq(:low)

      # Every other photo listed has no date in the file at all (its mtime is a guess).
      others = findings.reject { |f| [sanyo, polaroid].include?(relative(f)) }
      expect(others.map { |f| f.reasons.map { |r| r[:code] } }.uniq).to eq([[:missing]])
      expect(others.map(&:source).uniq).to eq([:mtime])
      dated = Photosync.scan(library, catalog: catalog).reject { |ph| ph.taken_at_source == :mtime }
      expect(dated.size).to be > 40
      expect(findings.map(&:path) & dated.map(&:path)).to contain_exactly(
        *[sanyo, polaroid].map { |n| File.join(File.realpath(library), n) }
      )
    end

    it "reads XMP dates the scanner had no EXIF date for" do
      photos = Photosync.scan(library, catalog: catalog).to_h { |ph| [ph.path.delete_prefix("#{File.realpath(library)}/"), ph] }
      # exiftool: XMP-xmp:CreateDate 2013:09:23 10:09:46+02:00, no EXIF.
      expect(photos["jpg/xmp/no_exif.jpg"].taken_at_source).to eq(:xmp)
      expect(photos["jpg/xmp/no_exif.jpg"].taken_at_confidence).to eq(:medium)
      expect(photos["jpg/Canon_40D.jpg"].taken_at_confidence).to eq(:high)
      expect(photos["jpg/orientation/portrait_1.jpg"].taken_at_confidence).to eq(:low)
      # photoshop:DateCreated 2003-08-31 wins over xmp:CreateDate and the EXIF ModifyDate.
      expect(photos["jpg/long_description.jpg"].taken_at_source).to eq(:xmp)
      expect(photos["jpg/long_description.jpg"].taken_at.strftime("%F %T")).to eq("2003-08-31 00:00:00")
    end

    it "reads a video's QuickTime creation time when its moov box is in the head" do
      box = ->(type, payload) { [payload.bytesize + 8].pack("N") + type + payload }
      # 2019-05-12 14:30:15 UTC in seconds since 1904.
      mvhd = box.call("mvhd", [0, 1_557_671_415 + 2_082_844_800].pack("NN") + ("\0" * 92))
      File.binwrite(File.join(library, "clip.mp4"), box.call("ftyp", "isom\0\0\0\0isom") + box.call("moov", mvhd))
      clip = Photosync.scan(library, catalog: nil).find { |ph| ph.path.end_with?("clip.mp4") }
      expect(clip.taken_at_source).to eq(:quicktime)
      expect(clip.taken_at.utc.strftime("%F %T")).to eq("2019-05-12 14:30:15")
    end

    it "moves exactly the photos a shift rule names" do
      File.write(rules_file, <<~YAML)
        rules:
          - camera: SR6
            shift: "+2y10m3d 4:05:06"
          - camera: COOLPIX P6000
            between: ["2008-10-22 16:40:00", "2008-10-22 17:00:00"]
            shift: "+0:30"
      YAML
      moved = review(rules: rules_file).select(&:fix).to_h { |f| [relative(f), f.fix] }
      expect(moved.keys).to contain_exactly(sanyo, "jpg/gps/DSCN0025.jpg", "jpg/gps/DSCN0027.jpg", "jpg/gps/DSCN0029.jpg",
                                            "jpg/gps/DSCN0038.jpg", "jpg/gps/DSCN0040.jpg")
      expect(moved[sanyo]).to include(date: "2000-11-04 04:05:06", granularity: 0)
      expect(moved[sanyo][:by]).to start_with("rule 1 (camera SR6: shift +2y10m3d 4:05:06)")
      expect(moved["jpg/gps/DSCN0040.jpg"][:date]).to eq("2008-10-22 17:25:37")
    end

    it "refuses a rules file with a mistake, naming it" do
      File.write(rules_file, "rules:\n  - camera: SR6\n    shift: '2 years'\n")
      expect { review(rules: rules_file) }.to raise_error(Photosync::DatesError, /dates.yml.*rule 1.*"2 years"/)
      expect { review(rules: File.join(tmpdir, "missing.yml")) }.to raise_error(Photosync::DatesError, /missing.yml/)
    end
  end

  describe "the command" do
    before { copy_fixtures([sanyo, polaroid, "jpg/Canon_40D.jpg"], library) }

    def cli(*args, env: {})
      out = StringIO.new
      err = StringIO.new
      saved = env.to_h { |k, _| [k, ENV.fetch(k, nil)] }
      env.each { |k, v| ENV[k] = v }
      status = Photosync::CLI.new(out, err).run(args)
      [status, out.string, err.string]
    ensure
      saved&.each { |k, v| ENV[k] = v }
    end

    it "lists suspicious photos by camera, and as JSON with path, date, source, reason and fix" do
      status, out, = cli("dates", library, "--catalog", catalog, "--rules", rules_file.tap { |f| File.write(f, "") })
      expect(status).to eq(0)
      expect(out).to include("== SANYO Electric Co.,Ltd. SR6 (1)", "== WWL ION230 (1)")
      expect(out).to include("proposed: 2008-07-31 17:32:06, the file's ModifyDate; add a rule to use it")
      expect(out).not_to include("Canon_40D")
      expect(out).to end_with("2 suspicious dates, 0 corrected by rules\n")

      status, out, = cli("dates", library, "--catalog", catalog, "--rules", rules_file, "--json")
      expect(status).to eq(0)
      rows = out.lines.map { |l| JSON.parse(l) }
      expect(rows.size).to eq(2)
      rows.each { |r| expect(r.keys).to include("path", "date", "source", "reason", "fix") }
      row = rows.find { |r| r["path"].end_with?("sanyo-vpcg250.jpg") }
      expect(row).to include("date" => "1998-01-01 00:00:00", "source" => "exif")
      expect(row["reason"]).to include("reset value")
    end

    it "--rules previews the corrected dates" do
      File.write(rules_file, "rules:\n  - camera: SR6\n    shift: '+1y'\n")
      _, out, = cli("dates", library, "--catalog", catalog, "--rules", rules_file)
      expect(out).to include("fix: 1999-01-01 00:00:00, rule 1 (camera SR6: shift +1y0m0d 0:00:00)")
      expect(out).to end_with("2 suspicious dates, 1 corrected by rules\n")
    end

    it "fails with one line on a bad rules file" do
      File.write(rules_file, "rules: [{camera: SR6, shift: 'soon'}]")
      status, _, err = cli("dates", library, "--catalog", catalog, "--rules", rules_file)
      expect(status).to eq(1)
      expect(err.lines.size).to eq(1)
      expect(err).to match(/photosync: .*bad date offset "soon"/)
    end
  end

  describe "with Flickr" do
    include_context "a library synced to the emulator"

    before do
      copy_fixtures([sanyo, "jpg/Canon_40D.jpg"], library)
      FileUtils.mkdir_p(File.join(library, "polaroid"))
      FileUtils.cp(File.join(FIXTURES, polaroid), File.join(library, "polaroid", "ION230.jpg"))
      File.write(rules_file, <<~YAML)
        rules:
          - camera: SR6
            shift: "+2y10m3d 4:05:06"
          - folder: polaroid
            date: 2008-07
      YAML
    end

    def remote(name)
      md5 = Digest::MD5.file(File.join(library, name)).hexdigest
      emu.photos.find { |p| p.md5 == md5 }
    end

    def set_dates_calls
      emu.call_counts.fetch("flickr.photos.setDates", 0)
    end

    it "--apply sets the corrected dates with their granularity on uploaded photos; a second --apply changes nothing" do
      Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000, date_rules: nil)
      expect(remote(sanyo).date_taken).to eq("1998-01-01 00:00:00")
      before = set_dates_calls

      report = Photosync::Dates.apply(library, to: flickr, rules: rules_file, catalog: catalog)
      expect([report.set, report.unchanged, report.not_uploaded, report.failed]).to eq([2, 0, [], []])
      expect(set_dates_calls - before).to eq(2)
      expect(remote(sanyo).date_taken).to eq("2000-11-04 04:05:06")
      info = flickr.photos.getInfo(photo_id: remote("polaroid/ION230.jpg").id)
      expect([info.dates.taken, info.dates.takengranularity.to_i]).to eq(["2008-07-01 00:00:00", 4])
      expect(remote("jpg/Canon_40D.jpg").date_taken).to eq("2008-05-30 15:56:01")

      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "config"))
      saved = env.to_h { |k, _| [k, ENV.fetch(k, nil)] }
      out = StringIO.new
      begin
        env.each { |k, v| ENV[k] = v }
        status = Photosync::CLI.new(out, StringIO.new).run(["dates", library, "--apply", "--rules", rules_file,
                                                            "--catalog", catalog])
      ensure
        saved.each { |k, v| ENV[k] = v }
      end
      expect(status).to eq(0)
      expect(out.string).to include("Flickr: 0 dates set, 2 already right, 0 corrected photos not on Flickr")
      expect(set_dates_calls - before).to eq(2)
    end

    it "sync uploads new photos with the rules' dates" do
      report = Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000, date_rules: rules_file)
      expect(report.failed).to eq(0)
      expect(remote(sanyo).date_taken).to eq("2000-11-04 04:05:06")
      expect(remote("polaroid/ION230.jpg").date_taken).to eq("2008-07-01 00:00:00")
      expect(remote("jpg/Canon_40D.jpg").date_taken).to eq("2008-05-30 15:56:01")
    end

    it "counts photos not uploaded yet instead of calling Flickr for them" do
      report = Photosync::Dates.apply(library, to: flickr, rules: rules_file, catalog: catalog)
      expect(report.set).to eq(0)
      expect(report.not_uploaded.map { |p| File.basename(p) }).to contain_exactly("sanyo-vpcg250.jpg", "ION230.jpg")
      expect(set_dates_calls).to eq(0)
    end
  end
end
