# frozen_string_literal: true

require "spec_helper"
require "open3"
require "net/http"
require "yaml"

RSpec.describe "the photosync command with Google Photos" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:config_home) { File.join(tmpdir, "config") }

  it "`login gphotos` stores a refresh token (0600, never printed) beside Flickr's; `sync --to gphotos` uses it" do
    Photosync::GooglePhotosEmulator.start do |emu|
      env = { "XDG_CONFIG_HOME" => config_home, "PHOTOSYNC_GPHOTOS_CLIENT_ID" => emu.client_id,
              "PHOTOSYNC_GPHOTOS_CLIENT_SECRET" => emu.client_secret }
      path = File.join(config_home, "photosync/credentials.yml")
      FileUtils.mkdir_p(File.dirname(path))
      File.write(path, YAML.dump("flickr" => { "api_key" => "kept" }))
      output = nil
      Open3.popen3(env, RbConfig.ruby, exe, "login", "gphotos", "--endpoint", emu.endpoint,
                   "--no-browser") do |_in, out, err, wait|
        out.gets
        url = out.gets.strip
        # The user's browser: consent approves at once and comes back to the loopback listener.
        back = Net::HTTP.get_response(URI(url))["location"]
        Net::HTTP.get_response(URI(back))
        output = out.read
        expect(wait.value.exitstatus).to eq(0), err.read
      end
      stored = YAML.safe_load(File.read(path))
      expect(File.stat(path).mode & 0o777).to eq(0o600)
      expect(stored["flickr"]).to eq("api_key" => "kept")
      token = stored.dig("gphotos", "refresh_token")
      expect(token).to match(/\A\S+\z/)
      expect(output).to include("refresh token stored")
      expect(output).not_to include(token)

      library = File.join(tmpdir, "library")
      copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"], library)
      out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--to", "gphotos",
                                        "--catalog", File.join(tmpdir, "c.sqlite3"))
      expect(status.exitstatus).to eq(0), err
      expect(out).to match(/2 uploaded .*\(1 batchCreate\)/)
      expect(emu.items.size).to eq(2)

      out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "verify", "gphotos", library,
                                        "--catalog", File.join(tmpdir, "fresh.sqlite3"))
      expect(status.exitstatus).to eq(0), err
      expect(out).to include("2 items in Google Photos", "2 records rebuilt", "0 local photos missing")
    end
  end

  it "`sync --to gphotos` without a login says to log in" do
    out, err, status = Open3.capture3({ "XDG_CONFIG_HOME" => config_home }, RbConfig.ruby, exe, "sync", tmpdir,
                                      "--to", "gphotos")
    expect(status.exitstatus).to eq(1), out
    expect(err).to include("run `photosync login gphotos`")
  end
end
