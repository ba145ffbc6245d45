# frozen_string_literal: true

require "spec_helper"
require "json"
require "net/http"
require "open3"

# A real Flickr client that no one here wrote, Debian's python3-flickrapi, works
# against the emulator: the whole OAuth 1.0a flow (request token out of band, the
# authorize page opened from Ruby and its nnn-nnn-nnn verifier read off it, access
# token), signed REST calls in JSON and XML, and a multipart upload whose tags carry
# the `checksum:md5=` machine tag. Ruby then checks what the emulator stored (the bytes'
# MD5, the tags) and finds the photo by its machine tag through Photosync::Flickr.
module FlickrapiDriver
  PYTHON = "/usr/bin/python3" # Debian's, where python3-flickrapi is installed
  SCRIPT = File.expand_path("support/flickrapi_driver.py", __dir__)
  STEP_TIMEOUT = 30 # seconds for any one step of the driver
end

RSpec.describe "python3-flickrapi against the emulator" do
  def self.flickrapi_missing
    return "#{FlickrapiDriver::PYTHON} is missing" unless File.executable?(FlickrapiDriver::PYTHON)

    _out, _err, status = Open3.capture3(FlickrapiDriver::PYTHON, "-c", "import flickrapi, requests")
    status.success? ? nil : "Debian's python3-flickrapi is not installed (apt-get install python3-flickrapi)"
  end

  # Reads the driver's next JSON line, or fails with what it printed on stderr.
  def next_step(out, err_lines, wait_thr)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + FlickrapiDriver::STEP_TIMEOUT
    loop do
      left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
      raise "flickrapi driver: no answer in #{FlickrapiDriver::STEP_TIMEOUT}s; stderr:\n#{err_lines.join}" if left <= 0
      next unless out.wait_readable(left)

      line = out.gets
      raise "flickrapi driver ended (#{wait_thr.value}) without finishing; stderr:\n#{err_lines.join}" if line.nil?

      step = JSON.parse(line)
      raise "flickrapi driver failed: #{step['error']}\nstderr:\n#{err_lines.join}" if step["step"] == "error"

      return step
    end
  end

  it "does the OAuth flow, signed REST calls and an upload with the md5 machine tag" do
    missing = self.class.flickrapi_missing
    skip missing if missing

    photo = File.join(tmpdir, "Über den Wolken.jpg")
    FileUtils.cp(File.join(FIXTURES, FIXTURE_IMAGES.find { |f| f.match?(/\.jpe?g\z/i) }), photo)
    md5 = Digest::MD5.file(photo).hexdigest

    Photosync::Emulator.start(seed: 7, search_lag: 0) do |emu|
      steps = {}
      command = [FlickrapiDriver::PYTHON, FlickrapiDriver::SCRIPT, emu.endpoint, emu.api_key, emu.shared_secret, photo, md5]
      Open3.popen3(*command) do |stdin, out, err, wait_thr|
        err_lines = []
        err_reader = Thread.new { err.each_line { |l| err_lines << l } }

        # 1. OAuth: the driver got a request token (oob) and asks us to approve it.
        authorize = next_step(out, err_lines, wait_thr)
        expect(authorize["step"]).to eq("authorize")
        url = URI(authorize["url"])
        expect(url.to_s).to start_with("#{emu.endpoint}/services/oauth/authorize?")
        expect(URI.decode_www_form(url.query).to_h).to include("perms" => "write", "oauth_token" => a_string_matching(/\S/))

        page = Net::HTTP.get_response(url)
        expect(page.code).to eq("200")
        verifier = page.body[/\b\d{3}-\d{3}-\d{3}\b/]
        expect(verifier).not_to be_nil, "no nnn-nnn-nnn verifier on the authorize page:\n#{page.body}"
        stdin.puts(verifier)
        stdin.flush

        loop do
          step = next_step(out, err_lines, wait_thr)
          break if step["step"] == "done"

          steps[step["step"]] = step
        end
        stdin.close
        expect(wait_thr.value).to be_success, "driver exit: #{wait_thr.value}\n#{err_lines.join}"
        err_reader.join
      end

      # 2. The access token belongs to the emulator's user, with the asked level.
      expect(steps["access"]).to include("verifier" => verifier_like, "user_nsid" => emu.user_nsid,
                                         "access_level" => "write")
      # 3. Signed REST calls: JSON (test.login) and XML (test.echo, non-ASCII argument).
      expect(steps["login"]).to include("stat" => "ok", "user_id" => emu.user_nsid)
      expect(steps["echo"]).to eq("step" => "echo", "stat" => "ok", "greeting" => "grüezi")
      # 4. The upload answered a photo id, which flickrapi's own search finds by md5.
      photo_id = steps["upload"]["photo_id"]
      expect(steps["upload"]["stat"]).to eq("ok")
      expect(photo_id).to match(/\A\d+\z/)
      expect(steps["search"]["ids"]).to eq([photo_id])
      expect(steps["search"]["machine_tags"].first).to include("checksum:md5=#{md5}")
      # 5. A wrong signature is refused with Flickr's code 96 (invalid signature).
      expect(steps["bad_signature"]["code"]).to eq(96), steps["bad_signature"].inspect

      # What the emulator holds: the bytes python sent, with the tags as Flickr keeps them.
      stored = emu.photos.find { |p| p.id == photo_id }
      expect(stored).not_to be_nil, "emulator has no photo #{photo_id}: #{emu.photos.map(&:id)}"
      expect(stored.md5).to eq(md5)
      expect(stored.original_size).to eq(File.size(photo))
      expect(stored.title).to eq("Über den Wolken")
      expect(stored.machine_tags).to include("checksum:md5=#{md5}")
      # Plain tags in Flickr's normalised form: quoted words joined, machine tag flattened.
      expect(stored.tags).to contain_exactly("checksummd5#{md5}", "twowords", "vacation")
      expect([stored.is_public, stored.is_friend, stored.is_family]).to eq([false, false, true])

      counts = emu.call_counts
      expect(counts).to include("flickr.test.login" => 2, "flickr.test.echo" => 1, "upload" => 1)

      # And photosync's own client finds it by the machine tag, as the old script did.
      flickr = Photosync::Flickr.new(**emu.credentials)
      found = flickr.photos.search(user_id: "me", machine_tags: "checksum:md5=#{md5}", extras: "machine_tags")
      expect(found.map(&:id)).to eq([photo_id])
      expect(found.first.machine_tags).to include("checksum:md5=#{md5}")
      info = flickr.photos.getInfo(photo_id: photo_id)
      expect(info.title).to eq("Über den Wolken")
      expect(info.tags.tag.map(&:raw)).to include("checksum:md5=#{md5}")
    end
  end

  def verifier_like
    a_string_matching(/\A\d{3}-\d{3}-\d{3}\z/)
  end
end
