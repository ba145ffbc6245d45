# frozen_string_literal: true

require "spec_helper"
require "photosync/flickraw"
require "open3"
require "rbconfig"

# The FlickRaw facade: flickraw's URL helpers and base58 with flickraw's exact
# outputs (the expected URLs are those of flickraw's own test suite, test/test.rb
# test_urls, for its test photo 3839885270), its module settings, FlickRaw::Flickr's
# constructor forms and the global `flickr`.
RSpec.describe "FlickRaw (photosync/flickraw)" do
  # flickr.photos.getInfo of flickraw's test photo, in Flickr's JSON shape.
  let(:info) do
    FlickRaw::Response.from_json(<<~JSON, "flickr.photos.getInfo")
      {"photo":{"id":"3839885270","secret":"6fb8b54e06","server":"2485","farm":3,"originalsecret":"0a1b2c3d4e",
       "originalformat":"png","owner":{"nsid":"41650587@N02","username":"ruby_flickraw","realname":"Flickraw",
       "location":"","iconserver":"0","iconfarm":0,"path_alias":null},"title":{"_content":"cat"}},"stat":"ok"}
    JSON
  end

  describe "URL helpers" do
    it "gives flickraw's URLs for its test photo" do
      expect(FlickRaw.url(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06.jpg")
      expect(FlickRaw.url_m(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_m.jpg")
      expect(FlickRaw.url_s(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_s.jpg")
      expect(FlickRaw.url_t(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_t.jpg")
      expect(FlickRaw.url_b(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_b.jpg")
      expect(FlickRaw.url_z(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_z.jpg")
      expect(FlickRaw.url_q(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_q.jpg")
      expect(FlickRaw.url_n(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_n.jpg")
      expect(FlickRaw.url_c(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_c.jpg")

      expect(FlickRaw.url_profile(info)).to eq("https://www.flickr.com/people/41650587@N02/")
      expect(FlickRaw.url_photostream(info)).to eq("https://www.flickr.com/photos/41650587@N02/")
      expect(FlickRaw.url_photopage(info)).to eq("https://www.flickr.com/photos/41650587@N02/3839885270")
      expect(FlickRaw.url_photosets(info)).to eq("https://www.flickr.com/photos/41650587@N02/sets/")
      expect(FlickRaw.url_short(info)).to eq("https://flic.kr/p/6Rjq7s")
    end

    it "follows flickraw's patterns for the other sizes, the original, a set and the short image URLs" do
      expect(FlickRaw.url_h(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_h.jpg")
      expect(FlickRaw.url_k(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_6fb8b54e06_k.jpg")
      expect(FlickRaw.url_o(info)).to eq("https://farm3.staticflickr.com/2485/3839885270_0a1b2c3d4e_o.png")
      expect(FlickRaw.url_photoset(info)).to eq("https://www.flickr.com/photos/41650587@N02/sets/3839885270")
      expect(FlickRaw.url_short_m(info)).to eq("https://flic.kr/p/img/6Rjq7s_m.jpg")
      expect(FlickRaw.url_short_s(info)).to eq("https://flic.kr/p/img/6Rjq7s.jpg")
      expect(FlickRaw.url_short_t(info)).to eq("https://flic.kr/p/img/6Rjq7s_t.jpg")
      expect(FlickRaw.url_short_q(info)).to eq("https://flic.kr/p/img/6Rjq7s_q.jpg")
      expect(FlickRaw.url_short_n(info)).to eq("https://flic.kr/p/img/6Rjq7s_n.jpg")
    end

    it "uses a search result's owner NSID and its path alias" do
      photos = FlickRaw::Response.from_json(<<~JSON)
        {"photos":{"page":1,"photo":[
          {"id":"101","owner":"12345678@N00","secret":"aa","server":"7","farm":9},
          {"id":"102","owner":"12345678@N00","secret":"bb","server":"7","farm":9,"pathalias":"someone"}]},"stat":"ok"}
      JSON
      expect(FlickRaw.url_profile(photos[0])).to eq("https://www.flickr.com/people/12345678@N00/")
      expect(FlickRaw.url_photopage(photos[0])).to eq("https://www.flickr.com/photos/12345678@N00/101")
      expect(FlickRaw.url_photopage(photos[1])).to eq("https://www.flickr.com/photos/someone/102")
      expect(FlickRaw.url_q(photos[1])).to eq("https://farm9.staticflickr.com/7/102_bb_q.jpg")
    end

    it "takes any object with the fields, as flickraw" do
      photo = Struct.new(:id, :owner, :secret, :server, :farm).new("52310948170", "99@N01", "c0ffee", "65535", 66)
      expect(FlickRaw.url_b(photo)).to eq("https://farm66.staticflickr.com/65535/52310948170_c0ffee_b.jpg")
      expect(FlickRaw.url_photostream(photo)).to eq("https://www.flickr.com/photos/99@N01/")
    end

    it "raises like flickraw when a page URL lacks its owner" do
      photo = Struct.new(:id, :owner).new("1", nil)
      expect { FlickRaw.url_profile(photo) }.to raise_error(TypeError)
    end
  end

  describe ".base58" do
    it "gives Flickr's short ids" do
      expect(FlickRaw.base58("3839885270")).to eq("6Rjq7s")
      expect(FlickRaw.base58(3_839_885_270)).to eq("6Rjq7s")
      expect(FlickRaw.base58(0)).to eq("1")
      expect(FlickRaw.base58(57)).to eq("Z")
      expect(FlickRaw.base58(58)).to eq("21")
    end

    it "agrees with a plain base-58 conversion over Flickr's alphabet" do
      alphabet = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
      rng = Random.new(7)
      [1, 59, 3363, 3364, 2**31 - 1, 2**40, *Array.new(200) { rng.rand(10**12) }].each do |id|
        expect(FlickRaw.base58(id.to_s)).to eq(id.digits(58).reverse.map { |d| alphabet[d] }.join)
      end
    end
  end

  describe "module settings" do
    around do |example|
      saved = %i[api_key shared_secret secure proxy check_certificate].to_h { |k| [k, FlickRaw.public_send(k)] }
      example.run
    ensure
      saved.each { |k, v| FlickRaw.instance_variable_set(:"@#{k}", v) }
    end

    it "has flickraw's accessors, secure and certificate checks on by default" do
      FlickRaw.api_key = "key"
      FlickRaw.shared_secret = "secret"
      expect([FlickRaw.api_key, FlickRaw.shared_secret]).to eq(%w[key secret])
      expect(FlickRaw.secure).to be(true)
      expect(FlickRaw.check_certificate).to be(true)
      FlickRaw.secure = false
      expect(FlickRaw.secure).to be(false)
    end

    it "accepts proxy and check_certificate = false, keeping them, and says they change nothing" do
      expect { FlickRaw.proxy = "http://proxy:3128" }.to output(/FlickRaw.proxy is ignored/).to_stderr
      expect(FlickRaw.proxy).to eq("http://proxy:3128")
      expect { FlickRaw.check_certificate = false }.to output(/always checks certificates/).to_stderr
      expect { FlickRaw.proxy = nil }.not_to output.to_stderr
    end
  end

  describe "names" do
    it "are photosync's classes" do
      expect(FlickRaw::FailedResponse).to equal(Photosync::FailedResponse)
      expect(FlickRaw::Response).to equal(Photosync::Flickr::Response)
      expect(FlickRaw::ResponseList).to equal(Photosync::Flickr::ResponseList)
      expect(FlickRaw::Error).to equal(Photosync::Error)
      expect(FlickRaw::FlickrAppNotConfigured).to equal(Photosync::Flickr::NotConfigured)
      expect(FlickRaw::OAuthClient::FailedResponse).to equal(Photosync::FailedResponse)
      expect(FlickRaw::Request).to equal(Photosync::Flickr::Namespace)
      expect(FlickRaw::Flickr.superclass).to equal(Photosync::Flickr)
      expect(FlickRaw::PHOTO_SOURCE_URL).to eq("https://farm%s.staticflickr.com/%s/%s_%s%s.%s")
    end

    it "loads Responses that flickraw itself marshalled" do
      ours = Marshal.dump(FlickRaw::Response.build({ "id" => "1", "title" => "cat" }, "photo"))
      from_flickraw = ours.sub(":#{(27 + 5).chr}Photosync::Flickr::Response", ":#{(18 + 5).chr}FlickRaw::Response")
      expect(from_flickraw).to include("FlickRaw::Response")
      r = Marshal.load(from_flickraw)
      expect([r.class, r.id, r.title, r.flickr_type]).to eq([Photosync::Flickr::Response, "1", "cat", "photo"])
    end
  end

  describe "FlickRaw::Flickr.new and the global flickr" do
    env_names = %w[FLICKRAW_API_KEY FLICKRAW_SHARED_SECRET FLICKRAW_ACCESS_TOKEN FLICKRAW_ACCESS_SECRET
                   PHOTOSYNC_FLICKR_ENDPOINT]
    around do |example|
      saved_env = env_names.to_h { |n| [n, ENV.fetch(n, nil)] }
      saved = [FlickRaw.api_key, FlickRaw.shared_secret, (defined?($flickraw) ? $flickraw : nil)]
      env_names.each { |n| ENV.delete(n) }
      FlickRaw.api_key = FlickRaw.shared_secret = $flickraw = nil
      example.run
    ensure
      saved_env.each { |n, v| v.nil? ? ENV.delete(n) : ENV[n] = v }
      FlickRaw.api_key, FlickRaw.shared_secret, $flickraw = saved
    end

    it "takes flickraw's positional keys" do
      f = FlickRaw::Flickr.new("positional-key-0001", "positional-secret")
      expect(f).to be_a(Photosync::Flickr)
      expect(f.api_key).to eq("positional-key-0001")
    end

    it "takes keywords, then FlickRaw.api_key, then FLICKRAW_API_KEY" do
      expect(FlickRaw::Flickr.new(api_key: "kw-key", shared_secret: "s").api_key).to eq("kw-key")
      ENV["FLICKRAW_API_KEY"] = "env-key"
      ENV["FLICKRAW_SHARED_SECRET"] = "env-secret"
      ENV["FLICKRAW_ACCESS_TOKEN"] = "env-token"
      ENV["FLICKRAW_ACCESS_SECRET"] = "env-token-secret"
      expect(FlickRaw::Flickr.new.api_key).to eq("env-key")
      expect(FlickRaw::Flickr.new.access_token).to eq("env-token")
      FlickRaw.api_key = "module-key"
      FlickRaw.shared_secret = "module-secret"
      expect(FlickRaw::Flickr.new.api_key).to eq("module-key")
    end

    it "raises FlickrAppNotConfigured without a key or secret, as flickraw" do
      expect { FlickRaw::Flickr.new }.to raise_error(FlickRaw::FlickrAppNotConfigured, /No API key defined!/)
      FlickRaw.api_key = "k"
      expect { FlickRaw::Flickr.new }.to raise_error(FlickRaw::FlickrAppNotConfigured, /No shared secret defined!/)
      expect { flickr }.to raise_error(FlickRaw::FlickrAppNotConfigured)
    end

    it "makes the global flickr once, from FlickRaw's settings, without any request" do
      FlickRaw.api_key = "global-key-000001"
      FlickRaw.shared_secret = "global-secret"
      expect(flickr).to be_an_instance_of(FlickRaw::Flickr)
      expect(flickr).to equal($flickraw)
      expect(flickr).to equal(flickr)
      flickr.access_token = "a-token"
      flickr.access_secret = "a-secret"
      expect(flickr.access_token).to eq("a-token")
      expect(flickr.inspect).to start_with("#<FlickRaw::Flickr api_key=glob… ")
    end

    it "gives a flickr of its own to objects that include FlickRaw::Helper" do
      FlickRaw.api_key = "helper-key"
      FlickRaw.shared_secret = "helper-secret"
      a = Object.new.extend(FlickRaw::Helper)
      b = Object.new.extend(FlickRaw::Helper)
      expect(a.flickr).to equal(a.flickr)
      expect(a.flickr).not_to equal(b.flickr)
    end

    it "uploads with only the arguments given, as flickraw (no privacy defaults)" do
      uploads = []
      native = Class.new do
        define_singleton_method(:method_names) { [] }
        define_method(:initialize) { |*| nil }
        define_method(:upload) { |_path, params, replace| uploads << [params, replace] && "99" }
      end
      stub_const("Photosync::NativeFlickr", native)
      expect(FlickRaw::Flickr.new("k", "s").upload_photo(__FILE__, title: "t")).to eq("99")
      expect(uploads).to eq([[{ "title" => "t" }, false]])
    end
  end

  it "refuses to load over the real flickraw gem" do
    script = 'module FlickRaw; end; begin; require "photosync/flickraw"; rescue Photosync::Error => e; puts e.message; end'
    out, status = Open3.capture2e(RbConfig.ruby, "-I", File.expand_path("../lib", __dir__), "-e", script)
    expect(status).to be_success
    expect(out).to match(%r{FlickRaw is already defined.*require either "flickraw" or "photosync/flickraw"})
  end
end
