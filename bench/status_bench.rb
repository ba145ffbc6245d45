# frozen_string_literal: true

# `rake bench:status`: issue 7's target, `photosync status` over a 100k-photo catalog in under
# a second. The catalog is synthetic (examples/bench_catalog.rs writes 100k photos with their
# Flickr, archive and Google Photos copies through the core catalog API; no files on disk).
# The baseline, measured in the same run, is the sqlite3 CLI reading the same rows status
# needs (every file's path and MD5, every remote copy with its check) to /dev/null. Also
# times Photosync.status in-process and the HTML report of the whole catalog. Writes
# .bench/status.json.
#
#   BENCH_STATUS_PHOTOS=100000   photos in the catalog
#   BENCH_REPEAT=3               runs per measurement (the best is reported)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "fileutils"
require "open3"
require_relative "harness"

# The status benchmark (see the top of this file).
module StatusBench
  extend Bench::Harness

  ROOT = Bench::Harness::ROOT
  WORK = Bench::Harness::WORK
  PHOTOS = Integer(ENV.fetch("BENCH_STATUS_PHOTOS", "100000"))
  Row = Bench::Harness::Row
  DUMP = "SELECT path, md5 FROM files; SELECT r.md5, r.backend, r.remote_id, r.uploaded_at, k.checked_at, k.how " \
         "FROM remote_copies r LEFT JOIN checks k ON k.backend = r.backend AND k.remote_id = r.remote_id;"

  module_function

  def catalog
    path = File.join(WORK, "status-catalog-#{PHOTOS}.sqlite3")
    FileUtils.mkdir_p(WORK)
    ok = system("cargo", "run", "--quiet", "--release", "--example", "bench_catalog", "--", path, PHOTOS.to_s,
                chdir: ROOT)
    raise "bench_catalog failed" unless ok

    path
  end

  def run!(*cmd)
    out, err, status = Open3.capture3(*cmd)
    raise "#{cmd.first(3).join(' ')} failed: #{err}" unless status.success? || status.exitstatus == 2

    out
  end

  def run
    load_before = start("rake bench:status: #{PHOTOS} photos in the catalog")
    cat = catalog
    exe = File.join(ROOT, "exe/photosync")
    html = File.join(WORK, "status-report.html")
    summary = nil
    report = nil
    best = rounds("status", {
                    baseline: -> { timed { run!("sqlite3", cat, DUMP, out: File::NULL) } },
                    cli: -> { timed { summary = run!(RbConfig.ruby, exe, "status", "--catalog", cat) } },
                    api: -> { timed { Photosync.status(catalog: cat) } },
                    report: -> { timed { report = Photosync.report(html: html, catalog: cat, rules: nil) } }
                  })
    base = best[:baseline]
    rows = [
      Row.new(measurement: "photosync status (CLI, ruby start included)", photosync: best[:cli], baseline: base,
              ratio: best[:cli] / base, target: "< 1 s", pass: best[:cli] < 1.0, unit: "s"),
      Row.new(measurement: "Photosync.status (in process)", photosync: best[:api], baseline: base,
              ratio: best[:api] / base, target: "-", pass: nil, unit: "s"),
      Row.new(measurement: "Photosync.report (whole catalog, HTML)", photosync: best[:report], baseline: base,
              ratio: best[:report] / base, target: "-", pass: nil, unit: "s")
    ]
    puts table(rows, "%-46s %10s %10s %7s %7s %6s", ratio: "%.1fx")
    puts "status: #{summary.lines.first.strip}"
    puts "report: #{report.review} photos in the date review (#{report.thumbnails} thumbnails), " \
         "#{report.errors} file errors, #{File.size(html) / 1024} KiB"
    write_results("status.json", load_before, rows, settings: { photos: PHOTOS },
                                                    counts: { html_bytes: File.size(html) })
  end
end

StatusBench.run
