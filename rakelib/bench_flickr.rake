# frozen_string_literal: true

namespace :bench do
  desc "Benchmark the Flickr client against the emulator: 500 REST calls and 100 uploads vs Net::HTTP " \
       "with a Ruby OAuth signer, and peak RSS uploading 1 GiB (issue 3; writes .bench/flickr.json)"
  task flickr: :compile do
    ruby File.expand_path("../bench/flickr_bench.rb", __dir__)
  end
end
