# frozen_string_literal: true

require "spec_helper"
require "open3"
require "net/http"
require "yaml"
require "shellwords"

RSpec.describe "the photosync command with Flickr" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:config_home) { File.join(tmpdir, "config") }

  it "`emulator` prints its endpoint and credentials, serves until stopped" do
    Open3.popen3(RbConfig.ruby, exe, "emulator", "--seed", "7") do |_in, out, _err, wait|
      lines = 5.times.map { out.gets.to_s.chomp }
      values = lines.to_h { |l| l.split(": ", 2) }
      expect(values.keys).to eq(%w[endpoint api_key shared_secret access_token access_secret])
      flickr = Photosync::Flickr.new(**values.transform_keys(&:to_sym))
      expect(flickr.test.login.username).to eq("photosync")
      Process.kill("INT", wait.pid)
      expect(wait.value.exitstatus).to eq(0)
    end
  end

  it "`emulator --env` prints export lines that a shell sources to point every command at it" do
    Open3.popen3(RbConfig.ruby, exe, "emulator", "--env", "--seed", "7") do |_in, out, _err, wait|
      lines = 5.times.map { out.gets.to_s.chomp }
      expect(lines).to all(match(/\Aexport [A-Z_]+=\S+\z/))
      File.write(File.join(tmpdir, "emu.env"), lines.join("\n"))
      script = ". ./emu.env && #{Shellwords.join([RbConfig.ruby, exe, 'whoami'])}"
      whoami, status = Open3.capture2e({ "XDG_CONFIG_HOME" => config_home }, "sh", "-c", script, chdir: tmpdir)
      expect(status.exitstatus).to eq(0), whoami
      expect(whoami).to include("photosync")
      Process.kill("INT", wait.pid)
      expect(wait.value.exitstatus).to eq(0)
    end
  end

  it "`login` runs the OAuth flow on a terminal and stores the tokens with mode 0600; `whoami` uses them" do
    Photosync::Emulator.start do |emu|
      env = { "XDG_CONFIG_HOME" => config_home, "FLICKRAW_API_KEY" => emu.api_key,
              "FLICKRAW_SHARED_SECRET" => emu.shared_secret, "PHOTOSYNC_FLICKR_ENDPOINT" => emu.endpoint }
      Open3.popen3(env, RbConfig.ruby, exe, "login") do |stdin, out, err, wait|
        out.gets
        url = out.gets.strip
        # The user opens the page; the emulator approves at once and shows the code.
        code = Net::HTTP.get(URI(url))[/\d{3}-\d{3}-\d{3}/]
        stdin.puts(code)
        stdin.close
        rest = out.read
        expect(wait.value.exitstatus).to eq(0), err.read
        expect(rest).to match(/logged in as photosync/)
      end
      path = File.join(config_home, "photosync/credentials.yml")
      expect(File.stat(path).mode & 0o777).to eq(0o600)
      stored = YAML.safe_load(File.read(path))["flickr"]
      expect(stored["access_token"]).to match(/\A\S+\z/)

      whoami_env = env.merge("FLICKRAW_API_KEY" => nil, "FLICKRAW_SHARED_SECRET" => nil)
      # whoami reads the stored file; the key comes back from it too.
      File.write(path, YAML.dump("flickr" => stored.merge("api_key" => emu.api_key,
                                                          "shared_secret" => emu.shared_secret)))
      out, err, status = Open3.capture3(whoami_env, RbConfig.ruby, exe, "whoami")
      expect(status.exitstatus).to eq(0), err
      expect(out).to start_with("photosync (#{emu.user_nsid})")
      expect(out).not_to include(stored["access_token"])
    end
  end

  it "a rejected credential is one clear line, not a backtrace" do
    Photosync::Emulator.start do |emu|
      env = { "XDG_CONFIG_HOME" => config_home, "FLICKRAW_API_KEY" => emu.api_key,
              "FLICKRAW_SHARED_SECRET" => "wrong", "FLICKRAW_ACCESS_TOKEN" => emu.access_token,
              "FLICKRAW_ACCESS_SECRET" => emu.access_secret, "PHOTOSYNC_FLICKR_ENDPOINT" => emu.endpoint }
      _out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "whoami")
      expect(status.exitstatus).to eq(1)
      expect(err.lines.size).to eq(1)
      expect(err).to match(/\Aphotosync: Flickr refused flickr.test.login: error 96, Invalid signature; check FLICKRAW_/)
    end
  end
end
