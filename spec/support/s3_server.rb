# frozen_string_literal: true

require_relative "library_context"
require_relative "cli_context"

# A real S3 server for the specs: s3s-fs (it verifies Content-MD5 and the
# x-amz-checksum-* headers as AWS does), installed under vendor/ by bin/setup, started on
# a random port over a temporary folder with one bucket, stopped by #stop.
class S3Server
  BINARY = ENV.fetch("PHOTOSYNC_S3_SERVER", File.expand_path("../../vendor/s3s-fs/bin/s3s-fs", __dir__))
  KEY_ID = "photosync-spec"
  SECRET = "photosync-spec-secret"
  BUCKET = "photos"

  attr_reader :endpoint, :root

  def self.start(root)
    server = new(root)
    yield server
  ensure
    server&.stop
  end

  def initialize(root)
    raise "#{BINARY} is missing: run bin/setup" unless File.executable?(BINARY)

    @root = root
    FileUtils.mkdir_p(File.join(root, BUCKET))
    reader, writer = IO.pipe
    @pid = Process.spawn({ "RUST_LOG" => "s3s_fs=info", "NO_COLOR" => "1" }, BINARY, "--host", "127.0.0.1",
                         "--port", "0", "--access-key", KEY_ID, "--secret-key", SECRET, root,
                         out: writer, err: File::NULL)
    writer.close
    @endpoint = reader.each_line.lazy.filter_map { |l| l[%r{server is running at (http://\S+)}, 1] }.first
    raise "the S3 server did not say its address" unless @endpoint

    # Keep reading what it says, so that it never blocks on a full pipe.
    @drain = Thread.new { reader.each_line { nil } }
  end

  # The settings every S3 client reads, for a CLI run.
  def env
    { "AWS_ACCESS_KEY_ID" => KEY_ID, "AWS_SECRET_ACCESS_KEY" => SECRET, "AWS_ENDPOINT_URL" => endpoint,
      "AWS_REGION" => "us-east-1" }
  end

  def destination(prefix, **opts)
    Photosync::S3.new(url: "s3://#{BUCKET}/#{prefix}", endpoint: endpoint, access_key_id: KEY_ID,
                      secret_access_key: SECRET, **opts)
  end

  # The file that holds the object at key (bucket-relative).
  def object_file(key)
    File.join(root, BUCKET, key)
  end

  def stop
    Process.kill("KILL", @pid)
    Process.wait(@pid)
    @drain&.join(1)
  rescue Errno::ESRCH, Errno::ECHILD
    nil
  end
end

# A server per example (`server`), over the example's temporary folder, with a library
# and a catalog there, and `run_cli` with the server's settings.
RSpec.shared_context "an S3 server" do
  include_context "a library in the temporary folder"
  include_context "the CLI"
  let(:server) { @server }
  let(:cli_env) { server.env }

  around do |example|
    S3Server.start(File.join(tmpdir, "s3")) do |server|
      @server = server
      example.run
    end
  end
end
