# frozen_string_literal: true

# `rake bench:s3`: issue 15's targets against the local S3 server the tests use (s3s-fs,
# with its own latency, no added delay): 1,000 photos through Photosync.sync (8 uploads in
# flight) vs one-at-a-time PUTs of the same files by a plain S3 client (curl --aws-sigv4,
# one process a file, run on a sample and extrapolated), and the peak memory of a sync of
# one 2 GiB file (uploaded in parts). Writes .bench/s3.json. Never fails the build.
#
#   BENCH_S3_SAMPLE=100   photos the one-at-a-time loop runs on (1000: all of them)
#   BENCH_S3_BIG_MB=2048  the size of the big file

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "fileutils"
require "tmpdir"
require "digest"
require_relative "harness"
require_relative "../spec/support/s3_server"

# The S3 benchmark (see the top of this file).
module S3Bench
  extend Bench::Harness

  ROOT = Bench::Harness::ROOT
  WORK = Bench::Harness::WORK
  PHOTOS = 1000
  SAMPLE = Integer(ENV.fetch("BENCH_S3_SAMPLE", "100")).clamp(1, PHOTOS)
  BIG_MB = Integer(ENV.fetch("BENCH_S3_BIG_MB", "2048"))
  Row = Bench::Harness::Row

  module_function

  def corpus
    dir = File.join(WORK, "s3-corpus")
    return dir if Dir[File.join(dir, "*.jpg")].size == PHOTOS

    FileUtils.rm_rf(dir)
    FileUtils.mkdir_p(dir)
    head = File.binread(File.join(ROOT, "../shared/fixtures/exif-samples/jpg/Canon_40D.jpg"))
    rng = Random.new(15)
    PHOTOS.times { |i| File.binwrite(File.join(dir, format("p%04d.jpg", i)), head + rng.bytes(64 * 1024)) }
    dir
  end

  # One file of BIG_MB MiB, each MiB with bytes of its own.
  def big_file
    dir = File.join(WORK, "s3-big")
    path = File.join(dir, "video.mp4")
    return dir if File.size?(path) == BIG_MB << 20

    FileUtils.rm_rf(dir)
    FileUtils.mkdir_p(dir)
    block = Random.new(2).bytes(1 << 20)
    File.open(path, "wb") { |f| BIG_MB.times { |i| f.write([i].pack("Q") + block[8..]) } }
    dir
  end

  # What a plain S3 client loop does: one signed PUT a file (with its SHA-256 and
  # Content-MD5, as the AWS CLI sends), one after the other.
  def one_at_a_time(server, files)
    files.each do |f|
      url = "#{server.endpoint}/#{S3Server::BUCKET}/loop/#{File.basename(f)}"
      ok = system("curl", "-sf", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:s3",
                  "--user", "#{S3Server::KEY_ID}:#{S3Server::SECRET}", "-T", f, url,
                  "-H", "x-amz-content-sha256: #{Digest::SHA256.file(f).hexdigest}",
                  "-H", "Content-MD5: #{Digest::MD5.file(f).base64digest}")
      raise "curl PUT #{url} failed" unless ok
    end
  end

  def speed_row(server, dir)
    files = Dir[File.join(dir, "*.jpg")].sort
    ours = nil
    ours_time = Dir.mktmpdir do |tmp|
      timed { ours = Photosync.sync(dir, to: server.destination("sync"), concurrency: 8, catalog: File.join(tmp, "c")) }
    end
    raise "photosync: #{ours.to_h.except(:scan, :errors)}" unless ours.uploaded == PHOTOS && ours.failed.zero?

    base_time = timed { one_at_a_time(server, files.first(SAMPLE)) } * PHOTOS / SAMPLE
    ratio = base_time / ours_time
    sampled = SAMPLE < PHOTOS ? " (#{SAMPLE}, extrapolated)" : ""
    Row.new(measurement: "#{PHOTOS} photos (64 KiB), vs one PUT at a time#{sampled}",
            photosync: ours_time, baseline: base_time, unit: "s", ratio: ratio, target: ">= 6x", pass: ratio >= 6)
  end

  def memory_row(server, dir)
    code = <<~RUBY
      require "photosync"
      s3 = Photosync::S3.new(url: "s3://#{S3Server::BUCKET}/big", endpoint: ARGV[0],
                             access_key_id: "#{S3Server::KEY_ID}", secret_access_key: "#{S3Server::SECRET}")
      r = Photosync.sync(ARGV[1], to: s3, catalog: ARGV[2])
      raise "big: \#{r.to_h}" unless r.uploaded == 1
    RUBY
    peak = Dir.mktmpdir { |tmp| child(code, server.endpoint, dir, File.join(tmp, "c")).first }
    bare, = child('require "photosync"')
    rss_row("peak RSS, one #{BIG_MB} MiB file in parts", peak, bare, 150)
  end

  def run
    load_before = start("rake bench:s3: #{PHOTOS} photos and one #{BIG_MB} MiB file to a local S3 server (s3s-fs)")
    dir = corpus
    big = big_file
    rows = Dir.mktmpdir do |root|
      S3Server.start(root) { |server| [speed_row(server, dir), memory_row(server, big)] }
    end
    puts table(rows, "%-62s %12s %12s %8s %16s %6s", ratio: "%.1fx")
    write_results("s3.json", load_before, rows, settings: { photos: PHOTOS, sample: SAMPLE, big_mib: BIG_MB })
  end
end

S3Bench.run
