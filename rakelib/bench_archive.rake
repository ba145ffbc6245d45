# frozen_string_literal: true

namespace :bench do
  desc "Benchmark the archive destination: ~1 GiB of photos copied, fsynced and checked vs cp -r + md5sum " \
       "of the copies (issue 5: ratio <= 1.3; BENCH_SCALE=0.1 for a quick run; writes .bench/archive.json)"
  task archive: :compile do
    ruby File.expand_path("../bench/archive_bench.rb", __dir__)
  end
end
