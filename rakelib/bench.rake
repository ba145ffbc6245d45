# frozen_string_literal: true

namespace :bench do
  desc "Benchmark the scanner against md5sum, the old Digest::MD5 loop and find " \
       "(issue 2 and 16 targets as ratios, each MD5 path the CPU has; BENCH_SCALE=0.1 for a quick run)"
  task scan: :compile do
    ruby File.expand_path("../bench/scan_bench.rb", __dir__)
  end
end

namespace :bench do
  desc "Benchmark restore against the emulator at 50 ms per request: 300 photos vs one at a time through " \
       "the FlickRaw facade (issue 7; writes .bench/restore.json)"
  task restore: :compile do
    ruby File.expand_path("../bench/restore_bench.rb", __dir__)
  end
end

namespace :bench do
  desc "Benchmark `photosync status` and the HTML report over a synthetic 100k-photo catalog vs the sqlite3 " \
       "CLI reading the same rows (issue 7: status under a second; BENCH_STATUS_PHOTOS to resize; " \
       "writes .bench/status.json)"
  task status: :compile do
    ruby File.expand_path("../bench/status_bench.rb", __dir__)
  end
end

desc "Every benchmark: ratios against baselines measured in the same run"
task bench: %w[bench:scan bench:flickr bench:sync bench:archive bench:restore bench:gphotos bench:status bench:s3
               bench:import]
