# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require "zlib"
require_relative "support/flickr_context"

# Damaged originals (a JPEG cut before its end marker, a PNG without IEND, an MP4 cut
# inside its media data) are shown, not hidden: flagged with the reason by scan, status
# and the HTML report, and still backed up, with the flag on the Flickr copy.
RSpec.describe "damaged originals" do
  include_context "a library synced to the emulator"

  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:drive) { File.join(tmpdir, "drive") }
  let(:page) { File.join(tmpdir, "report.html") }

  def png_chunk(type, data) = [data.bytesize].pack("N") + type + data + [Zlib.crc32(type + data)].pack("N")

  def png
    ihdr = [1, 1, 8, 0, 0, 0, 0].pack("NNCCCCC")
    "\x89PNG\r\n\x1a\n".b + png_chunk("IHDR", ihdr) + png_chunk("IDAT", Zlib::Deflate.deflate("\x00\x80".b)) +
      png_chunk("IEND", "")
  end

  def mp4_box(type, payload) = [8 + payload].pack("N") + type + ("\x11" * payload)

  before do
    copy_fixtures(["jpg/Nikon_D70.jpg"], library)
    jpeg = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    File.binwrite(File.join(library, "cut.jpg"), jpeg.byteslice(0, jpeg.bytesize / 2))
    File.binwrite(File.join(library, "whole.png"), png)
    File.binwrite(File.join(library, "cut.png"), png.byteslice(0, png.bytesize - 12))
    mp4 = mp4_box("ftyp", 16) + mp4_box("mdat", 5000) + mp4_box("moov", 300)
    File.binwrite(File.join(library, "cut.mp4"), mp4.byteslice(0, 3000))
    FileUtils.mkdir_p(drive)
  end

  def damaged_names(photos) = photos.select(&:damaged?).to_h { |p| [File.basename(p.path), p.damaged] }

  it "scan flags each cut format with its reason and keeps its checksum" do
    photos = Photosync.scan(library, catalog: catalog)
    damaged = damaged_names(photos)
    expect(damaged.keys).to contain_exactly("cut.jpg", "cut.png", "cut.mp4")
    expect(damaged["cut.jpg"]).to include("EOI")
    expect(damaged["cut.png"]).to include("IEND")
    expect(damaged["cut.mp4"]).to include("'mdat'")
    expect(photos.map(&:md5)).to all(match(/\A\h{32}\z/))
    expect(damaged_names(Photosync.scan(library, catalog: catalog)).keys.size).to eq(3)

    out, err, status = Open3.capture3(exe, "scan", library, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("3 damaged")
    expect(out).to match(%r{damaged: \S*/cut\.jpg: .*EOI})
    json, = Open3.capture3(exe, "scan", library, "--catalog", catalog, "--json")
    cut = json.lines.map { |l| JSON.parse(l) }.find { |p| p["path"].end_with?("cut.png") }
    expect(cut["damaged"]).to include("IEND")
  end

  it "backs damaged files up, tags the Flickr copy, and lists them in status and the report" do
    Photosync.sync(library, to: [flickr, Photosync::Archive.new(drive)], catalog: catalog, calls_per_hour: 1_000_000)
    expect(emu.photos.size).to eq(5)
    cut = Digest::MD5.file(File.join(library, "cut.jpg")).hexdigest
    tagged = emu.photos.select { |p| p.machine_tags.include?("photosync:damaged=true") }.map(&:md5)
    expect(tagged).to contain_exactly(cut, *%w[cut.png cut.mp4].map { |n| Digest::MD5.file(File.join(library, n)).hexdigest })
    expect(md5s_under(drive).values).to include(cut)

    s = Photosync.status(root: library, catalog: catalog)
    expect(s.damaged.map { |d| File.basename(d[:path]) }).to eq(%w[cut.jpg cut.mp4 cut.png])
    out, err, status = Open3.capture3(exe, "status", library, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("3 damaged").and match(/damaged: \S*cut\.mp4: .*cut short/)
    json = JSON.parse(Open3.capture3(exe, "status", library, "--catalog", catalog, "--json").first)
    expect(json["damaged"].map { |d| File.basename(d["path"]) }).to eq(%w[cut.jpg cut.mp4 cut.png])

    Photosync.report(library, html: page, catalog: catalog, rules: nil)
    section = File.read(page)[%r{<section id="damaged">.*?</section>}m]
    expect(section).to include("Damaged originals (3)", "cut.jpg", "cut.png", "cut.mp4", "IEND")
    expect(section).not_to include("whole.png")
  end
end
