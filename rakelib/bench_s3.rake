# frozen_string_literal: true

namespace :bench do
  desc "Benchmark the S3 destination against the local S3 server: 1,000 photos vs one PUT at a time " \
       "(issue 15: ratio >= 6x) and the peak memory of one 2 GiB file (< 150 MiB); writes .bench/s3.json"
  task s3: :compile do
    ruby File.expand_path("../bench/s3_bench.rb", __dir__)
  end
end
