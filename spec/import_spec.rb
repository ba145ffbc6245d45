# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require_relative "support/pictures"

# Photosync.import and `photosync import` on a small "old drives" corpus: exact copies, an
# exiftool-edited copy, a truncated file, an unreadable one, a non-UTF-8 name; smaller copies.
RSpec.describe "import" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:library) { File.join(tmpdir, "library").tap { |d| FileUtils.mkdir_p(d) } }
  let(:drive) { File.join(tmpdir, "drive") }

  def cli(*args)
    Open3.capture3({ "XDG_DATA_HOME" => File.join(tmpdir, "data") }, RbConfig.ruby, exe, *args)
  end

  # chmod 000 does not stop root: there the unreadable file is a link to /proc/self/mem,
  # whose first page no process maps (EIO).
  def unreadable(path)
    FileUtils.mkdir_p(File.dirname(path))
    if Process.euid.zero?
      File.symlink("/proc/self/mem", path)
    else
      File.binwrite(path, "\xFF\xD8 secret")
      File.chmod(0, path)
    end
  end

  # 3 distinct pictures (Canon twice, Nikon, Pentax), an edited Nikon, a truncated Pentax,
  # an unreadable file.
  def build_drive
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/Pentax_K10D.jpg"], drive)
    FileUtils.cp(File.join(FIXTURES, "jpg/Canon_40D.jpg"), File.join(drive, "caf\xE9.jpg".b))
    edited = File.join(drive, "edited/Nikon_D70.jpg")
    FileUtils.mkdir_p(File.dirname(edited))
    FileUtils.cp(File.join(FIXTURES, "jpg/Nikon_D70.jpg"), edited)
    _, err, st = Open3.capture3("exiftool", "-AllDates+=1:0:0 0:0:0", "-Make=", "-overwrite_original", "-q", edited)
    raise err unless st.success?

    whole = File.binread(File.join(FIXTURES, "jpg/Pentax_K10D.jpg"))
    File.binwrite(File.join(drive, "cut.jpg"), whole[0, whole.size / 2])
    unreadable(File.join(drive, "bad/IMG_9999.JPG"))
  end

  it "copies each picture once, reports the inventory, and copies nothing the second time" do
    build_drive
    events = []
    report = Photosync.import([drive], into: library, catalog: catalog) { |e| events << e.kind }
    src = report.sources.first
    expect([src.files, src.new, src.in_library, src.copies, src.other_form, src.damaged, src.unreadable])
      .to eq([7, 3, 0, 1, 1, 1, 1])
    expect(report.imported).to eq(3)
    expect(report).not_to be_ok
    expect(report.errors.map(&:first)).to eq([File.join(File.realpath(drive), "bad/IMG_9999.JPG")])
    expect(report.other_forms.first[:dates_differ]).to be(true)
    expect(events).to include(:library_scanned, :reading, :planned, :copied, :finished)
    phases = report.phases.transform_keys(&:to_sym)
    expect(phases.keys).to eq(%i[reading judging copying])
    expect(phases.values.sum).to be_between(0, report.elapsed)
    held = md5s_under(library)
    expect(held.size).to eq(3)
    expect(held.values.uniq.size).to eq(3)

    again = Photosync.import([drive], into: library, catalog: catalog)
    expect(again.imported).to eq(0)
    expect(again.sources.first.in_library).to eq(4)
    expect(md5s_under(library)).to eq(held)

    # The next sync backs the imported photos up, without reading them again.
    backup = File.join(tmpdir, "backup").tap { |d| FileUtils.mkdir_p(d) }
    synced = Photosync.sync(library, to: Photosync::Archive.new(backup), catalog: catalog)
    expect(synced.copied).to eq(3)
    expect(synced.scan[:hashed]).to eq(0)
  end

  it "imports a damaged file that is the only copy of its photo, flagged, and leaves a copy cut short out" do
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    copy_fixtures(["jpg/Pentax_K10D.jpg"], drive)
    pentax = File.binread(File.join(drive, "jpg/Pentax_K10D.jpg"))
    File.binwrite(File.join(drive, "only.jpg"), canon[0, canon.size / 2])
    File.binwrite(File.join(drive, "pentax_cut.jpg"), pentax[0, pentax.size / 2])
    report = Photosync.import([drive], into: library, catalog: catalog)
    src = report.sources.first
    expect([src.files, src.new, src.damaged, report.imported]).to eq([3, 1, 2, 2])
    reasons = report.damaged.to_h.transform_keys { |path| File.basename(path) }
    expect(reasons["only.jpg"]).to match(/cut short; imported all the same/)
    expect(reasons["pentax_cut.jpg"]).to match(%r{not imported: .*jpg/Pentax_K10D.jpg starts with all of its bytes})
    flagged = Photosync.scan(library, catalog: catalog).select(&:damaged?)
    expect(flagged.map(&:md5)).to eq([Digest::MD5.hexdigest(canon[0, canon.size / 2])])
  end

  it "runs from the command line: a summary, --json alone on stdout, exit 2 for the unreadable file" do
    build_drive
    out, err, st = cli("import", drive, "--into", library, "--catalog", catalog, "--dry-run")
    expect(st.exitstatus).to eq(2), err
    expect(out).to match(/3 new photos to copy/)
    expect(out).to match(/7 files: 3 new, 0 already in the library, 1 copies, 1 in another form, 0 smaller copies, 1 damaged, 1 unreadable/)
    expect(md5s_under(library)).to be_empty

    out, err, st = cli("import", drive, "--into", library, "--catalog", catalog, "--json")
    expect(st.exitstatus).to eq(2), err
    json = JSON.parse(out)
    expect(json["imported"]).to eq(3)
    expect(json["sources"].first["other_form"]).to eq(1)
    expect(json["errors"].first["path"]).to end_with("bad/IMG_9999.JPG")
    expect(err).to match(/3 new photos copied/)
    expect(md5s_under(library).size).to eq(3)
  end

  it "refuses bad command lines with one line and status 1" do
    FileUtils.mkdir_p(drive)
    [
      [["import", drive], /--into LIBRARY is required/],
      [["import", "--into", library], /at least one source folder/],
      [["import", File.join(tmpdir, "nope"), "--into", library], /is not a folder/],
      [["import", drive, "--into", library, "--layout", "%Y/%q/%n"], /--layout: .*unknown token %q/],
      [["import", drive, "--into", library, "--timeout", "soon"], /--timeout accepts a number/]
    ].each do |args, message|
      _out, err, st = cli(*args)
      expect(st.exitstatus).to eq(1), err
      expect(err.lines.size).to eq(1), err
      expect(err).to match(message)
    end
    _out, err, st = cli("import", library, "--into", library, "--catalog", catalog)
    expect(st.exitstatus).to eq(1)
    expect(err).to match(/overlap/)
  end

  # Smaller copies: a picture, its half-size export and the next frames of its burst
  # (moved three and six pixels), written as PNGs here.
  describe "smaller copies" do
    include Pictures

    def build_scenes
      write_png(File.join(drive, "originals/frame1.png"), scene(240, 160))
      write_png(File.join(drive, "originals/frame2.png"), scene(240, 160, 3))
      write_png(File.join(drive, "web/frame1_small.png"), halved(scene(240, 160)))
      write_png(File.join(drive, "web/frame3_small.png"), halved(scene(240, 160, 6)))
    end

    it "brings two old drives in: each picture once, in its largest form, every frame; counts per drive" do
      build_drive
      build_scenes
      second = File.join(tmpdir, "drive2")
      write_png(File.join(second, "caf\xE9_small.png".b), halved(scene(240, 160, 3)))
      FileUtils.cp(File.join(drive, "originals/frame1.png"), File.join(second, "frame1 copy.png"))
      report = Photosync.import([drive, second], into: library, catalog: catalog)
      first, other = report.sources
      expect([first.files, first.new, first.copies, first.other_form, first.smaller, first.damaged, first.unreadable])
        .to eq([11, 6, 1, 1, 1, 1, 1])
      expect([other.files, other.new, other.copies, other.smaller]).to eq([2, 0, 1, 1])
      expect(report.imported).to eq(6)
      held = md5s_under(library)
      expect(held.values.uniq.size).to eq(6)
      frames = %w[frame1 frame2].map { |f| Digest::MD5.file(File.join(drive, "originals/#{f}.png")).hexdigest }
      expect(held.values).to include(*frames)
      expect(report.smaller.map { |s| File.basename(s[:kept]) }).to contain_exactly("frame1.png", "frame2.png")
      expect(Photosync.import([drive, second], into: library, catalog: catalog).imported).to eq(0)
    end

    it "imports the largest form and every frame; the export is reported beside its original" do
      build_scenes
      report = Photosync.import([drive], into: library, catalog: catalog)
      expect(report.imported).to eq(3)
      expect(report.sources.first.smaller).to eq(1)
      copy = report.smaller.first
      expect(copy[:path]).to end_with("web/frame1_small.png")
      expect(copy[:kept]).to end_with("originals/frame1.png")
      expect([copy[:size], copy[:kept_size], copy[:imported]]).to eq([[120, 80], [240, 160], false])
      expect(Photosync.import([drive], into: library, catalog: catalog).imported).to eq(0)
    end

    it "imports the smaller copies too with --keep-smaller, and lists them in the summary and --json" do
      build_scenes
      out, err, st = cli("import", drive, "--into", library, "--catalog", catalog, "--dry-run")
      expect(st.exitstatus).to eq(0), err
      expect(out).to match(/4 files: 3 new, .* 1 smaller copies/)
      expect(out).to match(%r{smaller copy: .*web/frame1_small.png \(120x80\) of kept .*frame1.png \(240x160\)})

      out, err, st = cli("import", drive, "--into", library, "--catalog", catalog, "--keep-smaller", "--json")
      expect(st.exitstatus).to eq(0), err
      json = JSON.parse(out)
      expect(json["imported"]).to eq(4)
      expect(json["smaller"].map { |s| s["imported"] }).to eq([true])
      expect(Dir.glob(File.join(library, "**/*.png")).size).to eq(4)
    end
  end
end
