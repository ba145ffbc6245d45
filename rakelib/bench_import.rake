# frozen_string_literal: true

namespace :bench do
  desc "Benchmark photosync import: 10,000 JPEGs of which 70% are copies in some form vs md5sum of the same " \
       "files (issue 17: ratio <= 1.5; BENCH_SCALE=0.1 for a quick run; writes .bench/import.json)"
  task import: :compile do
    ruby File.expand_path("../bench/import_bench.rb", __dir__)
  end
end
