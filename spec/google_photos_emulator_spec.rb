# frozen_string_literal: true

require "spec_helper"
require "shellwords"
require "json"
require "net/http"
require "open3"

RSpec.describe Photosync::GooglePhotosEmulator do
  let(:jpeg) { File.join(FIXTURES, "jpg/Canon_40D.jpg") }

  def post(url, body, headers = {})
    uri = URI(url)
    Net::HTTP.start(uri.host, uri.port) { |h| h.post(uri.request_uri, body, headers) }
  end

  def get(url, token)
    uri = URI(url)
    Net::HTTP.start(uri.host, uri.port) { |h| h.get(uri.request_uri, "Authorization" => "Bearer #{token}") }
  end

  def access_token(emu, refresh_token)
    res = post(emu.token_url, URI.encode_www_form(grant_type: "refresh_token", refresh_token: refresh_token,
                                                  client_id: emu.client_id, client_secret: emu.client_secret))
    expect(res.code).to eq("200"), res.body
    JSON.parse(res.body).fetch("access_token")
  end

  def upload_and_create(emu, token, path)
    up = post("#{emu.endpoint}/v1/uploads", File.binread(path),
              "Authorization" => "Bearer #{token}", "Content-Type" => "application/octet-stream",
              "X-Goog-Upload-Protocol" => "raw", "X-Goog-Upload-File-Name" => File.basename(path))
    expect(up.code).to eq("200")
    body = { newMediaItems: [{ description: "checksum:md5=x", simpleMediaItem: { uploadToken: up.body } }] }
    post("#{emu.endpoint}/v1/mediaItems:batchCreate", JSON.generate(body),
         "Authorization" => "Bearer #{token}", "Content-Type" => "application/json")
  end

  it "takes an upload through a minted refresh token and shows the item, calls and quota" do
    described_class.start(seed: 4) do |emu|
      expect(emu.client_id).to end_with(".apps.googleusercontent.com")
      expect(emu.credentials).to include(client_id: emu.client_id, endpoint: emu.endpoint)
      token = access_token(emu, emu.refresh_token)
      created = JSON.parse(upload_and_create(emu, token, jpeg).body)
      id = created.dig("newMediaItemResults", 0, "mediaItem", "id")
      item = emu.items.first
      expect(item.to_h).to include(id: id, filename: "Canon_40D.jpg", description: "checksum:md5=x",
                                   md5: Digest::MD5.file(jpeg).hexdigest, mime_type: "image/jpeg", albums: [])
      expect(emu.call_counts).to include("uploads" => 1, "mediaItems.batchCreate" => 1, "oauth.token" => 1)
      expect(emu.quota_used).to eq(2)
      emu.reset
      expect(emu.items).to be_empty
      expect(emu.quota_used).to eq(0)
    end
  end

  it "runs out of its daily quota with Google's 429 and expires access tokens when the clock moves" do
    described_class.start(daily_quota: 1) do |emu|
      token = access_token(emu, emu.refresh_token)
      expect(get("#{emu.endpoint}/v1/mediaItems", token).code).to eq("200")
      refused = get("#{emu.endpoint}/v1/mediaItems", token)
      expect(refused.code).to eq("429")
      expect(JSON.parse(refused.body).dig("error", "status")).to eq("RESOURCE_EXHAUSTED")
      emu.advance_clock(86_400)
      expect(get("#{emu.endpoint}/v1/mediaItems", token).code).to eq("401")
      expect(get("#{emu.endpoint}/v1/mediaItems", access_token(emu, emu.refresh_token)).code).to eq("200")
    end
  end

  it "refuses tokens holding only the removed scopes, and bad settings clearly" do
    described_class.start(faults: %w[http503]) do |emu|
      old = access_token(emu, emu.refresh_token(scopes: ["https://www.googleapis.com/auth/photoslibrary"]))
      expect(get("#{emu.endpoint}/v1/mediaItems", old).code).to eq("403")
      emu.fault_rate = 1
      expect(get("#{emu.endpoint}/v1/mediaItems", access_token(emu, emu.refresh_token)).code).to eq("503")
      expect { emu.fault_rate = 2 }.to raise_error(Photosync::Error, /between 0 and 1/)
      expect { emu.fault_kinds = ["gremlins"] }.to raise_error(Photosync::Error, /unknown fault "gremlins"/)
    end
    expect { described_class.start(page_repeat_rate: 3) }.to raise_error(Photosync::Error, /page repeat rate/)
  end

  it "`photosync emulator gphotos` prints its endpoint and credentials and serves until stopped" do
    exe = File.expand_path("../exe/photosync", __dir__)
    Open3.popen3(RbConfig.ruby, exe, "emulator", "gphotos", "--seed", "7") do |_in, out, _err, wait|
      values = 6.times.to_h { out.gets.to_s.chomp.split(": ", 2) }
      expect(values.keys).to eq(%w[endpoint authorize_url token_url client_id client_secret refresh_token])
      res = post(values["token_url"], URI.encode_www_form(grant_type: "refresh_token",
                                                          refresh_token: values["refresh_token"],
                                                          client_id: values["client_id"],
                                                          client_secret: values["client_secret"]))
      expect(JSON.parse(res.body)).to include("token_type" => "Bearer", "expires_in" => 3599)
      Process.kill("INT", wait.pid)
      expect(wait.value.exitstatus).to eq(0)
    end
  end

  it "`photosync emulator gphotos --env` prints the PHOTOSYNC_GPHOTOS_* exports" do
    exe = File.expand_path("../exe/photosync", __dir__)
    Open3.popen3(RbConfig.ruby, exe, "emulator", "gphotos", "--env") do |_in, out, _err, wait|
      env = 4.times.to_h { out.gets.to_s.chomp.delete_prefix("export ").split("=", 2) }
      expect(env.keys).to eq(%w[PHOTOSYNC_GPHOTOS_CLIENT_ID PHOTOSYNC_GPHOTOS_CLIENT_SECRET
                                PHOTOSYNC_GPHOTOS_REFRESH_TOKEN PHOTOSYNC_GPHOTOS_ENDPOINT])
      env.transform_values! { |v| Shellwords.split(v).first }
      # Photosync::GooglePhotos.new reads the same variables.
      gphotos = with_env(env) { Photosync::GooglePhotos.new }
      expect([gphotos.client_id, gphotos.endpoint]).to eq(env.values_at("PHOTOSYNC_GPHOTOS_CLIENT_ID",
                                                                        "PHOTOSYNC_GPHOTOS_ENDPOINT"))
      Process.kill("INT", wait.pid)
      expect(wait.value.exitstatus).to eq(0)
    end
  end

  def with_env(vars)
    saved = vars.keys.to_h { |k| [k, ENV.fetch(k, nil)] }
    vars.each { |k, v| ENV[k] = v }
    yield
  ensure
    saved.each { |k, v| ENV[k] = v }
  end
end
