# frozen_string_literal: true

require "spec_helper"
require "open3"

# One writing run per catalog: a second `photosync sync` on the same catalog waits for
# the first (saying for whom), takes over from one killed with -9, or with --no-wait
# exits at once. Whatever the timing, the emulator gets every photo once.
module LockSpecHelpers
  Run = Struct.new(:pid, :out, :err, :wait)

  def exe = File.expand_path("../exe/photosync", __dir__)
  def catalog = File.join(tmpdir, "catalog.sqlite3")

  def cli_env(emu)
    emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
  end

  # Starts `photosync ARGS`; out is a thread reading stdout to its end.
  def start(env, *args)
    _in, out, err, wait = Open3.popen3(env, RbConfig.ruby, exe, *args)
    Run.new(wait.pid, Thread.new { out.read }, err, wait)
  end

  # `photosync sync` of n photos against an emulator slow enough (latency 0.3 s a call)
  # for other runs to meet it; yields once it has uploaded `after` of them.
  def with_a_sync_running(n, jobs:, after: 1)
    library = distinct_photos(n)
    Photosync::Emulator.start(latency: 0.3, calls_per_hour: 1_000_000) do |emu|
      env = cli_env(emu)
      run = start(env, "sync", library, "--catalog", catalog, "-j", jobs.to_s)
      sleep 0.05 until emu.photos.size >= after
      yield emu, env, library, run
    end
  end

  # Reads err until a line matches; returns the lines read so far.
  def read_until(err, pattern)
    lines = []
    while (line = err.gets)
      lines << line
      return lines if line.match?(pattern)
    end
    raise "no line matching #{pattern.inspect} in:\n#{lines.join}"
  end

  def expect_each_photo_once(emu, library)
    md5s = emu.photos.map(&:md5)
    expect(md5s.uniq.size).to eq(md5s.size), "uploaded twice: #{md5s.tally.select { |_, n| n > 1 }}"
    local = Dir.glob(File.join(library, "*")).map { |f| Digest::MD5.file(f).hexdigest }.uniq
    expect(md5s.sort).to eq(local.sort)
  end
end

