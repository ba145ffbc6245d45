# frozen_string_literal: true

# `rake bench`: the speed and memory targets of issue 2, as ratios measured in this
# one run against tools on the same machine (md5sum, the old Digest::MD5 loop, find).
# Prints a table with PASS/FAIL per target and writes .bench/results.json. It never
# fails the build: a shared CI machine is too noisy for that.
#
#   BENCH_SCALE=0.1   shrink the corpora (default 1: 1 GiB of photos, 100k small files)
#   BENCH_REPEAT=3    runs per measurement; the best (min) is reported: other work
#                     on the machine only ever adds time, and every run is in the JSON
#   BENCH_DIR=path    where the corpora and results go (default .bench/)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "digest"
require "etc"
require "fileutils"
require "json"
require "rbconfig"
require "shellwords"
require "time"
require "tmpdir"
require_relative "corpus"

module Bench
  ROOT = File.expand_path("..", __dir__)
  WORK = File.expand_path(ENV.fetch("BENCH_DIR", File.join(ROOT, ".bench")))
  SCALE = Float(ENV.fetch("BENCH_SCALE", "1"))
  REPEAT = Integer(ENV.fetch("BENCH_REPEAT", "3"))
  CORES = Etc.nprocessors
  MiB = Corpus::MiB

  # One line of the table. `ratio` is oriented so that the target reads naturally
  # (e.g. "photosync/md5sum <= 1.15", "first/rescan >= 20"); `pass` is the verdict.
  Row = Struct.new(:measurement, :photosync, :baseline, :ratio, :target, :pass, :unit, keyword_init: true)

  module_function

  def now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  def timed
    GC.start
    t = now
    yield
    now - t
  end

  def best(xs)
    xs.min
  end

  def sh!(cmd)
    system(cmd, exception: true)
  end

  # Runs each named measurement REPEAT times, rotating which goes first, so that
  # neither always gets the warmer caches; returns name => best seconds (and keeps
  # every sample in @samples for the JSON).
  def rounds(label, jobs)
    samples = jobs.keys.to_h { |k| [k, []] }
    REPEAT.times do |i|
      jobs.to_a.rotate(i).each { |name, job| samples[name] << job.call }
    end
    (@samples ||= {})[label] = samples
    samples.transform_values { |xs| best(xs) }
  end

  def with_catalog
    Dir.mktmpdir("photosync-bench") { |d| yield File.join(d, "catalog.sqlite3") }
  end

  def scan!(dir, catalog, expect_hashed:, expect_media:, threads: 0)
    r = Photosync.scan(dir, catalog: catalog, threads: threads)
    unless r.hashed == expect_hashed && r.media == expect_media && r.errors.zero?
      raise "unexpected scan of #{dir}: #{r.stats.reject { |k, _| k == :notes }}"
    end

    r
  end

  def warm_cache(dir)
    sh!("find #{dir.shellescape} -type f -print0 | xargs -0 cat > /dev/null")
  end

  def section(title)
    warn("\n== #{title}")
  end

  # Other work on the machine skews every ratio here; say how busy it was.
  def load_average
    File.read("/proc/loadavg").split.first(3).map(&:to_f)
  end

  # 1 GiB of 2-8 MiB photos: photosync's first scan vs md5sum on every core, and vs
  # the old script's sequential Digest::MD5 loop.
  def first_scan(heads)
    dir = File.join(WORK, "photos")
    m = Corpus.photos(dir, heads: heads, bytes: (Corpus::GiB * SCALE).round)
    section("first scan of #{m['files']} photos, #{(m['bytes'] / MiB)} MiB")
    warm_cache(dir)
    files = m["files"]
    md5sum = "find #{dir.shellescape} -type f -print0 | xargs -0 -P#{CORES} -n 16 md5sum > /dev/null"
    t = rounds("photos", {
                 photosync: -> { first_scan_time(dir, files) },
                 photosync_1_thread: -> { first_scan_time(dir, files, threads: 1) },
                 md5sum: -> { timed { sh!(md5sum) } },
                 digest_loop: lambda {
                   timed { Dir.glob(File.join(dir, "**", "*.jpg")).each { |f| Digest::MD5.file(f).hexdigest } }
                 }
               })
    warn format("  photosync %.2f s (%.0f MiB/s), md5sum -P%d %.2f s, Digest::MD5 loop %.2f s; " \
                "photosync on 1 thread %.2f s (per-core speed vs the loop: %.2fx)",
                t[:photosync], m["bytes"] / MiB / t[:photosync], CORES, t[:md5sum], t[:digest_loop],
                t[:photosync_1_thread], t[:digest_loop] / t[:photosync_1_thread])
    [
      row("first scan, #{m['bytes'] / MiB} MiB in #{m['files']} files, vs md5sum -P#{CORES}",
          t[:photosync], t[:md5sum], "photosync/md5sum", t[:photosync] / t[:md5sum], :<=, 1.15),
      row("first scan, same files, vs old Digest::MD5.file loop",
          t[:photosync], t[:digest_loop], "loop/photosync", t[:digest_loop] / t[:photosync], :>=, 1.8)
    ]
  end

  def first_scan_time(dir, files, threads: 0)
    with_catalog { |c| timed { scan!(dir, c, expect_hashed: files, expect_media: files, threads: threads) } }
  end

  # 100k small files: first scan vs rescan of the unchanged tree (Ruby API and CLI)
  # vs `find -printf '%s %T@\n'`, the cost of merely listing and stat-ing the tree.
  def rescan(heads)
    dir = File.join(WORK, "small")
    m = Corpus.small(dir, heads: heads, count: (100_000 * SCALE).round)
    n = m["files"]
    section("rescan of #{n} small files")
    warm_cache(dir)
    find = "find #{dir.shellescape} -printf '%s %T@\\n' > /dev/null"
    cli = [RbConfig.ruby, File.join(ROOT, "exe", "photosync"), "scan", dir, "--catalog"].shelljoin
    with_catalog do |catalog|
      native = [] # the scan's own elapsed: without turning n results into Ruby objects
      t = rounds("small", {
                   first: lambda {
                     FileUtils.rm_f(Dir["#{catalog}*"])
                     timed { scan!(dir, catalog, expect_hashed: n, expect_media: n) }
                   },
                   rescan_api: lambda {
                     timed { native << scan!(dir, catalog, expect_hashed: 0, expect_media: n).elapsed }
                   },
                   rescan_cli: -> { timed { sh!("#{cli} #{catalog.shellescape} > /dev/null 2>&1") } },
                   find: -> { timed { sh!(find) } }
                 })
      warn format("  first %.2f s, rescan via API %.3f s (%.3f s of it in the native scan, the rest is " \
                  "handing over %d Photo objects), via CLI %.3f s, find %.3f s",
                  t[:first], t[:rescan_api], best(native), n, t[:rescan_cli], t[:find])
      [
        row("rescan of #{n} unchanged small files (API), vs first scan",
            t[:rescan_api], t[:first], "first/rescan", t[:first] / t[:rescan_api], :>=, 20),
        row("rescan of #{n} unchanged small files (API), vs find -printf",
            t[:rescan_api], t[:find], "rescan/find", t[:rescan_api] / t[:find], :<=, 3),
        row("rescan, same, via the CLI (a whole ruby process), vs find",
            t[:rescan_cli], t[:find], "rescan/find", t[:rescan_cli] / t[:find], :<=, 3)
      ]
    end
  end

  # Peak RSS of a child `ruby` that scans a tree holding a 2 GiB (sparse) file,
  # next to a child that only requires photosync.
  def memory(heads)
    dir = File.join(WORK, "huge")
    Corpus.sparse(dir, head: heads.first, bytes: 2 * Corpus::GiB)
    section("peak RSS scanning a 2 GiB file")
    bare = peak_rss_kb(%(require "photosync"))
    peak = with_catalog do |c|
      scan = %(r = Photosync.scan(ARGV[0], catalog: ARGV[1]); exit(r.hashed == 1 && r.errors.zero?))
      peak_rss_kb(%(require "photosync"; #{scan}), dir, c)
    end
    warn format("  scan %.1f MiB, bare require %.1f MiB (via %s)", peak / 1024.0, bare / 1024.0, @rss_via)
    [Row.new(measurement: "peak RSS, child ruby scanning a 2 GiB file, vs bare require",
             photosync: peak / 1024.0, baseline: bare / 1024.0, ratio: peak.fdiv(bare),
             target: "peak < 100 MiB", pass: peak < 100 * 1024, unit: "MiB")]
  end

  # Peak resident set of `ruby -e code args` in KiB: GNU time's %M when it is there,
  # else the VmHWM the child reports as it exits.
  def peak_rss_kb(code, *args)
    probe = %(at_exit { $stdout.puts File.read("/proc/self/status")[/VmHWM:\\s+(\\d+)/, 1] })
    cmd = [RbConfig.ruby, "-I#{File.join(ROOT, 'lib')}", "-e", probe, "-e", code, *args]
    Dir.mktmpdir do |d|
      out = File.join(d, "rss")
      time = File.executable?("/usr/bin/time")
      cmd = ["/usr/bin/time", "-f", "%M", "-o", out, *cmd] if time
      hwm = IO.popen(cmd, &:read)
      raise "child failed: #{cmd.join(' ')}" unless $?.success?

      @rss_via = time ? "/usr/bin/time -f %M" : "VmHWM"
      Integer(time ? File.read(out).lines.last : hwm.lines.last)
    end
  end

  # A timing row: `ratio` is oriented so that "#{label} #{op} #{limit}" is the target.
  def row(measurement, photosync, baseline, label, ratio, op, limit)
    Row.new(measurement: measurement, photosync: photosync, baseline: baseline, ratio: ratio,
            target: "#{label} #{op} #{limit}", pass: ratio.public_send(op, limit), unit: "s")
  end

  def table(rows)
    fmt = "%-66s %11s %11s %8s  %-26s %s"
    lines = [format(fmt, "measurement", "photosync", "baseline", "ratio", "target", "result")]
    rows.each do |r|
      values = [r.photosync, r.baseline].map { |v| format("%.3f %s", v, r.unit) }
      lines << format(fmt, r.measurement, *values, format("%.2f", r.ratio), r.target, r.pass ? "PASS" : "FAIL")
    end
    lines.join("\n")
  end

  def run
    FileUtils.mkdir_p(WORK)
    heads = Corpus.heads(Corpus.fixtures_dir(ROOT))
    load_before = load_average
    warn "photosync bench: #{CORES} cores, scale #{SCALE}, best of #{REPEAT} runs each, corpora in #{WORK}"
    if load_before.first > 0.5
      warn "  warning: load average #{load_before.first} before starting; other work skews the ratios"
    end
    rows = first_scan(heads) + rescan(heads) + memory(heads)
    note = "The old script also read EXIF with the exifr gem (not installable here): that part of its time " \
           "is not measured, so the Digest::MD5 loop ratio understates photosync's lead."
    puts "\n#{table(rows)}\n\nnote: #{note}"
    results = {
      at: Time.now.utc.iso8601, ruby: RUBY_DESCRIPTION, cores: CORES, scale: SCALE, repeat: REPEAT,
      load_average: { before: load_before, after: load_average },
      photosync: Photosync::VERSION, rows: rows.map(&:to_h),
      samples_seconds: @samples, note: note
    }
    File.write(File.join(WORK, "results.json"), JSON.pretty_generate(results))
    puts "results: #{File.join(WORK, 'results.json')}"
  end
end

Bench.run if $PROGRAM_NAME == __FILE__
