# frozen_string_literal: true

# `rake bench:flickr`: issue 3's Flickr targets, measured against the emulator in this
# process. photosync (Photosync::Flickr, the Rust client) against the same requests
# sent the way flickraw sends them: Ruby's Net::HTTP with an OAuth 1.0a HMAC-SHA1 signer
# written in Ruby below (OpenSSL::HMAC), REST as a form POST, uploads as a multipart
# POST built in memory; the OAuth parameters in the Authorization header, as flickraw.
# The baseline keeps one persistent connection (flickraw opens one per call), so it is
# the faster variant of the old way.
#
#   - 500 REST calls (flickr.test.echo): ms per call for each, and their ratio;
#   - 100 uploads of 1-3 MiB files: MB/s for each, and their ratio;
#   - peak RSS (VmHWM) of a child ruby uploading a 1 GiB (sparse) file with photosync,
#     next to a child that only requires photosync; target under 64 MiB.
#
# Prints a table and writes .bench/flickr.json. It never fails the build.
#
#   BENCH_REPEAT=3       runs per timing; the best is reported, every run is in the JSON
#   BENCH_DIR=path       where the upload files and results go (default .bench/)
#   BENCH_BIG_NET_HTTP=0 skip the informative 1 GiB upload through Net::HTTP (it holds
#                        the whole file in memory, as flickraw does: about 2 GiB of RSS)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "photosync"
require "base64"
require "digest"
require "etc"
require "fileutils"
require "json"
require "net/http"
require "openssl"
require "securerandom"
require "time"
require "uri"
require_relative "harness"

