# frozen_string_literal: true

require "spec_helper"
require "open3"
require "net/http"
require "shellwords"
require "photosync/flickraw"

# The README's "Back up your own library in five minutes", run as written: its commands
# are read from README.md, not copied here, so the section cannot drift from what works.
# Only what names the reader's world is swapped for a temporary one (their home, the
# backup drive, the installed command) and Flickr is the emulator.
RSpec.describe "README: back up your own library in five minutes" do
  let(:readme) { File.read(File.expand_path("../README.md", __dir__)) }
  let(:section) { readme[/^## Back up your own library in five minutes\n.*?(?=^## )/m] }
  let(:home) { File.join(tmpdir, "home") }
  let(:backup) { File.join(tmpdir, "media", "backup") }
  let(:bin) { File.join(tmpdir, "bin") }
  let(:pictures) { File.join(home, "Pictures") }
  let(:names) { ["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg", "jpg/Pentax_K10D.jpg"] }

  # The fenced blocks of the section, in order, as lists of command lines.
  def blocks
    section.scan(/^ *```[a-z]*\n(.*?)^ *```/m).map do |(body)|
      body.lines.map { |l| l.sub(/\s+#\s.*$/, "").strip }.reject(&:empty?)
    end
  end

  # A command line of the README in the reader's terms, in this spec's world.
  def here(line)
    line.gsub("/usr/local/bin/photosync", File.join(bin, "photosync"))
        .gsub("/home/me", home).gsub("/media/backup", backup)
  end

  # The person's shell: HOME is theirs (so ~ and every default path land in it), the
  # installed `photosync` is first on PATH, and nothing else of this process leaks in.
  def shell_env(emu, extra = {})
    keep = ENV.to_h.slice("PATH", "LANG", "RUBYLIB", "BUNDLE_GEMFILE")
    clear = ENV.keys.grep(/\A(FLICKRAW_|PHOTOSYNC_|XDG_)/).to_h { |k| [k, nil] }
    clear.merge(keep).merge("HOME" => home, "PATH" => "#{bin}:#{ENV.fetch('PATH')}",
                            "PHOTOSYNC_FLICKR_ENDPOINT" => emu.endpoint).merge(extra)
  end

  def run(emu, line, extra = {})
    out, err, status = Open3.capture3(shell_env(emu, extra), "sh", "-c", here(line), chdir: home)
    expect(status.exitstatus).to eq(0), "#{line}\n#{out}#{err}"
    [out, err]
  end

  def install_command
    FileUtils.mkdir_p(bin)
    exe = File.expand_path("../exe/photosync", __dir__)
    File.write(File.join(bin, "photosync"), "#!/bin/sh\nexec #{[RbConfig.ruby, exe].shelljoin} \"$@\"\n")
    File.chmod(0o755, File.join(bin, "photosync"))
  end

  # Step 1's `photosync login`: the person opens the page, allows, and types the code.
  def login(emu, line, env)
    Open3.popen3(shell_env(emu, env), "sh", "-c", here(line), chdir: home) do |stdin, out, err, wait|
      out.gets
      code = Net::HTTP.get(URI(out.gets.strip))[/\d{3}-\d{3}-\d{3}/]
      stdin.puts(code)
      stdin.close
      expect(wait.value.exitstatus).to eq(0), err.read
      expect(out.read).to include("logged in as photosync")
    end
  end

  before do
    FileUtils.mkdir_p([home, backup])
    copy_fixtures(names, pictures)
    install_command
  end

  it "logs in, plans, syncs to Flickr and the drive, runs the cron line, verifies, and restores after a disaster" do
    login_block, sync_block, cron_block, check_block = blocks
    expect([login_block, sync_block, cron_block, check_block].map(&:size)).to eq([3, 2, 1, 3])
    # Search lags behind uploads, as on Flickr; the old script's upload is older than the lag.
    Photosync::Emulator.start(calls_per_hour: 1_000_000, search_lag: 1) do |emu|
      # A photo the old flickraw script uploaded with its checksum tag, some time ago.
      old = File.join(pictures, names.first)
      FlickRaw::Flickr.new(emu.api_key, emu.shared_secret, access_token: emu.access_token,
                                                           access_secret: emu.access_secret, endpoint: emu.endpoint)
                      .upload_photo(old, title: "old", tags: "checksum:md5=#{Digest::MD5.file(old).hexdigest}")
      sleep 1.2

      # 1. The key from the export line, then login; whoami needs no environment any more.
      exports = login_block.first.split.drop(1).to_h { |kv| kv.split("=", 2) }
      expect(exports.keys).to eq(%w[FLICKRAW_API_KEY FLICKRAW_SHARED_SECRET])
      key = { "FLICKRAW_API_KEY" => emu.api_key, "FLICKRAW_SHARED_SECRET" => emu.shared_secret }
      login(emu, login_block[1], key)
      expect(run(emu, login_block[2]).first).to include("photosync")

      # 2. The plan changes nothing; the sync uploads what the old script did not.
      plan, = run(emu, sync_block[0])
      expect(plan).to include("would upload #{names.size - 1}")
      expect(emu.photos.size).to eq(1)
      run(emu, sync_block[1])
      local = Dir[File.join(pictures, "**/*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
      expect(emu.photos.map(&:md5).sort).to eq(local)
      expect(Dir[File.join(backup, "**/*.jpg")].size).to eq(names.size)

      # 3. The cron line, without its schedule: nothing new, exit 0, a log that says so.
      cron = cron_block.first.split(" ", 6).last
      run(emu, cron)
      log = File.read(File.join(home, "photosync.log"))
      expect(log).to match(/(^|\s)0 uploaded \(/)
      expect(log).not_to match(/[1-9]\d* failed/)
      expect(emu.photos.size).to eq(names.size)

      # 4. Every check passes: three copies of each photo.
      check_block.each { |line| run(emu, line) }

      # 5. The disk with the library and its catalog dies; the drive brings both back.
      restore = section[/`(photosync restore [^`]+)`/, 1]
      FileUtils.rm_rf([pictures, File.join(home, ".local")])
      run(emu, restore)
      back = Dir[File.join(pictures, "**/*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
      expect(back).to eq(local)
      expect(Dir[File.join(pictures, "**/*.jpg")].map { |f| f.delete_prefix("#{pictures}/") }.sort)
        .to eq(names.sort)
    end
  end
end
