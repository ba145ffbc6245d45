# frozen_string_literal: true

require "spec_helper"
require "open3"
require "base64"
require "cgi"
require_relative "support/pictures"

# `photosync report --html`: the page on the real fixtures, checked for its structure
# (and, where Debian's chromium is installed, rendered by it).
RSpec.describe "Photosync.report" do
  include Pictures

  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:library) { File.join(tmpdir, "library") }
  let(:drive) { File.join(tmpdir, "drive") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:page) { File.join(tmpdir, "report.html") }
  let(:suspicious) { ["jpg/exif-org/sanyo-vpcg250.jpg", "jpg/WWL_(Polaroid)_ION230.jpg"] }
  let(:hostile) { "<script>alert(1)<%2Fscript>.jpg" }

  # The fixtures backed up to an archive, then a photo with a hostile name and a broken
  # file added: both have a single copy.
  def library_with_two_copies
    copy_fixtures(FIXTURE_IMAGES, library)
    FileUtils.mkdir_p(drive)
    Photosync.sync(library, to: Photosync::Archive.new(drive), catalog: catalog)
    File.binwrite(File.join(library, hostile), File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) + "x")
    File.binwrite(File.join(library, "broken.jpg"), "this is no JPEG at all " * 20)
  end

  def html_path(relative) = CGI.escapeHTML(File.join(File.realpath(library), relative))

  # The data: URI of the thumbnail in the review entry of `relative`, decoded.
  def thumbnail(html, relative)
    entry = html.split('<div class="photo">').find { |e| e.include?(">#{html_path(relative)}</div>") }
    expect(entry).not_to be_nil, "no review entry for #{relative}"
    src = entry[%r{<img [^>]*src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"}, 1]
    expect(src).not_to be_nil, "no thumbnail for #{relative}"
    Base64.strict_decode64(src)
  end

  it "writes one self-contained page: the chart, single copies, errors, and each suspicious photo's thumbnail" do
    library_with_two_copies
    progress = []
    r = Photosync.report(library, html: page, catalog: catalog, rules: nil) { |done, total| progress << [done, total] }
    html = File.read(page)

    photos = FIXTURE_IMAGES.map { |f| Digest::MD5.file(File.join(FIXTURES, f)).hexdigest }.uniq.size + 2
    expect(r.photos).to eq(photos)
    expect(r.by_copies).to eq(2 => photos - 2, 1 => 2)
    expect(r.single_copy).to eq(2)
    expect(progress.last).to eq([photos, photos]) unless progress.empty?
    chart = html[%r{<svg id="copies-chart".*?</svg>}m]
    expect(chart).not_to be_nil
    bars = chart.scan(/data-copies="([^"]+)" data-photos="(\d+)"/).to_h.transform_values { |v| Integer(v) }
    expect(bars).to eq("3+ copies" => 0, "2 copies" => photos - 2, "1 copy" => 2)
    expect(chart.scan("<rect").size).to eq(3)

    single = html[%r{<section id="single">.*?</section>}m]
    expect(single).to include(html_path(hostile), html_path("broken.jpg"))
    errors = html[%r{<section id="errors">.*?</section>}m]
    expect(errors).to include(html_path("broken.jpg"))
    expect(r.errors).to be >= 1

    expect(r.suspicious).to be >= 2
    suspicious.each do |name|
      jpeg = thumbnail(html, name)
      expect(jpeg.byteslice(0, 2).bytes).to eq([0xFF, 0xD8])
      File.binwrite(File.join(tmpdir, "thumb.jpg"), jpeg)
      expect(`file -b #{File.join(tmpdir, "thumb.jpg")}`).to start_with("JPEG image data")
      expect(`exiftool -s3 -FileType #{File.join(tmpdir, "thumb.jpg")}`.strip).to eq("JPEG")
    end
    # Grouped by camera: the Sanyo under its camera's heading.
    sanyo = html[%r{<h3>SANYO Electric Co\.,Ltd\. SR6 \(1\)</h3>.*?</div>\n</div>}m]
    expect(sanyo).to include(html_path(suspicious.first), "current: <b>1998-01-01 00:00:00</b>")
    polaroid = html.split('<div class="photo">').find { |e| e.include?(html_path(suspicious.last)) }
    expect(polaroid).to include("current: <b>2026-11-24 14:41:16</b>", "proposed: <b>2008-07-31 17:32:06</b>")

    expect(html).not_to match(%r{https?://}i)
    expect(html).not_to match(/<script/i)
    expect(html).to include("&lt;script&gt;alert(1)&lt;%2Fscript&gt;.jpg")
    expect(html).not_to match(/\s(src|href)="(?!data:)/)
  end

  it "`photosync report --html FILE DIR` prints the totals; without DIR it reports the whole catalog" do
    library_with_two_copies
    out, err, status = Open3.capture3(RbConfig.ruby, exe, "report", "--html", page, library, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to match(/report\.html: \d+ photos \(0 with 3\+ copies, \d+ with 2, 2 with 1 or none\), \d+ file errors/)
    expect(File.read(page)).to include("<svg id=\"copies-chart\"")

    other = File.join(tmpdir, "all.html")
    _out, err, status = Open3.capture3(RbConfig.ruby, exe, "report", "--html", other, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(File.read(other)).to include("the whole catalog", html_path(suspicious.first))

    _out, err, status = Open3.capture3(RbConfig.ruby, exe, "report", library, "--catalog", catalog)
    expect(status.exitstatus).to eq(1)
    expect(err).to include("report: missing --html FILE")
    _out, err, status = Open3.capture3(RbConfig.ruby, exe, "report", "--html", File.join(tmpdir, "no/such/dir/r.html"),
                                       "--catalog", catalog)
    expect(status.exitstatus).to eq(1)
    expect(err).to include("cannot write the report")
  end

  it "renders in headless chromium with every thumbnail decoded" do
    browser = %w[chromium chromium-browser].map { |b| `which #{b} 2>/dev/null`.strip }.find { |b| !b.empty? }
    skip "chromium is not installed (`which chromium chromium-browser` found nothing): page structure checked above only" unless browser

    library_with_two_copies
    Photosync.report(library, html: page, catalog: catalog, rules: nil)
    # The page forbids scripts (its CSP); this copy drops that and reports each image's decoded width.
    probe = File.read(page).sub(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "")
                .sub("</body>", "<script>window.onload=()=>{document.title='widths:'+" \
                                "[...document.images].map(i=>i.complete?i.naturalWidth:0).join(',')}</script></body>")
    File.write(page, probe)
    dom, err, status = Open3.capture3(browser, "--headless", "--no-sandbox", "--disable-gpu",
                                      "--virtual-time-budget=5000", "--dump-dom", "file://#{page}")
    expect(status).to be_success, err
    widths = dom[%r{<title>widths:([\d,]*)</title>}, 1]
    expect(widths).not_to be_nil, dom[0, 500]
    expect(widths.split(",").map(&:to_i)).to all(be > 0)
    expect(widths.split(",").size).to be >= suspicious.size
  end

  it "has an import section: each source's counts and both pictures of every smaller-copy decision" do
    FileUtils.mkdir_p(library)
    write_png(File.join(drive, "frame.png"), scene(240, 160))
    write_png(File.join(drive, "web/frame_small.png"), halved(scene(240, 160)))

    report = Photosync.import([drive], into: library, catalog: catalog)
    expect(report.smaller.size).to eq(1), report.to_h.inspect
    Photosync.report(library, html: page, catalog: catalog, rules: nil)
    html = File.read(page)
    section = html[%r{<section id="imports">.*?</section>}m]
    expect(section).to include(CGI.escapeHTML(File.realpath(drive)))
    expect(section).to include("<td>smaller</td><td>1</td>", "<td>new</td><td>1</td>")
    decision = section.split('<div class="photo smaller">')[1]
    expect(decision.scan(%r{src="data:image/jpeg;base64,}).size).to eq(2)
    expect(decision).to include("120x80", "240x160")
    expect(html).not_to include("href=")
  end
end