# The Flickr benchmark (see the top of this file).
module FlickrBench
  extend Bench::Harness

  WORK = Bench::Harness::WORK # BENCH_DIR
  REPEAT = Bench::Harness::REPEAT # BENCH_REPEAT
  REST_CALLS = 500
  UPLOADS = 100
  MIB = 1024 * 1024
  GIB = 1024 * MIB
  RSS_TARGET_MIB = 64
  Row = Bench::Harness::Row

  # OAuth 1.0a (RFC 5849) HMAC-SHA1, in Ruby, as flickraw signs.
  class RubyOAuth
    UNRESERVED = /[^A-Za-z0-9\-._~]/n

    def initialize(api_key:, shared_secret:, access_token:, access_secret:)
      @key = api_key
      @secret = shared_secret
      @token = access_token
      @token_secret = access_secret
    end

    def self.escape(value)
      value.to_s.b.gsub(UNRESERVED) { |c| format("%%%02X", c.ord) }
    end

    # The oauth_* parameters, signature included, for a POST of `params` to `url`.
    def oauth_params(url, params)
      oauth = { "oauth_consumer_key" => @key, "oauth_nonce" => SecureRandom.hex(16),
                "oauth_signature_method" => "HMAC-SHA1", "oauth_timestamp" => Time.now.to_i.to_s,
                "oauth_token" => @token, "oauth_version" => "1.0" }
      all = params.merge(oauth).map { |k, v| [self.class.escape(k), self.class.escape(v)] }.sort
      base = ["POST", self.class.escape(url), self.class.escape(all.map { |k, v| "#{k}=#{v}" }.join("&"))].join("&")
      key = "#{self.class.escape(@secret)}&#{self.class.escape(@token_secret)}"
      oauth.merge("oauth_signature" => Base64.strict_encode64(OpenSSL::HMAC.digest("sha1", key, base)))
    end

    def authorization(url, params)
      pairs = oauth_params(url, params).map { |k, v| %(#{self.class.escape(k)}="#{self.class.escape(v)}") }
      "OAuth #{pairs.join(', ')}"
    end
  end

  # flickraw's way: Net::HTTP, REST as a signed form POST, upload as a multipart POST
  # whose body (file included) is built in memory.
  class NetHttpFlickr
    class Failed < StandardError; end

    def initialize(creds)
      @endpoint = creds.fetch(:endpoint)
      @api_key = creds.fetch(:api_key)
      @oauth = RubyOAuth.new(**creds.slice(:api_key, :shared_secret, :access_token, :access_secret))
      uri = URI(@endpoint)
      @http = Net::HTTP.new(uri.host, uri.port)
      @http.keep_alive_timeout = 30
      @http.start
    end

    def finish
      @http.finish if @http.started?
    end

    def call(method, args = {})
      url = "#{@endpoint}/services/rest/"
      params = args.transform_keys(&:to_s).transform_values(&:to_s)
                   .merge("method" => method, "format" => "json", "nojsoncallback" => "1", "api_key" => @api_key)
      request = Net::HTTP::Post.new(URI(url).path)
      request["Authorization"] = @oauth.authorization(url, params)
      request.set_form_data(params)
      response = @http.request(request)
      json = JSON.parse(response.body)
      raise Failed, "#{method}: #{json['code']} #{json['message']}" unless json["stat"] == "ok"

      json
    end

    def upload_photo(path, args = {})
      url = "#{@endpoint}/services/upload/"
      params = args.transform_keys(&:to_s).transform_values(&:to_s)
      boundary = "FlickRaw#{SecureRandom.hex(16)}"
      body = +""
      params.each do |k, v|
        body << "--#{boundary}\r\nContent-Disposition: form-data; name=\"#{k}\"\r\n\r\n#{v}\r\n"
      end
      body << "--#{boundary}\r\n" \
              "Content-Disposition: form-data; name=\"photo\"; filename=\"#{File.basename(path)}\"\r\n" \
              "Content-Type: application/octet-stream\r\n\r\n"
      body = body.b << File.binread(path) << "\r\n--#{boundary}--\r\n"
      request = Net::HTTP::Post.new(URI(url).path)
      request["Authorization"] = @oauth.authorization(url, params)
      request["Content-Type"] = "multipart/form-data; boundary=#{boundary}"
      request.body = body
      response = @http.request(request)
      id = response.body[%r{<photoid[^>]*>(\d+)</photoid>}, 1]
      raise Failed, "upload: #{response.code} #{response.body[0, 200]}" unless id

      id
    end
  end

  module_function

  # 100 files of 1-3 MiB: a JPEG head, then seeded random bytes (so each has its own
  # MD5 and nothing compresses). Kept between runs.
  def upload_files
    dir = File.join(WORK, "flickr-uploads")
    FileUtils.mkdir_p(dir)
    rng = Random.new(3)
    (1..UPLOADS).map do |i|
      size = rng.rand(1 * MIB..3 * MIB)
      path = File.join(dir, format("photo-%03d.jpg", i))
      unless File.size?(path) == size
        File.binwrite(path, "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00".b + Random.new(i).bytes(size - 11))
      end
      path
    end
  end

  def rest(emu)
    section("#{REST_CALLS} REST calls (flickr.test.echo)")
    flickr = Photosync::Flickr.new(**emu.credentials)
    net = NetHttpFlickr.new(emu.credentials)
    args = { greeting: "hello", n: "1" }
    # Warm both (connections, method tree, JIT-less Ruby caches).
    20.times { flickr.test.echo(**args) && net.call("flickr.test.echo", args) }
    raise "photosync echo" unless flickr.test.echo(**args)["greeting"] == "hello"
    raise "Net::HTTP echo" unless net.call("flickr.test.echo", args)["greeting"]["_content"] == "hello"

    t = rounds("rest", {
                 photosync: -> { timed { REST_CALLS.times { flickr.test.echo(**args) } } },
                 net_http: -> { timed { REST_CALLS.times { net.call("flickr.test.echo", args) } } }
               })
    net.finish
    ps = t[:photosync] * 1000 / REST_CALLS
    base = t[:net_http] * 1000 / REST_CALLS
    warn format("  photosync %.3f ms/call, Net::HTTP + Ruby signer %.3f ms/call", ps, base)
    [Row.new(measurement: "REST call, flickr.test.echo x#{REST_CALLS}, ms/call", photosync: ps, baseline: base,
             ratio: ps / base, target: "photosync/baseline <= 1.0", pass: ps <= base, unit: "ms")]
  end

  def uploads(emu, files)
    bytes = files.sum { |f| File.size(f) }
    section("#{files.size} uploads, #{(bytes.to_f / MIB).round(1)} MiB")
    md5s = files.to_h { |f| [File.basename(f), Digest::MD5.file(f).hexdigest] }
    flickr = Photosync::Flickr.new(**emu.credentials)
    net = NetHttpFlickr.new(emu.credentials)
    run = lambda do |client|
      emu.reset # empties the store and its originals
      secs = timed do
        files.each do |f|
          client.upload_photo(f, "title" => File.basename(f), "tags" => "checksum:md5=#{md5s[File.basename(f)]}",
                                 "is_public" => "0", "is_family" => "1")
        end
      end
      stored = emu.photos
      bad = stored.reject { |p| md5s[p.title] == p.md5 }
      unless stored.size == files.size && bad.empty?
        raise "uploads: #{stored.size} stored, #{bad.size} with a wrong md5"
      end

      secs
    end
    t = rounds("uploads", { photosync: -> { run.call(flickr) }, net_http: -> { run.call(net) } })
    net.finish
    emu.reset
    ps = bytes / 1e6 / t[:photosync]
    base = bytes / 1e6 / t[:net_http]
    warn format("  photosync %.1f MB/s (%.2f s), Net::HTTP multipart %.1f MB/s (%.2f s); every stored md5 checked",
                ps, t[:photosync], base, t[:net_http])
    [Row.new(measurement: "upload, #{files.size} files of 1-3 MiB, MB/s", photosync: ps, baseline: base,
             ratio: ps / base, target: "photosync/baseline >= 1.0", pass: ps >= base, unit: "MB/s")]
  end

  # A 1 GiB sparse video (an MP4 head, then a hole): Flickr's video limit, no disk used.
  def big_file
    path = File.join(WORK, "flickr-1gib.mp4")
    unless File.size?(path) == GIB
      File.open(path, "wb") do |f|
        f.write("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2".b)
        f.truncate(GIB)
      end
    end
    path
  end

  def memory(emu)
    path = big_file
    section("peak RSS uploading a 1 GiB file (child ruby processes)")
    bare, = child(%(require "photosync"), env: emu.env)
    upload = <<~RUBY
      require "photosync"
      t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      id = Photosync::Flickr.new.upload_photo(ARGV[0], title: "big", tags: "bench")
      puts "id \#{id} \#{Process.clock_gettime(Process::CLOCK_MONOTONIC) - t}"
    RUBY
    peak, out = child(upload, path, env: emu.env)
    id, secs = out.split[1, 2]
    stored = emu.photos.find { |p| p.id == id }
    raise "the 1 GiB upload is not stored whole: #{stored.inspect}" unless stored&.original_size == GIB

    warn format("  photosync: VmHWM %.1f MiB (%.1f MiB over a bare require), %.2f s, %.0f MB/s; bare require %.1f MiB",
                peak / 1024.0, (peak - bare) / 1024.0, Float(secs), GIB / 1e6 / Float(secs), bare / 1024.0)
    emu.reset
    rows = [rss_row("peak RSS, child ruby uploading 1 GiB (vs bare require)", peak, bare, RSS_TARGET_MIB)]
    if ENV.fetch("BENCH_BIG_NET_HTTP", "1") != "0"
      code = <<~RUBY
        require "photosync"
        require #{File.expand_path(__FILE__).dump}
        creds = { endpoint: ENV["PHOTOSYNC_FLICKR_ENDPOINT"], api_key: ENV["FLICKRAW_API_KEY"],
                  shared_secret: ENV["FLICKRAW_SHARED_SECRET"], access_token: ENV["FLICKRAW_ACCESS_TOKEN"],
                  access_secret: ENV["FLICKRAW_ACCESS_SECRET"] }
        FlickrBench::NetHttpFlickr.new(creds).upload_photo(ARGV[0], "title" => "big")
      RUBY
      net_peak, = child(code, path, env: emu.env)
      emu.reset
      warn format("  Net::HTTP, flickraw-style (whole body in memory): VmHWM %.1f MiB", net_peak / 1024.0)
      rows << Row.new(measurement: "  (info) the same upload via Net::HTTP, flickraw-style",
                      photosync: peak / 1024.0, baseline: net_peak / 1024.0, ratio: peak.fdiv(net_peak),
                      target: "(information)", pass: nil, unit: "MiB")
    end
    rows
  end

  def run
    FileUtils.mkdir_p(WORK)
    load_before = start("photosync flickr bench: #{Etc.nprocessors} cores, best of #{REPEAT} runs, files in #{WORK}",
                        warning: "")
    files = upload_files
    rows = Photosync::Emulator.start(calls_per_hour: 100_000_000) do |emu|
      rest(emu) + uploads(emu, files) + memory(emu)
    end
    puts "\n#{table(rows, '%-58s %13s %13s %7s  %-27s %s')}"
    write_results("flickr.json", load_before, rows,
                  settings: { repeat: REPEAT }, counts: { rest_calls: REST_CALLS, uploads: UPLOADS },
                  notes: { baseline: "Net::HTTP (one persistent connection) + OAuth 1.0a HMAC-SHA1 signer in Ruby, " \
                                     "flickraw-style" })
  end
end

FlickrBench.run if $PROGRAM_NAME == __FILE__
