# frozen_string_literal: true

namespace :bench do
  desc "Benchmark the sync engine against the emulator at 50 ms per request: 1,000 photos vs the old " \
       "script's loop, API calls to plan, a second run over 100k photos vs a full index build, peak RSS " \
       "with 4 x 500 MB in flight (issue 4; writes .bench/sync.json)"
  task sync: :compile do
    ruby File.expand_path("../bench/sync_bench.rb", __dir__)
  end
end
