# frozen_string_literal: true

# `rake bench:restore`: issue 7's restore target, measured against the emulator in this
# one run: 300 photos on the account, 50 ms per request; Photosync.restore (8 downloads
# at once, checked against their tags) vs one-at-a-time through the FlickRaw facade
# (list the account, then getSizes and download each photo in turn). Prints a table and
# writes .bench/restore.json; never fails the build.
#
#   BENCH_REPEAT=3   runs per timing; the best is reported, every run is in the JSON
#   BENCH_DIR=path   where the corpus and results go (default .bench/)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "photosync/flickraw"
require "digest"
require "net/http"
require "tmpdir"
require_relative "corpus"
require_relative "harness"

# The restore benchmark (see the top of this file).
module RestoreBench
  extend Bench::Harness

  WORK = Bench::Harness::WORK
  REPEAT = Bench::Harness::REPEAT
  PHOTOS = 300
  LATENCY = 0.05
  BUDGET = 100_000_000
  Row = Bench::Harness::Row

  module_function

  # 300 photos of 20-60 KiB, each a fixture head and random bytes.
  def corpus
    heads = Bench::Corpus.heads(Bench::Corpus.fixtures_dir(Bench::Harness::ROOT)).select { |h| h.bytesize < 16 * 1024 }
    dir = File.join(WORK, "restore-corpus")
    Bench::Corpus.ensure_tree(dir, { kind: "restore", count: PHOTOS, seed: 7, heads: heads.map(&:bytesize) }) do
      rng = Random.new(7)
      total = 0
      PHOTOS.times do |i|
        size = rng.rand(20 * 1024..60 * 1024)
        Bench::Corpus.write(File.join(dir, format("IMG_%04d.jpg", i)), heads[rng.rand(heads.size)], size, rng)
        total += size
      end
      { files: PHOTOS, bytes: total }
    end
    dir
  end

  # One photo at a time, as a simple script does it with flickraw.
  def one_at_a_time(flickraw, into)
    photos = flickraw.photos.search(user_id: "me", per_page: 500, extras: "machine_tags")
    photos.each do |p|
      original = flickraw.photos.getSizes(photo_id: p.id).find { |s| s.label == "Original" }
      body = Net::HTTP.get(URI(original.source))
      File.binwrite(File.join(into, "#{p.id}.jpg"), body)
    end
    photos.size
  end

  def run
    FileUtils.mkdir_p(WORK)
    load_before = start("photosync restore bench: #{Etc.nprocessors} cores, best of #{REPEAT} runs")
    dir = corpus
    rows = Photosync::Emulator.start(calls_per_hour: BUDGET) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      Dir.mktmpdir("photosync-bench") do |tmp|
        up = Photosync.sync(dir, to: flickr, catalog: File.join(tmp, "up.sqlite3"), calls_per_hour: BUDGET)
        raise "setup sync uploaded #{up.uploaded}" unless up.uploaded == PHOTOS

        emu.latency = LATENCY
        c = emu.credentials
        flickraw = FlickRaw::Flickr.new(c[:api_key], c[:shared_secret],
                                        **c.slice(:access_token, :access_secret, :endpoint))
        calls = {}
        n = 0
        t = rounds("restore", {
                     photosync: lambda {
                       into = File.join(tmp, "ps-#{n += 1}")
                       secs = timed do
                         r = Photosync.restore(into, from: flickr, catalog: File.join(tmp, "r#{n}.sqlite3"),
                                                     concurrency: 8, calls_per_hour: BUDGET)
                         raise "restore: #{r.to_h}" unless r.downloaded == PHOTOS && r.ok?

                         calls[:photosync] = r.api_calls
                       end
                       secs
                     },
                     one_at_a_time: lambda {
                       into = File.join(tmp, "old-#{n += 1}")
                       FileUtils.mkdir_p(into)
                       before = emu.call_counts.values.sum
                       secs = timed { raise "one at a time" unless one_at_a_time(flickraw, into) == PHOTOS }
                       calls[:old] = emu.call_counts.values.sum - before
                       secs
                     }
                   })
        warn format("  photosync %.2f s with %d API calls; one at a time %.2f s with %d API calls",
                    t[:photosync], calls[:photosync], t[:one_at_a_time], calls[:old])
        [Row.new(measurement: "restore #{PHOTOS} photos at #{(LATENCY * 1000).round} ms, 8 at once, vs one at a time",
                 photosync: t[:photosync], baseline: t[:one_at_a_time], ratio: t[:one_at_a_time] / t[:photosync],
                 target: "old/photosync >= 6", pass: t[:one_at_a_time] / t[:photosync] >= 6, unit: "s")]
      end
    end
    puts "\n#{table(rows, '%-70s %11s %11s %7s  %-20s %s')}"
    write_results("restore.json", load_before, rows, settings: { repeat: REPEAT, latency: LATENCY, photos: PHOTOS })
  end
end

RestoreBench.run if $PROGRAM_NAME == __FILE__
