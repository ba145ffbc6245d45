# frozen_string_literal: true

# `rake bench:gphotos`: issue 6's speed target, measured against the Google Photos emulator
# at 50 ms per request in this one run: 1,000 small photos through Photosync.sync (8 uploads
# in flight, batchCreate 50 at a time) vs what simple scripts do, one photo at a time (a raw
# upload, then a one-item batchCreate), run on a sample and extrapolated. Prints the calls
# each used (photosync: uploads + ceil(N/50)) and writes .bench/gphotos.json. Never fails
# the build.
#
#   BENCH_GPHOTOS_SAMPLE=100   photos the one-at-a-time loop runs on (1000: all of them)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "net/http"
require "json"
require "fileutils"
require "tmpdir"
require_relative "harness"

# The Google Photos benchmark (see the top of this file).
module GphotosBench
  extend Bench::Harness

  ROOT = Bench::Harness::ROOT
  WORK = Bench::Harness::WORK
  PHOTOS = 1000
  SAMPLE = Integer(ENV.fetch("BENCH_GPHOTOS_SAMPLE", "100")).clamp(1, PHOTOS)
  LATENCY = 0.05
  Row = Bench::Harness::Row

  module_function

  def corpus
    dir = File.join(WORK, "gphotos-corpus")
    return dir if Dir[File.join(dir, "*.jpg")].size == PHOTOS

    FileUtils.rm_rf(dir)
    FileUtils.mkdir_p(dir)
    head = File.binread(File.join(ROOT, "../shared/fixtures/exif-samples/jpg/Canon_40D.jpg"))
    rng = Random.new(6)
    PHOTOS.times { |i| File.binwrite(File.join(dir, format("p%04d.jpg", i)), head + rng.bytes(4096)) }
    dir
  end

  # What a simple script does: for each photo, a raw upload, then a batchCreate of that one.
  def one_at_a_time(emu, files)
    uri = URI(emu.endpoint)
    token = JSON.parse(Net::HTTP.post_form(URI(emu.token_url), grant_type: "refresh_token",
                                                               refresh_token: emu.refresh_token,
                                                               client_id: emu.client_id,
                                                               client_secret: emu.client_secret).body)["access_token"]
    auth = { "Authorization" => "Bearer #{token}" }
    Net::HTTP.start(uri.host, uri.port) do |http|
      files.each do |f|
        up = http.post("/v1/uploads", File.binread(f),
                       auth.merge("Content-Type" => "application/octet-stream", "X-Goog-Upload-Protocol" => "raw",
                                  "X-Goog-Upload-File-Name" => File.basename(f)))
        raise "upload: #{up.code}" unless up.code == "200"

        body = { newMediaItems: [{ simpleMediaItem: { uploadToken: up.body, fileName: File.basename(f) } }] }
        made = http.post("/v1/mediaItems:batchCreate", JSON.generate(body),
                         auth.merge("Content-Type" => "application/json"))
        raise "batchCreate: #{made.code}" unless made.code == "200"
      end
    end
  end

  def run
    load_before = start("rake bench:gphotos: #{PHOTOS} photos at #{(LATENCY * 1000).round} ms per request")
    dir = corpus
    files = Dir[File.join(dir, "*.jpg")].sort
    ours = nil
    ours_calls = nil
    ours_time = Photosync::GooglePhotosEmulator.start(latency: LATENCY) do |emu|
      Dir.mktmpdir do |tmp|
        dest = Photosync::GooglePhotos.new(**emu.credentials)
        t = timed { ours = Photosync.sync(dir, to: dest, concurrency: 8, catalog: File.join(tmp, "c.sqlite3")) }
        raise "photosync: #{ours.to_h.except(:scan, :errors)}" unless ours.uploaded == PHOTOS && ours.failed.zero?

        ours_calls = emu.call_counts
        t
      end
    end
    base_calls = nil
    base_time = Photosync::GooglePhotosEmulator.start(latency: LATENCY) do |emu|
      t = timed { one_at_a_time(emu, files.first(SAMPLE)) }
      base_calls = emu.call_counts
      t * PHOTOS / SAMPLE
    end
    ratio = base_time / ours_time
    sampled = SAMPLE < PHOTOS ? " (#{SAMPLE} run, extrapolated)" : ""
    rows = [Row.new(measurement: "#{PHOTOS} photos at 50 ms, vs one at a time#{sampled}",
                    photosync: ours_time, baseline: base_time, unit: "s", ratio: ratio, target: ">= 8x",
                    pass: ratio >= 8)]
    puts table(rows, "%-62s %12s %12s %8s %8s %6s", ratio: "%.1fx")
    calls = ours_calls.slice("uploads", "mediaItems.batchCreate")
    puts "calls: photosync #{calls} (uploads + ceil(#{PHOTOS}/50) = #{PHOTOS + PHOTOS.fdiv(50).ceil}); " \
         "one at a time #{base_calls.slice('uploads', 'mediaItems.batchCreate')} for #{SAMPLE} photos"
    write_results("gphotos.json", load_before, rows, settings: { photos: PHOTOS, sample: SAMPLE, latency: LATENCY },
                                                     counts: { calls: calls, baseline_calls: base_calls })
  end
end

GphotosBench.run
