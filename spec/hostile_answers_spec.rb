# frozen_string_literal: true

require "spec_helper"
require "socket"
require "timeout"
require "uri"

# A server that is not Flickr, or a broken proxy in front of it, must never crash or
# hang photosync: every hostile answer to a REST call, an upload or an OAuth step is a
# Photosync::Error (FailedResponse, NetworkError or InvalidResponse) whose message names
# the problem and the call. The server is a raw TCPServer so that it can also send what
# no HTTP library would: truncated bodies, a closed connection mid-answer, a body larger
# than the client's cap (streamed from one reused buffer, never built in memory), a head
# that is not HTTP at all.
module HostileServer
  MIB = 1024 * 1024
  # The client refuses answers larger than this (MAX_ANSWER_BYTES in src/destinations/flickr/api/response.rs).
  MAX_ANSWER_BYTES = 64 * MIB

  # Errors for an answer that is not Flickr's: the native client raises NetworkError
  # today, Ruby's JSON layer InvalidResponse (lib/photosync/flickr/failed_response.rb).
  MALFORMED = [Photosync::InvalidResponse].freeze
  NETWORK = [Photosync::NetworkError].freeze
  FAILED = [Photosync::FailedResponse].freeze
  CALL_TIMEOUT = 30 # seconds: a call that takes longer has hung

  # The request as read off the socket.
  Request = Struct.new(:verb, :path, :headers, :body, keyword_init: true)

  # One listening socket; each connection is read (head and body) and handed to the
  # current handler, ->(request, socket), which writes whatever it likes.
  class Server
    attr_reader :port
    attr_accessor :handler

    def initialize
      @server = TCPServer.new("127.0.0.1", 0)
      @port = @server.addr[1]
      @requests = []
      @lock = Mutex.new
      @connections = []
      @acceptor = Thread.new { accept_loop }
    end

    def endpoint
      "http://127.0.0.1:#{port}"
    end

    def requests
      @lock.synchronize { @requests.dup }
    end

    def stop
      @server.close
      @acceptor.join(5)
      @lock.synchronize { @connections.dup }.each { |t| t.kill.join(5) }
    end

    private

    def accept_loop
      loop do
        socket = @server.accept
        thread = Thread.new(socket) { |s| serve(s) }
        @lock.synchronize { @connections << thread }
      end
    rescue IOError, Errno::EBADF
      nil # closed by stop
    end

    def serve(socket)
      request = read_request(socket)
      return unless request

      @lock.synchronize { @requests << request }
      handler.call(request, socket)
    rescue Errno::EPIPE, Errno::ECONNRESET, IOError
      nil # the client hung up, as it should on a hostile answer
    ensure
      socket.close unless socket.closed?
    end

    def read_request(socket)
      line = socket.gets("\r\n") or return nil
      method, path, = line.split(" ")
      headers = {}
      while (header = socket.gets("\r\n")) && header != "\r\n"
        name, value = header.split(":", 2)
        headers[name.strip.downcase] = value.to_s.strip
      end
      body = if headers["content-length"]
               socket.read(Integer(headers["content-length"]))
             elsif headers["transfer-encoding"].to_s.include?("chunked")
               read_chunked(socket)
             else
               ""
             end
      Request.new(verb: method, path: path, headers: headers, body: body)
    end

    def read_chunked(socket)
      body = +""
      loop do
        size = socket.gets("\r\n").to_s.strip.split(";").first.to_i(16)
        if size.zero?
          nil while (trailer = socket.gets("\r\n")) && trailer != "\r\n"
          break
        end
        body << socket.read(size)
        socket.read(2)
      end
      body
    end
  end

  # What handlers write.
  module Answers
    module_function

    REASONS = { 200 => "OK", 204 => "No Content", 307 => "Temporary Redirect", 401 => "Unauthorized",
                502 => "Bad Gateway", 503 => "Service Unavailable", 999 => "Odd" }.freeze

    def head(status, type: "application/json", length: nil, extra: {})
      lines = ["HTTP/1.1 #{status} #{REASONS.fetch(status, 'Whatever')}", "Content-Type: #{type}", "Connection: close"]
      lines << "Content-Length: #{length}" if length
      extra.each { |k, v| lines << "#{k}: #{v}" }
      "#{lines.join("\r\n")}\r\n\r\n"
    end

    # A complete answer.
    def body(text, status: 200, type: "application/json", extra: {})
      text = text.b
      lambda do |_req, sock|
        sock.write(head(status, type: type, length: text.bytesize, extra: extra))
        sock.write(text)
      end
    end

    # Bytes exactly as given, then the connection closes.
    def raw(bytes)
      ->(_req, sock) { sock.write(bytes.b) }
    end

    # A head promising `promised` bytes, then only `text`, then the connection closes.
    def cut(text, promised:)
      lambda do |_req, sock|
        sock.write(head(200, length: promised))
        sock.write(text)
      end
    end

    # `total` bytes of body, streamed from one 1 MiB buffer; with chunked: true, no
    # Content-Length (chunked encoding). Stops when the client hangs up.
    def huge(total, chunked: false, type: "application/json")
      lambda do |_req, sock|
        block = "{\"stat\":\"ok\",\"pad\":\"#{'x' * MIB}"[0, MIB]
        if chunked
          sock.write(head(200, type: type, extra: { "Transfer-Encoding" => "chunked" }))
        else
          sock.write(head(200, type: type, length: total))
        end
        sent = 0
        while sent < total
          n = [MIB, total - sent].min
          piece = n == MIB ? block : block[0, n]
          sock.write(chunked ? "#{n.to_s(16)}\r\n#{piece}\r\n" : piece)
          sent += n
        end
        sock.write("0\r\n\r\n") if chunked
      end
    end
  end
