# frozen_string_literal: true

require "spec_helper"
require "open3"

# Ctrl-C during a sync: no new upload starts, finished ones are recorded, the process
# exits cleanly; the next run uploads the rest and nothing twice.
module SyncInterruptHelpers
  def exe = File.expand_path("../exe/photosync", __dir__)
  def catalog = File.join(tmpdir, "catalog.sqlite3")
end

RSpec.describe "Interrupting a sync" do
  include SyncInterruptHelpers

  it "stops on SIGINT, and the next run finishes with every photo exactly once" do
    library = distinct_photos(30)

    Photosync::Emulator.start(latency: 0.2, calls_per_hour: 1_000_000) do |emu|
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      Open3.popen3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog, "-j", "2") do |_in, out, err, wait|
        sleep 0.1 until emu.photos.size >= 3
        Process.kill("INT", wait.pid)
        expect(wait.value.exitstatus).to eq(130)
        expect(err.read).to include("interrupted; finished work is recorded")
        out.read
      end
      stopped_at = emu.photos.size
      expect(stopped_at).to be < 30

      _out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog)
      expect(status.exitstatus).to eq(0), err
      md5s = emu.photos.map(&:md5)
      expect(md5s.size).to eq(30)
      expect(md5s.uniq.size).to eq(30)
    end
  end
end

RSpec.describe "Interrupting a sync twice" do
  include SyncInterruptHelpers

  it "aborts the uploads in flight on a second SIGINT; the next run still puts each photo up exactly once" do
    library = distinct_photos(8)

    # Each request takes 3 s: the first Ctrl-C waits for the uploads in flight, the second cuts them.
    Photosync::Emulator.start(latency: 3, calls_per_hour: 1_000_000) do |emu|
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      Open3.popen3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog, "-j", "2") do |_in, out, err, wait|
        sleep 0.1 until emu.call_counts.fetch("upload", 0) >= 1
        started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
        Process.kill("INT", wait.pid)
        sleep 0.3
        Process.kill("INT", wait.pid)
        expect(wait.value.exitstatus).to eq(130)
        # Cut, not waited for: well under the 3 s an upload in flight would still take.
        expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 2.5
        err.read
        out.read
      end
      emu.latency = 0
      _out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog)
      expect(status.exitstatus).to eq(0), err
      md5s = emu.photos.map(&:md5)
      expect(md5s.size).to eq(8)
      expect(md5s.uniq.size).to eq(8)
    end
  end
end

RSpec.describe "Two Ctrl-Cs at once" do
  include SyncInterruptHelpers

  # `timeout -s INT` signals the command and its whole process group, and a person may press
  # Ctrl-C twice: the second signal can land after the run stopped, while Ruby exits.
  it "end with exit 130 and one line on stderr, never a backtrace" do
    library = distinct_photos(12)
    Photosync::Emulator.start(latency: 0.2, calls_per_hour: 1_000_000) do |emu|
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      4.times do |round|
        Open3.popen3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog, "-j", "2") do |_in, out, err, wait|
          sleep 0.05 until emu.call_counts.fetch("upload", 0) > round * 2
          2.times { Process.kill("INT", wait.pid) }
          status = wait.value
          text = err.read
          out.read
          expect(status.exitstatus).to eq(130), text
          expect(text).not_to match(/SystemExit|Interrupt \(|\.rb:\d+|^\s+from /), text
        end
      end
    end
  end
end
