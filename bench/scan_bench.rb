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
require "rbconfig"
require "shellwords"
require "tmpdir"
require_relative "corpus"
require_relative "harness"

# The scan benchmark (see the top of this file).
module Bench
  extend Harness

  ROOT = Harness::ROOT
  WORK = Harness::WORK # BENCH_DIR
  SCALE = Float(ENV.fetch("BENCH_SCALE", "1"))
  REPEAT = Harness::REPEAT # BENCH_REPEAT
  CORES = Etc.nprocessors
  MIB = Corpus::MIB
  Row = Harness::Row

  module_function

  def best(xs)
    xs.min
  end

  def sh!(cmd)
    system(cmd, exception: true)
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

  # 1 GiB of 2-8 MiB photos: photosync's first scan vs md5sum on every core, and vs
  # the old script's sequential Digest::MD5 loop; then each MD5 path this CPU has
  # (PHOTOSYNC_MD5, in a child ruby each) side by side.
  def first_scan(heads)
    dir = File.join(WORK, "photos")
    m = Corpus.photos(dir, heads: heads, bytes: (Corpus::GIB * SCALE).round)
    section("first scan of #{m['files']} photos, #{m['bytes'] / MIB} MiB")
    warm_cache(dir)
    files = m["files"]
    md5sum = "find #{dir.shellescape} -type f -print0 | xargs -0 -P#{CORES} -n 16 md5sum > /dev/null"
    paths = md5_paths
    timers = {
      photosync: -> { first_scan_time(dir, files) },
      photosync_1_thread: -> { first_scan_time(dir, files, threads: 1) },
      md5sum: -> { timed { sh!(md5sum) } },
      digest_loop: lambda {
        timed { Dir.glob(File.join(dir, "**", "*.jpg")).each { |f| Digest::MD5.file(f).hexdigest } }
      }
    }
    t = rounds("photos", timers.merge(paths.to_h { |path| [path.to_sym, -> { path_scan_time(dir, files, path) }] }))
    warn format("  photosync (%s) %.2f s (%.0f MiB/s), md5sum -P%d %.2f s, Digest::MD5 loop %.2f s; " \
                "photosync on 1 thread %.2f s (per-core speed vs the loop: %.2fx)",
                Photosync.md5_path, t[:photosync], m["bytes"] / MIB / t[:photosync], CORES, t[:md5sum],
                t[:digest_loop], t[:photosync_1_thread], t[:digest_loop] / t[:photosync_1_thread])
    by_path = paths.map { |p| format("%s %.2f s (%.2f of md5sum)", p, t[p.to_sym], t[p.to_sym] / t[:md5sum]) }
    warn "  by MD5 path: #{by_path.join(', ')}"
    [
      row("first scan (#{Photosync.md5_path}), #{m['bytes'] / MIB} MiB in #{m['files']} files, vs md5sum -P#{CORES}",
          t[:photosync], t[:md5sum], "photosync/md5sum", t[:photosync] / t[:md5sum], :<=, 0.85),
      row("first scan, same files, vs old Digest::MD5.file loop",
          t[:photosync], t[:digest_loop], "loop/photosync", t[:digest_loop] / t[:photosync], :>=, 1.8)
    ] + paths.map do |path|
      row("  same, MD5 path #{path} (PHOTOSYNC_MD5, child ruby), vs md5sum -P#{CORES}",
          t[path.to_sym], t[:md5sum], "photosync/md5sum", t[path.to_sym] / t[:md5sum], :<=, 0.85)
    end
  end

  # The MD5 paths this CPU has: those a child asked for by PHOTOSYNC_MD5 reports back.
  def md5_paths
    %w[scalar avx2 avx512].select do |path|
      _, out = child('require "photosync"; puts Photosync.md5_path', env: { "PHOTOSYNC_MD5" => path })
      out.strip == path
    end
  end

  # A first scan in a child ruby on `path`, timed inside the child (ruby's start left out).
  def path_scan_time(dir, files, path)
    code = 'require "photosync"; t = Process.clock_gettime(Process::CLOCK_MONOTONIC); ' \
           "r = Photosync.scan(ARGV[0], catalog: ARGV[1]); " \
           "dt = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t; " \
           "exit 3 unless r.hashed == Integer(ARGV[2]) && r.errors.zero?; puts dt"
    with_catalog do |c|
      _, out = child(code, dir, c, files.to_s, env: { "PHOTOSYNC_MD5" => path })
      Float(out)
    end
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

  # One 4 GiB video (sparse) and 2,000 small photos: the video is one stream, which
  # runs alone in its thread once the small files are through (the scalar fallback).
  def mixed(heads)
    dir = File.join(WORK, "mixed")
    v = Corpus.video(File.join(dir, "video"), bytes: (4 * Corpus::GIB * SCALE).round)
    s = Corpus.small(File.join(dir, "small"), heads: heads, count: (2000 * SCALE).round)
    files = v["files"] + s["files"]
    section("first scan of one #{v['bytes'] / MIB} MiB video and #{s['files']} small photos")
    warm_cache(dir)
    md5sum = "find #{dir.shellescape} -type f -name '*.[jm]p[g4]' -print0 | " \
             "xargs -0 -P#{CORES} -n 16 md5sum > /dev/null"
    t = rounds("mixed", { photosync: -> { first_scan_time(dir, files) }, md5sum: -> { timed { sh!(md5sum) } } })
    warn format("  photosync (%s) %.2f s, md5sum -P%d %.2f s", Photosync.md5_path, t[:photosync], CORES, t[:md5sum])
    [row("first scan, one #{v['bytes'] / MIB} MiB video + #{s['files']} small photos, vs md5sum -P#{CORES}",
         t[:photosync], t[:md5sum], "photosync/md5sum", t[:photosync] / t[:md5sum], :<=, 0.85)]
  end

  # Peak RSS of a child `ruby` that scans a tree holding a 2 GiB (sparse) file,
  # next to a child that only requires photosync.
  def memory(heads)
    dir = File.join(WORK, "huge")
    Corpus.sparse(dir, head: heads.first, bytes: 2 * Corpus::GIB)
    section("peak RSS scanning a 2 GiB file")
    bare = peak_rss_kb(%(require "photosync"))
    peak = with_catalog do |c|
      scan = %(r = Photosync.scan(ARGV[0], catalog: ARGV[1]); exit(r.hashed == 1 && r.errors.zero?))
      peak_rss_kb(%(require "photosync"; #{scan}), dir, c)
    end
    warn format("  scan %.1f MiB, bare require %.1f MiB (via %s)", peak / 1024.0, bare / 1024.0, @rss_via)
    [rss_row("peak RSS, child ruby scanning a 2 GiB file, vs bare require", peak, bare, 100)]
  end

  # Peak resident set of `ruby -e code args` in KiB: GNU time's %M when it is there,
  # else the VmHWM the child reports as it exits.
  def peak_rss_kb(code, *args)
    cmd = ruby_command(code, *args)
    Dir.mktmpdir do |d|
      out = File.join(d, "rss")
      time = File.executable?("/usr/bin/time")
      cmd = ["/usr/bin/time", "-f", "%M", "-o", out, *cmd] if time
      hwm = IO.popen(cmd, &:read)
      raise "child failed: #{cmd.join(' ')}" unless Process.last_status.success?

      @rss_via = time ? "/usr/bin/time -f %M" : "VmHWM"
      time ? Integer(File.read(out).lines.last) : vmhwm(hwm).first
    end
  end

  # A timing row: `ratio` is oriented so that "#{label} #{op} #{limit}" is the target.
  def row(measurement, photosync, baseline, label, ratio, op, limit)
    Row.new(measurement: measurement, photosync: photosync, baseline: baseline, ratio: ratio,
            target: "#{label} #{op} #{limit}", pass: ratio.public_send(op, limit), unit: "s")
  end

  def run
    FileUtils.mkdir_p(WORK)
    heads = Corpus.heads(Corpus.fixtures_dir(ROOT))
    load_before = start("photosync bench: #{CORES} cores, scale #{SCALE}, best of #{REPEAT} runs each, " \
                        "corpora in #{WORK}")
    rows = first_scan(heads) + mixed(heads) + rescan(heads) + memory(heads)
    note = "The old script also read EXIF with the exifr gem (not installable here): that part of its time " \
           "is not measured, so the Digest::MD5 loop ratio understates photosync's lead."
    puts "\n#{table(rows, '%-66s %11s %11s %8s  %-26s %s')}\n\nnote: #{note}"
    write_results("results.json", load_before, rows, settings: { scale: SCALE, repeat: REPEAT }, notes: { note: note })
  end
end

Bench.run if $PROGRAM_NAME == __FILE__
