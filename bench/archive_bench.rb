# frozen_string_literal: true

# `rake bench:archive`: issue 5's target for the archive destination. Copying ~1 GiB
# of 2-8 MiB photos into an empty archive (each copy fsynced, read back and its MD5
# compared, renamed into place, its folder fsynced) against `cp -r` of the same tree
# followed by `md5sum` of the copies: photosync/baseline <= 1.3.
#
# The library is scanned once beforehand, as it would be by any earlier sync: each
# timed run starts from a copy of that catalog, so it measures the archive, not the
# scan. Both sides read the library from a warm page cache, and dirty pages of the
# previous run are written back (`sync`) before each timed run; cp leaves its copies
# in the page cache unwritten, while photosync waits for them to reach the disk (its
# fsyncs), so a row for information also times `cp -r; sync; md5sum`.
#
#   BENCH_SCALE=0.1   shrink the corpus (default 1: 1 GiB)
#   BENCH_REPEAT=3    runs per measurement (the best is reported)
#   BENCH_DIR=path    where the corpus, the copies and results go (default .bench/)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "fileutils"
require "shellwords"
require_relative "corpus"
require_relative "harness"

module Bench
  # The archive benchmark; see the top of this file.
  module ArchiveBench
    extend Harness

    ROOT = Harness::ROOT
    WORK = Harness::WORK
    REPEAT = Harness::REPEAT
    Row = Harness::Row
    SCALE = Float(ENV.fetch("BENCH_SCALE", "1"))
    LIMIT = 1.3
    MIB = Corpus::MIB

    module_function

    def sh!(cmd)
      system(cmd, exception: true)
    end

    def fresh(dir)
      FileUtils.rm_rf(dir)
      sh!("sync")
    end

    # Wall seconds of the block; its CPU seconds (user + system, this process and its
    # children, the native threads included) go to @cpu[name]: a figure other work on
    # the machine skews less than wall time.
    def measured(name, &block)
      before = Process.times
      t = timed(&block)
      after = Process.times
      cpu = %i[utime stime cutime cstime].sum { |k| after.public_send(k) - before.public_send(k) }
      ((@cpu ||= Hash.new { |h, k| h[k] = [] })[name]) << cpu
      t
    end

    # `durable`: a `sync` after cp, so the copies are on the disk as photosync's are.
    def baseline(src, dest, durable: false)
      fresh(dest)
      measured(durable ? :cp_sync_md5sum : :cp_md5sum) do
        sh!("cp -r #{src.shellescape} #{dest.shellescape}")
        sh!("sync") if durable
        sh!("find #{dest.shellescape} -type f -print0 | xargs -0 md5sum > /dev/null")
      end
    end

    def photosync(src, dest, scanned_catalog, expect)
      fresh(dest)
      FileUtils.mkdir_p(dest)
      catalog = File.join(WORK, "archive-run.sqlite3")
      FileUtils.cp(scanned_catalog, catalog)
      report = nil
      t = measured(:photosync) { report = Photosync.sync(src, to: Photosync::Archive.new(dest), catalog: catalog) }
      unless report.copied == expect && report.failed.zero? && report.scan[:hashed].zero?
        raise "unexpected archive run: #{report.to_h.except(:scan)}"
      end

      t
    end

    def run
      FileUtils.mkdir_p(WORK)
      load_before = start("photosync archive bench: scale #{SCALE}, best of #{REPEAT} runs each, in #{WORK}")
      heads = Corpus.heads(Corpus.fixtures_dir(ROOT))
      src = File.join(WORK, "photos")
      m = Corpus.photos(src, heads: heads, bytes: (Corpus::GIB * SCALE).round)
      section("archive of #{m['files']} photos, #{m['bytes'] / MIB} MiB")
      scanned = File.join(WORK, "archive-scanned.sqlite3")
      FileUtils.rm_f(Dir["#{scanned}*"])
      Photosync.scan(src, catalog: scanned)
      sh!("find #{src.shellescape} -type f -print0 | xargs -0 cat > /dev/null")
      dest = File.join(WORK, "archive-copy")
      t = rounds("archive", {
                   photosync: -> { photosync(src, dest, scanned, m["files"]) },
                   cp_md5sum: -> { baseline(src, dest) },
                   cp_sync_md5sum: -> { baseline(src, dest, durable: true) }
                 })
      fresh(dest)
      ratio = t[:photosync] / t[:cp_md5sum]
      rows = [Row.new(measurement: "copy #{m['bytes'] / MIB} MiB into an archive, checked, vs cp -r + md5sum",
                      photosync: t[:photosync], baseline: t[:cp_md5sum], ratio: ratio,
                      target: "photosync/cp+md5sum <= #{LIMIT}", pass: ratio <= LIMIT, unit: "s"),
              Row.new(measurement: "same, vs cp -r + sync (copies on disk, as photosync's) + md5sum",
                      photosync: t[:photosync], baseline: t[:cp_sync_md5sum], ratio: t[:photosync] / t[:cp_sync_md5sum],
                      target: "(information)", pass: nil, unit: "s"),
              Row.new(measurement: "same, CPU seconds (user + system) vs cp -r + md5sum",
                      photosync: @cpu[:photosync].min, baseline: @cpu[:cp_md5sum].min,
                      ratio: @cpu[:photosync].min / @cpu[:cp_md5sum].min,
                      target: "(information)", pass: nil, unit: "s")]
      puts "\n#{table(rows, '%-66s %11s %11s %8s  %-30s %s')}"
      write_results("archive.json", load_before, rows, settings: { scale: SCALE, repeat: REPEAT },
                                                       counts: { files: m["files"], bytes: m["bytes"] },
                                                       notes: { cpu_seconds: @cpu })
    end
  end
end

Bench::ArchiveBench.run if $PROGRAM_NAME == __FILE__
