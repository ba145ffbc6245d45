# frozen_string_literal: true

require "spec_helper"
require "open3"

# Long scans must stop promptly and cleanly: Ctrl-C, Thread#raise and an exception in
# the progress block all cancel the native workers, which are joined before Ruby
# goes on, so the catalog keeps every file finished and nothing half-written.
RSpec.describe "Interrupting a scan" do
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  # Sparse files: no disk used, yet hashing each takes several seconds.
  let(:big_size) { 6 * 1024**3 }

  before do
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"], library)
    %w[big1.mp4 big2.mp4].each { |n| File.open(File.join(library, n), "wb") { |f| f.truncate(big_size) } }
  end

  it "stops on SIGINT (Ctrl-C) long before the work would end, leaving the catalog usable" do
    script = <<~RUBY
      require "photosync"
      begin
        Photosync.scan(ARGV[0], catalog: ARGV[1]) { |p| $stdout.puts("progress") if p.bytes_done > 0; $stdout.flush }
        puts "finished"
      rescue Interrupt
        puts "interrupted"
      end
    RUBY
    lib = File.expand_path("../lib", __dir__)
    Open3.popen2("ruby", "-I", lib, "-e", script, library, catalog) do |_in, out, wait|
      expect(out.gets).to eq("progress\n")
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      Process.kill("INT", wait.pid)
      rest = out.read
      waited = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
      expect(rest).to end_with("interrupted\n")
      expect(rest).not_to include("finished")
      # Hashing the two sparse files takes well over 10 s on these machines.
      expect(waited).to be < 5
      expect(wait.value.exitstatus).to eq(0)
    end
    FileUtils.rm(Dir[File.join(library, "big*.mp4")])
    rescan = Photosync.scan(library, catalog: catalog)
    expect(rescan.size).to eq(2)
    expect(rescan.errors).to eq(0)
    expect(rescan.map(&:md5)).to all(match(/\A\h{32}\z/))
  end

  it "stops when another thread raises into the scanning thread" do
    started = Queue.new
    t = Thread.new do
      Photosync.scan(library, catalog: catalog) { |_| started << true }
      :finished
    rescue RuntimeError => e
      e.message
    end
    started.pop
    t.raise(RuntimeError, "stop now")
    expect(t.join(10)&.value).to eq("stop now")
  end

  it "stops and re-raises when the progress block raises" do
    calls = 0
    expect do
      Photosync.scan(library, catalog: nil) do |_|
        calls += 1
        raise ArgumentError, "from the block" if calls == 2
      end
    end.to raise_error(ArgumentError, "from the block")
  end

  it "lets other Ruby threads run while it works (the GVL is released)" do
    ticks = ticks_during { Photosync.scan(library, catalog: nil) { |p| break if p.bytes_done > 2 * 1024**3 } }
    expect(ticks).to be > 10
  end
end
