# frozen_string_literal: true

desc "Benchmark the scanner against md5sum, the old Digest::MD5 loop and find " \
     "(issue 2's targets as ratios; BENCH_SCALE=0.1 for a quick run)"
task bench: :compile do
  ruby File.expand_path("../bench/scan_bench.rb", __dir__)
end
