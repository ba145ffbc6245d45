# frozen_string_literal: true

# `rake bench:import`: issue 17's target for `photosync import`. Old drives of 10,000
# JPEGs of which 70% are copies in some form (byte-identical, other metadata, half-size
# exports: examples/import_corpus.rs) imported into an empty library, against `md5sum`
# of the same files (the reading limit): photosync/md5sum, goal <= 1.5. Both read from
# a warm page cache; each photosync run starts from an empty library and catalog.
#
#   BENCH_SCALE=0.1   shrink the corpus (default 1: 10,000 files)
#   BENCH_REPEAT=3    runs per measurement (the best is reported)
#   BENCH_DIR=path    where the corpus, the library and results go (default .bench/)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "fileutils"
require "shellwords"
require_relative "corpus"
require_relative "harness"

module Bench
  # The import benchmark; see the top of this file.
  module ImportBench
    extend Harness

    WORK = Harness::WORK
    Row = Harness::Row
    FILES = (10_000 * Float(ENV.fetch("BENCH_SCALE", "1"))).round
    LIMIT = 1.5

    module_function

    def corpus
      dir = File.join(WORK, "import-drives-v3-#{FILES}")
      return dir if File.exist?(File.join(dir, ".complete"))

      FileUtils.rm_rf(dir)
      ok = system("cargo", "run", "--quiet", "--release", "--example", "import_corpus", "--", dir, FILES.to_s,
                  out: File::NULL)
      raise "import_corpus failed" unless ok

      FileUtils.touch(File.join(dir, ".complete"))
      dir
    end

    def drives(dir) = %w[laptop usb exports].map { |d| File.join(dir, d) }

    def photosync(dir)
      library = File.join(WORK, "import-library")
      catalog = File.join(WORK, "import-run.sqlite3")
      FileUtils.rm_rf(library)
      FileUtils.rm_f(Dir["#{catalog}*"])
      FileUtils.mkdir_p(library)
      report = nil
      t = timed { report = Photosync.import(drives(dir), into: library, catalog: catalog) }
      @report = report
      raise "unexpected import: #{report.to_h.except(:smaller, :other_forms)}" unless report.ok?

      t
    end

    def md5sum(dir)
      md5sum = "find #{dir.shellescape} -type f -name '*.JPG' -print0 | xargs -0 md5sum > /dev/null"
      timed { system(md5sum, exception: true) }
    end

    def run
      FileUtils.mkdir_p(WORK)
      load_before = start("photosync import bench: #{FILES} files, best of #{Harness::REPEAT} runs each, in #{WORK}")
      dir = corpus
      system("find #{dir.shellescape} -type f -print0 | xargs -0 cat > /dev/null", exception: true)
      bytes = Dir.glob("#{dir}/**/*.JPG").sum { |f| File.size(f) }
      section("import of #{FILES} files, #{bytes / Corpus::MIB} MiB")
      t = rounds("import", { photosync: -> { photosync(dir) }, md5sum: -> { md5sum(dir) } })
      ratio = t[:photosync] / t[:md5sum]
      counts = %i[new copies other_form smaller].to_h { |k| [k, @report.sources.sum(&k)] }
      rows = [Row.new(measurement: "import #{FILES} files (70% copies) into an empty library vs md5sum",
                      photosync: t[:photosync], baseline: t[:md5sum], ratio: ratio,
                      target: "photosync/md5sum <= #{LIMIT}", pass: ratio <= LIMIT, unit: "s")]
      puts "\n#{table(rows, '%-66s %11s %11s %8s  %-30s %s')}"
      warn "  #{counts.map { |k, v| "#{k} #{v}" }.join(', ')}"
      phases = @report.phases.transform_keys(&:to_sym)
      warn "  last run's phases: #{phases.map { |k, v| format('%<k>s %<v>.3f s', k: k, v: v) }.join(', ')}"
      write_results("import.json", load_before, rows, settings: { files: FILES, repeat: Harness::REPEAT },
                                                      counts: counts.merge(bytes: bytes), notes: { phases: phases })
    end
  end
end

Bench::ImportBench.run if $PROGRAM_NAME == __FILE__