RSpec.describe "One writing run per catalog" do
  include LockSpecHelpers

  it "two syncs started at once on one catalog upload every photo exactly once; the second names the first" do
    library = distinct_photos(12)
    Photosync::Emulator.start(latency: 0.15, calls_per_hour: 1_000_000) do |emu|
      args = ["sync", library, "--catalog", catalog, "-j", "2"]
      runs = 2.times.map { start(cli_env(emu), *args) }
      results = runs.map { |r| { pid: r.pid, err: r.err.read, out: r.out.value, status: r.wait.value.exitstatus } }
      results.each { |r| expect(r[:status]).to eq(0), r[:err] }
      expect_each_photo_once(emu, library)

      waited = results.select { |r| r[:err].include?("waiting for photosync run") }
      expect(waited.size).to eq(1), results.map { |r| r[:err] }.join("\n--\n")
      first = (results - waited).first
      expect(waited.first[:err]).to include(
        "photosync: waiting for photosync run PID #{first[:pid]} (started ",
        "`photosync #{args.join(' ')}`) to finish; --no-wait to exit instead"
      )
      expect(waited.first[:err].scan("waiting for").size).to eq(1)
      # The run that waited found everything there already.
      expect(waited.first[:out]).to include("0 to upload")
    end
  end

  it "a run waiting for one killed with -9 takes over and finishes; every photo exactly once" do
    with_a_sync_running(10, jobs: 2, after: 2) do |emu, env, library, first|
      second = start(env, "sync", library, "--catalog", catalog)
      read_until(second.err, /waiting for photosync run PID #{first.pid} /)
      Process.kill("KILL", first.pid)
      expect(first.wait.value.termsig).to eq(Signal.list["KILL"])
      first.out.value

      rest = second.err.read
      expect(second.wait.value.exitstatus).to eq(0), rest
      expect(rest).to include("photosync: took over the lock of run PID #{first.pid}, which is gone")
      expect(second.out.value).to match(/[1-9]\d* uploaded/)
      expect_each_photo_once(emu, library)
    end
  end

  it "--no-wait exits 2 at once naming the run that holds the catalog; Ruby's wait: false raises LockedError" do
    # 24 photos at 0.3 s a call keep the holder busy while eight other runs are refused,
    # each a Ruby process of its own: 12 were too few on a loaded machine.
    with_a_sync_running(24, jobs: 1) do |emu, env, library, holder|
      _o, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--catalog", catalog, "--no-wait")
      expect(status.exitstatus).to eq(2)
      expect(err.lines.size).to eq(1), err
      holder_command = "photosync sync #{library} --catalog #{catalog} -j 1"
      expect(err.sub(/\(started [\d-]+ [\d:]+, /, "(started DATE, ")).to eq(
        "photosync: photosync run PID #{holder.pid} (started DATE, `#{holder_command}`) is using the catalog #{catalog}; " \
        "not waiting for it (--no-wait)\n"
      )

      flickr = Photosync::Flickr.new(**emu.credentials)
      expect { Photosync.sync(library, to: flickr, catalog: catalog, wait: false) }
        .to raise_error(Photosync::LockedError, /photosync run PID #{holder.pid} .*is using the catalog/)
      expect { Photosync.restore(File.join(tmpdir, "back"), from: flickr, catalog: catalog, wait: false) }
        .to raise_error(Photosync::LockedError)
      expect { Photosync.adopt(flickr, catalog: catalog, wait: false) }.to raise_error(Photosync::LockedError)
      expect { Photosync::Dates.apply(library, to: flickr, catalog: catalog, wait: false) }
        .to raise_error(Photosync::LockedError)
      expect { Photosync.delete_duplicates(flickr, yes: true, catalog: catalog, wait: false) }
        .to raise_error(Photosync::LockedError)
      archive = Photosync::Archive.new(File.join(tmpdir, "archive"))
      expect { Photosync.sync(library, to: [archive, flickr], catalog: catalog, wait: false) }
        .to raise_error(Photosync::LockedError)
      Photosync::GooglePhotosEmulator.start do |gemu|
        gphotos = Photosync::GooglePhotos.new(**gemu.credentials)
        expect { Photosync.sync(library, to: gphotos, catalog: catalog, wait: false) }
          .to raise_error(Photosync::LockedError)
        expect(gemu.items).to be_empty
      end
      expect(Dir.exist?(File.join(tmpdir, "archive"))).to be(false)
      [%w[adopt flickr], ["dates", library, "--apply"], ["restore", File.join(tmpdir, "back")],
       %w[verify flickr --delete-duplicates --yes]].each do |command|
        _o, err, status = Open3.capture3(env, RbConfig.ruby, exe, *command, "--catalog", catalog, "--no-wait")
        expect([status.exitstatus, err]).to match([2, /\Aphotosync: photosync run PID #{holder.pid} .*\n\z/])
      end

      expect(holder.wait.value.exitstatus).to eq(0), holder.err.read
      holder.out.value
      expect_each_photo_once(emu, library)
      # Once the holder is gone the catalog is free again, and nothing is left to upload.
      expect(Photosync.sync(library, to: flickr, catalog: catalog, wait: false).uploaded).to eq(0)
    end
  end

  it "a scan does not wait for a run that writes, and an in-memory catalog takes no lock" do
    with_a_sync_running(8, jobs: 1) do |emu, _env, library, holder|
      expect(Photosync.scan(library, catalog: catalog).size).to eq(8)
      report = Photosync.sync(library, to: Photosync::Flickr.new(**emu.credentials), catalog: nil, wait: false,
                                       dry_run: true)
      expect(report.failed).to eq(0)
      # Both came back while the run that writes still holds the catalog.
      expect(holder.wait).to be_alive
      expect(holder.wait.value.exitstatus).to eq(0), holder.err.read
      holder.out.value
    end
  end
end
