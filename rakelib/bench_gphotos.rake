# frozen_string_literal: true

namespace :bench do
  desc "Benchmark Google Photos sync against its emulator at 50 ms per request: 1,000 photos vs one-at-a-time " \
       "upload + one-item batchCreate, with the calls used (issue 6; writes .bench/gphotos.json)"
  task gphotos: :compile do
    ruby File.expand_path("../bench/gphotos_bench.rb", __dir__)
  end
end