end

# (Inside the module, so its constants resolve without leaking to the top level.)
module HostileServer
  RSpec.describe "Hostile answers" do
    include Answers

    before(:all) { @server = Server.new }
    after(:all) { @server.stop }

    let(:server) { @server }
    let(:flickr) do
      Photosync::Flickr.new(api_key: "k", shared_secret: "s", access_token: "t", access_secret: "ts",
                            endpoint: server.endpoint)
    end
    let(:photo) do
      path = File.join(tmpdir, "photo.jpg")
      File.binwrite(path, "\xFF\xD8\xFF\xE0".b + ("\x00JFIF".b * 200))
      path
    end

    def rest_call
      flickr.test.echo(greeting: "hi")
    end

    def upload_call
      flickr.upload_photo(photo, title: "hostile", tags: "checksum:md5=00112233445566778899aabbccddeeff")
    end

    # Runs the call against `handler` and checks that it raised one of `classes` with a
    # message matching `pattern` and naming `where` (the method or step); returns it.
    def expect_clear_error(handler, classes, pattern, where:, &block)
      server.handler = handler
      error = nil
      begin
        Timeout.timeout(CALL_TIMEOUT, &block)
      rescue Exception => e # rubocop:disable Lint/RescueException -- anything but Photosync::Error fails below
        error = e
      end
      expect(error).not_to be_nil, "the call returned instead of raising"
      expect(error).to be_a(Photosync::Error),
                       "expected a Photosync::Error, got #{error.class}: #{error.message}\n#{error.backtrace&.first(5)&.join("\n")}"
      expect(classes).to include(error.class), "expected one of #{classes}, got #{error.class}: #{error.message}"
      expect(error.message).to match(pattern)
      expect(error.message).to include(where)
      warn "  #{error.class}: #{error.message}" if ENV["HOSTILE_VERBOSE"]
      error
    end

    describe "to a REST call" do
      {
        "truncated JSON" => [-> { body('{"photos":{"page":1,"pages":') }, MALFORMED, /not JSON.*\{"photos":\{"page":1,"pages":/],
        "an HTML error page with status 200" =>
          [-> { body("<!DOCTYPE html><html><head><title>Flickr: Oops</title></head><body>Something broke</body></html>", type: "text/html") },
           MALFORMED, /not JSON.*<!DOCTYPE html>/],
        "an HTML error page with status 502" =>
          [-> { body("<html><body><h1>502 Bad Gateway</h1></body></html>", status: 502, type: "text/html") },
           NETWORK, /HTTP 502.*Bad Gateway/],
        "XML where JSON was asked" =>
          [-> { body(%(<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<user id="1" />\n</rsp>), type: "text/xml") },
           MALFORMED, /not JSON.*<rsp stat="ok">/],
        "an XML failure where JSON was asked" =>
          [-> { body(%(<rsp stat="fail"><err code="98" msg="Invalid auth token" /></rsp>), type: "text/xml") },
           MALFORMED, /not JSON.*Invalid auth token/],
        "JSONP although nojsoncallback=1 was asked" =>
          [-> { body('jsonFlickrApi({"stat":"ok","user":{"id":"1"}})') }, MALFORMED, /not JSON.*jsonFlickrApi/],
        "an empty 200" => [-> { body("") }, MALFORMED, /not JSON.*empty answer/],
        "a 204 No Content" => [-> { body("", status: 204) }, MALFORMED, /empty answer/],
        "an odd status with no body" => [-> { body("", status: 999) }, NETWORK, /HTTP 999/],
        "a JSON array" => [-> { body("[1,2,3]") }, MALFORMED, /without stat/],
        "a JSON string" => [-> { body('"ok"') }, MALFORMED, /without stat/],
        "JSON null" => [-> { body("null") }, MALFORMED, /without stat/],
        "an object without stat" => [-> { body('{"user":{"id":"1"}}') }, MALFORMED, /without stat/],
        "stat of the wrong type" => [-> { body('{"stat":["ok"],"user":{}}') }, MALFORMED, /without stat/],
        "stat in the wrong case" => [-> { body('{"stat":"OK"}') }, MALFORMED, /without stat/],
        "a string that is not UTF-8" => [-> { body(%({"stat":"ok","title":"\xFF\xFE"})) }, MALFORMED, /not JSON/],
        "a lone UTF-16 surrogate" => [-> { body('{"stat":"ok","title":"\ud800"}') }, MALFORMED, /not JSON/],
        "a number out of range" => [-> { body('{"stat":"ok","n":1e400}') }, MALFORMED, /not JSON/],
        "nesting 100,000 deep" => [-> { body("#{'[' * 100_000}#{']' * 100_000}") }, MALFORMED, /not JSON/],
        "nesting deeper than Ruby's JSON allows" =>
          [-> { body(%({"stat":"ok","deep":#{'[' * 120}#{']' * 120}})) }, MALFORMED, /not JSON|nest/i],
        "a body larger than the cap, with Content-Length" =>
          [-> { huge(MAX_ANSWER_BYTES + 4 * MIB) }, MALFORMED, /larger than 67108864 bytes/],
        "a body larger than the cap, chunked" =>
          [-> { huge(MAX_ANSWER_BYTES + 4 * MIB, chunked: true) }, MALFORMED,
           /larger than 67108864 bytes/],
        "a connection closed mid-answer" =>
          [-> { cut('{"stat":"ok","user":{"id":', promised: 1000) }, NETWORK, /network error/],
        "a chunked answer cut mid-chunk" =>
          [-> { raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"stat\":\"ok\"") }, NETWORK, /network error/],
        "a connection closed before any answer" => [-> { raw("") }, NETWORK, /network error/],
        "an answer that is not HTTP" => [-> { raw("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") }, NETWORK, /network error/],
        "a head larger than any HTTP head" =>
          [-> { raw("HTTP/1.1 200 OK\r\nX-Junk: #{'a' * (2 * MIB)}\r\n\r\n{}") }, NETWORK, /network error/],
        # Flickr's API never redirects; the client follows none (a signed body must not go elsewhere).
        "a redirect" =>
          [-> { body("", status: 307, extra: { "Location" => "/services/rest/" }) }, NETWORK, /HTTP 307/]
      }.each do |what, (handler, classes, pattern)|
        it "gives a clear error for #{what}" do
          expect_clear_error(instance_exec(&handler), classes, pattern, where: "flickr.test.echo") { rest_call }
        end
      end

      it "gives a FailedResponse for a failure whose code is not a number" do
        error = expect_clear_error(body('{"stat":"fail","code":"abc"}'), FAILED, /flickr\.test\.echo/,
                                   where: "flickr.test.echo") { rest_call }
        expect(error.code).to be_a(Integer)
        expect(error.msg).to be_a(String)
      end

      it "gives a FailedResponse for a failure whose fields have the wrong types" do
        error = expect_clear_error(body('{"stat":"fail","code":98.5,"message":{"html":"<b>no</b>"}}'), FAILED,
                                   /flickr\.test\.echo/, where: "flickr.test.echo") { rest_call }
        expect(error.code).to be_a(Integer)
        expect(error.msg).to be_a(String)
      end

      it "keeps Flickr's own failure behind an HTTP error status" do
        error = expect_clear_error(body('{"stat":"fail","code":105,"message":"Service currently unavailable"}', status: 503),
                                   FAILED, /Service currently unavailable/, where: "flickr.test.echo") { rest_call }
        expect(error.code).to eq(105)
      end

      # stat=ok with shapes Flickr never sends: either a value the script can inspect
      # and walk without a crash, or a Photosync::Error; never anything else.
      [
        '{"stat":"ok"}',
        '{"stat":"ok","photos":"none"}',
        '{"stat":"ok","photos":{"photo":"not a list"}}',
        '{"stat":"ok","photos":{"page":"x","photo":[1,null,"a",[2],{"id":{"_content":5}}]}}',
        '{"stat":"ok","user":{"to_str":"x","class":"y","method_missing":1,"12":3,"":4,"send":"z","inspect":5}}',
        '{"stat":"ok","user":{"id":{"_content":{"_content":{"_content":"x"}}}}}',
        '{"stat":"ok","_content":null}',
        '{"stat":"ok","a":[],"b":{}}',
        '{"stat":"ok","user":[]}',
        '{"stat":"ok","stat":"ok","user":{"id":1e308,"n":-0,"t":true}}'
      ].each do |json|
        it "answers or raises cleanly for the odd stat=ok shape #{json}" do
          server.handler = body(json)
          result = begin
            Timeout.timeout(CALL_TIMEOUT) { rest_call }
          rescue Photosync::Error => e
            e
          end
          next if result.is_a?(Photosync::Error)

          expect { result.inspect }.not_to raise_error
          expect { result.to_s }.not_to raise_error
          expect(result.to_hash).to be_a(Hash) if result.respond_to?(:to_hash)
          result.each { |e| e.inspect } if result.respond_to?(:each) # rubocop:disable Style/SymbolProc
          expect(result).not_to respond_to(:to_str) unless result.is_a?(String)
          expect(result).not_to respond_to(:to_ary) unless result.is_a?(Array)
          expect(result.class.name).to start_with("Photosync::Flickr::Response").or eq("String").or eq("NilClass")
        end
      end

      it "can be interrupted while the server sends a head and then nothing" do
        server.handler = lambda do |_req, sock|
          sock.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{")
          sleep 60
        end
        started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
        expect { Timeout.timeout(1) { rest_call } }.to raise_error(Timeout::Error)
        expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 5
      end

      it "leaves the client usable after hostile answers" do
        [body("{"), raw(""), body("<html>", status: 502), huge(MAX_ANSWER_BYTES + MIB)].each do |h|
          server.handler = h
          expect { Timeout.timeout(CALL_TIMEOUT) { rest_call } }.to raise_error(Photosync::Error)
        end
        server.handler = body('{"greeting":{"_content":"hi"},"method":{"_content":"flickr.test.echo"},"stat":"ok"}')
        answer = rest_call
        expect(answer.greeting).to eq("hi")
        # The call reached the server as Flickr's REST call, signed.
        last = server.requests.last
        expect(last.path).to eq("/services/rest/")
        expect(::URI.decode_www_form(last.body).to_h).to include("method" => "flickr.test.echo", "format" => "json",
                                                                 "nojsoncallback" => "1",
                                                                 "oauth_signature_method" => "HMAC-SHA1")
      end
    end

    describe "to an upload" do
      {
        "truncated XML" =>
          [-> { body(%(<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<photoid>1234), type: "text/xml") },
           MALFORMED, /no photoid or ticketid/],
        "an HTML error page with status 200" =>
          [-> { body("<!DOCTYPE html><html><body>Oops</body></html>", type: "text/html") }, MALFORMED,
           /not a Flickr answer.*<!DOCTYPE html>/],
        "an HTML error page with status 502" =>
          [-> { body("<html><body><h1>502 Bad Gateway</h1></body></html>", status: 502, type: "text/html") },
           NETWORK, /HTTP 502.*Bad Gateway/],
        "JSON where XML was expected" =>
          [-> { body('{"stat":"ok","photoid":{"_content":"1234"}}') }, MALFORMED, /not a Flickr answer/],
        "an answer without stat" => [-> { body("<rsp><photoid>1</photoid></rsp>", type: "text/xml") }, MALFORMED, /no stat/],
        "an empty 200" => [-> { body("") }, MALFORMED, /empty answer/],
        "a body larger than the cap" =>
          [-> { huge(MAX_ANSWER_BYTES + 4 * MIB, type: "text/xml") }, MALFORMED,
           /larger than 67108864 bytes/],
        "a body larger than the cap, chunked" =>
          [-> { huge(MAX_ANSWER_BYTES + 4 * MIB, chunked: true, type: "text/xml") },
           MALFORMED, /larger than 67108864 bytes/],
        "a connection closed mid-answer" =>
          [-> { cut(%(<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<photo), promised: 500) }, NETWORK,
           /network error/],
        "a connection closed before any answer" => [-> { raw("") }, NETWORK, /network error/],
        "an answer that is not HTTP" => [-> { raw("220 smtp.example.com ESMTP\r\n") }, NETWORK, /network error/]
      }.each do |what, (handler, classes, pattern)|
        it "gives a clear error for #{what}" do
          expect_clear_error(instance_exec(&handler), classes, pattern, where: "upload") { upload_call }
        end
      end

      it "gives a FailedResponse for a failure whose code is not a number" do
        error = expect_clear_error(body(%(<rsp stat="fail"><err code="abc" msg="Filetype was not recognised" /></rsp>),
                                        type: "text/xml"), FAILED, /Filetype was not recognised/, where: "upload") { upload_call }
        expect(error.code).to be_a(Integer)
      end

      it "gives a FailedResponse for a failure without its err element" do
        error = expect_clear_error(body(%(<rsp stat="fail"></rsp>), type: "text/xml"), FAILED, /upload/,
                                   where: "upload") { upload_call }
        expect(error.code).to be_a(Integer)
      end

      it "sent the photo as Flickr's multipart upload before the hostile answer" do
        server.handler = body("")
        expect { upload_call }.to raise_error(Photosync::Error)
        last = server.requests.last
        expect(last.path).to eq("/services/upload/")
        expect(last.headers["content-type"]).to start_with("multipart/form-data")
        expect(last.body.b).to include(File.binread(photo))
      end

      # An id that is no id must not be taken for an upload that worked: the sync would
      # record it as the photo's remote copy.
      [
        %(<rsp stat="ok"><photoid></photoid></rsp>),
        %(<rsp stat="ok"><photoid>   </photoid></rsp>),
        %(<rsp stat="ok"><photoid>not a number</photoid></rsp>),
        %(<rsp stat="ok"><photoid><b>1</b></photoid></rsp>)
      ].each do |xml|
        it "refuses the upload answer #{xml}" do
          expect_clear_error(body(xml, type: "text/xml"), MALFORMED, /photoid/, where: "upload") { upload_call }
        end
      end
    end

    describe "to the OAuth flow" do
      it "gives a clear error when the request token answer is an HTML page" do
        expect_clear_error(body("<html><body>Log in to Flickr</body></html>", type: "text/html"), MALFORMED,
                           /no oauth_token in the answer/, where: "request_token") { flickr.get_request_token }
      end

      it "gives Flickr's oauth_problem for a refused request token" do
        error = expect_clear_error(body("oauth_problem=signature_invalid&debug_sbs=POST", status: 401, type: "text/plain"),
                                   FAILED, /signature_invalid/, where: "request_token") { flickr.get_request_token }
        expect(error.code).to eq(401)
      end

      it "gives a clear error when the access token answer lacks the secret" do
        expect_clear_error(body("oauth_token=72157-abc&user_nsid=1%40N01", type: "text/plain"), MALFORMED,
                           /no oauth_token_secret in the answer/, where: "access_token") do
          flickr.get_access_token("72157-req", "secret", "123-456-789")
        end
      end

      it "gives a clear error for a huge access token answer" do
        expect_clear_error(huge(MAX_ANSWER_BYTES + MIB, type: "text/plain"), MALFORMED,
                           /larger than 67108864 bytes/, where: "access_token") do
          flickr.get_access_token("72157-req", "secret", "123-456-789")
        end
      end

      it "gives a clear error for a connection closed mid-answer" do
        expect_clear_error(cut("oauth_token=72", promised: 100), NETWORK, /network error/, where: "request_token") do
          flickr.get_request_token
        end
      end
    end
  end
end
