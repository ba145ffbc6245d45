# frozen_string_literal: true

require "spec_helper"
require "rbconfig"
require "json"

GIB = 1024 * 1024 * 1024
CHUNK = 8 * 1024 * 1024

# The 1 GB proof: a 1 GB video goes up to the Google Photos emulator through the resumable
# protocol, its upload cut midway by the emulator's seeded fault, and is resumed from the
# server's offset, not restarted. The upload runs in a child process that does only that
# sync, so its peak memory (VmHWM) is the client's alone; the emulator (in this process)
# streams what it receives to disk. Slower than the others (seconds, not milliseconds).
RSpec.describe "a 1 GB upload to Google Photos", slow: true do
  let(:lib) { File.expand_path("../lib", __dir__) }

  # A sparse 1 GB MP4: a real `ftyp` box, then zeros the disk does not store.
  def sparse_video(path)
    File.open(path, "wb") do |f|
      f.write([24].pack("N") + "ftypisom" + [512].pack("N") + "isomiso2")
      f.truncate(GIB)
    end
  end

  # Runs Photosync.sync in a child; returns its report and its own peak resident memory.
  def child_sync(library, catalog, creds)
    code = <<~RUBY
      require "photosync"
      require "json"
      creds = Marshal.load([ARGV[2]].pack("H*"))
      dest = Photosync::GooglePhotos.new(**creds, rate_limit_wait: 0.01, backoff: 0.005, max_attempts: 8,
                                                  chunk_size: #{CHUNK})
      report = Photosync.sync(ARGV[0], to: dest, catalog: ARGV[1], concurrency: 1)
      hwm = File.read("/proc/self/status")[/^VmHWM:\\s+(\\d+) kB/, 1].to_i
      puts JSON.generate(report.to_h.merge(vm_hwm_kb: hwm))
    RUBY
    out = IO.popen([RbConfig.ruby, "-I#{lib}", "-e", code, library, catalog, Marshal.dump(creds).unpack1("H*")],
                   err: %i[child out], &:read)
    expect(Process.last_status.success?).to be(true), out
    JSON.parse(out.lines.last, symbolize_names: true)
  end

  it "goes up resumably with a cut in the middle, resumed not restarted, under 64 MB of memory" do
    library = File.join(tmpdir, "library")
    FileUtils.mkdir_p(library)
    video = File.join(library, "big.mp4")
    sparse_video(video)
    md5 = Digest::MD5.file(video).hexdigest
    Photosync::GooglePhotosEmulator.start(seed: 4, faults: %w[cut_upload], fault_rate: 0.02) do |emu|
      report = child_sync(library, File.join(tmpdir, "catalog.sqlite3"), emu.credentials)
      puts format("\n    1 GB resumable upload: %<sent>d bytes sent for %<size>d (%<extra>.1f MB again), " \
                  "resumed %<resumed>d times; child peak memory %<hwm>.1f MB",
                  sent: report[:bytes_sent], size: GIB, extra: (report[:bytes_sent] - GIB) / 1e6,
                  resumed: report[:resumed], hwm: report[:vm_hwm_kb] / 1024.0)
      expect(report[:uploaded]).to eq(1), report.inspect
      expect(emu.items.map(&:md5)).to eq([md5])
      expect(emu.call_counts["uploads"]).to be_nil # never the raw protocol
      expect(report[:resumed]).to be >= 1
      # A cut costs at most the chunk in flight; a restart would send what was received again.
      expect(report[:bytes_sent]).to be <= GIB + report[:resumed] * CHUNK
      expect(report[:vm_hwm_kb]).to be < 64 * 1024
      # The emulator streamed the gigabyte to disk: its process (this one) never held it.
      emulator_hwm = File.read("/proc/self/status")[/^VmHWM:\s+(\d+) kB/, 1].to_i
      puts format("    the emulator's process peaked at %.1f MB", emulator_hwm / 1024.0)
      expect(emulator_hwm).to be < 512 * 1024
    end
  end
end
