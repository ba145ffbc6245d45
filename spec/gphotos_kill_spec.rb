# frozen_string_literal: true

require "spec_helper"
require "rbconfig"

# Runs of Photosync.sync to Google Photos killed with SIGKILL at random moments (mid-upload,
# between uploads and their batchCreate, mid-batchCreate, mid-catalog write) while hours or days
# pass between them, then a clean run: every photo exactly once, and no upload token older than a
# day given to batchCreate.
RSpec.describe "Google Photos sync killed with SIGKILL" do
  let(:canon) { File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) }
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:lib) { File.expand_path("../lib", __dir__) }

  def child_sync(creds)
    code = <<~RUBY
      require "photosync"
      creds = Marshal.load([ARGV[2]].pack("H*"))
      Photosync.sync(ARGV[0], to: Photosync::GooglePhotos.new(**creds, rate_limit_wait: 0.01, backoff: 0.005),
                              catalog: ARGV[1], concurrency: 4)
    RUBY
    Process.spawn(RbConfig.ruby, "-I#{lib}", "-e", code, library, catalog, Marshal.dump(creds).unpack1("H*"),
                  out: File::NULL, err: File::NULL)
  end

  it "20 runs killed at random while the days pass, then a clean run: exactly once, no token older than a day used" do
    FileUtils.mkdir_p(library)
    150.times { |i| File.binwrite(File.join(library, format("k%03d.jpg", i)), canon + "kill #{i}") }
    md5s = Dir[File.join(library, "*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
    # A published project (testing: false): its login outlives the three weeks that pass here.
    Photosync::GooglePhotosEmulator.start(latency: 0.02, seed: 5, testing: false) do |emu|
      creds = emu.credentials
      rng = Random.new(9)
      20.times do |_run|
        pid = child_sync(creds)
        sleep(rng.rand(0.3..1.2))
        Process.kill(:KILL, pid)
        Process.wait(pid)
        # Hours pass after every run, so the journal holds tokens of every age: reusing one past
        # its day shows in the emulator's record (a client reusing tokens up to 200 h old fails
        # the last expectations).
        emu.advance_clock(rng.rand(1..26) * 3600)
      end
      expect(emu.items.map(&:md5).tally.values.uniq - [1]).to be_empty
      before = emu.items.size
      expect(emu.call_counts["mediaItems.batchCreate"]).to be > 0 # the killed runs got that far
      # Tokens left behind are now too old to reuse: the listing settles the ones that went out.
      emu.advance_clock(25 * 3600)
      clean = Photosync.sync(library, to: Photosync::GooglePhotos.new(**creds), catalog: catalog)
      expect(clean.failed).to eq(0), clean.errors.inspect
      expect(clean.reused_tokens).to eq(0)
      expect(emu.items.map(&:md5).sort).to eq(md5s)
      expect(clean.uploaded).to eq(150 - before)
      used = emu.upload_tokens_used
      expect(used[:oldest]).to be_between(0, 86_399)
      expect(used[:expired]).to eq(0)
    end
  end

  # The proof of issue 13: days pass between kills, and batchCreate answers are lost after the work
  # was done, so the tokens sent again are used ones and Google fails those whole calls.
  it "12 runs killed at random, two days between most, used tokens failing whole calls, then a clean run: exactly once" do
    FileUtils.mkdir_p(library)
    400.times { |i| File.binwrite(File.join(library, format("d%03d.jpg", i)), canon + "proof #{i}") }
    md5s = Dir[File.join(library, "*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
    # bad_token: :whole_call is the default; a published project (testing: false), as its login
    # outlives the weeks that pass here.
    Photosync::GooglePhotosEmulator.start(latency: 0.04, seed: 13, testing: false, faults: %w[drop_after_work],
                                          fault_rate: 0.4) do |emu|
      creds = emu.credentials
      rng = Random.new(13)
      12.times do |run|
        created = emu.call_counts["mediaItems.batchCreate"].to_i
        pid = child_sync(creds)
        sleep(rng.rand(0.5..4.0))
        # A run killed before its first batchCreate leaves no used token to send again: on a busy
        # machine the random moment may come that early, so wait (20 s at most) for one.
        deadline = Time.now + 20
        sleep(0.05) while emu.call_counts["mediaItems.batchCreate"].to_i == created && Time.now < deadline
        Process.kill(:KILL, pid)
        Process.wait(pid)
        # Two days pass after most runs (every token left is past its day); after every third, a
        # few hours only, so the next run reuses the tokens the killed one left, used ones too.
        emu.advance_clock(run % 3 == 2 ? rng.rand(1..6) * 3600 : 2 * 86_400)
      end
      expect(emu.items.map(&:md5).tally.values.uniq - [1]).to be_empty
      expect(emu.call_counts["mediaItems.batchCreate:bad_token"].to_i).to be > 0, emu.call_counts.inspect
      puts "    killed runs: #{emu.call_counts.inspect}"
      emu.fault_rate = 0.0
      emu.advance_clock(2 * 86_400)
      clean = Photosync.sync(library, to: Photosync::GooglePhotos.new(**creds), catalog: catalog)
      expect(clean.failed).to eq(0), clean.errors.inspect
      expect(emu.items.map(&:md5).sort).to eq(md5s)
      expect(emu.upload_tokens_used[:expired]).to eq(0)
      again = Photosync.sync(library, to: Photosync::GooglePhotos.new(**creds), catalog: catalog)
      expect([again.uploaded, again.api_calls]).to eq([0, 0])
    end
  end
end
