# frozen_string_literal: true

require "spec_helper"
require "net/http"
require "stringio"
require "photosync/flickr"
require "pathname"
require "pp" # rubocop:disable Lint/RedundantRequireStatement -- #pretty_inspect needs it loaded

# Flickr's answers as photosync presents them (flickraw's Response / ResponseList,
# without eval), its errors, the parameter conversion, and the Ruby side of
# Photosync::Flickr against a stand-in for the native client.
RSpec.describe Photosync::Flickr::Response do
  # flickr.photos.getInfo for flickraw's test photo, in Flickr's JSON shape.
  let(:get_info) do
    <<~JSON
      {"photo":{"id":"3839885270","secret":"6fb8b54e06","server":"2485","farm":3,"dateuploaded":"1250674574",
       "isfavorite":0,"license":"0","safety_level":"0","rotation":0,"originalsecret":"a1b2c3d4e5","originalformat":"jpg",
       "owner":{"nsid":"41650587@N02","username":"ruby_flickraw","realname":"Flickraw","location":"",
                "iconserver":"0","iconfarm":0,"path_alias":null},
       "title":{"_content":"cat"},"description":{"_content":"This is my cat"},
       "visibility":{"ispublic":1,"isfriend":0,"isfamily":0},
       "dates":{"posted":"1250674574","taken":"2009-08-19 11:36:14","takengranularity":0,"lastupdate":"1250674736"},
       "tags":{"tag":[{"id":"41630239-3839885270-1343","author":"41650587@N02","authorname":"ruby_flickraw",
                       "raw":"cat","_content":"cat","machine_tag":0},
                      {"id":"41630239-3839885270-17808","author":"41650587@N02","authorname":"ruby_flickraw",
                       "raw":"checksum:md5=5b2fa91c0e1d3f4a5b6c7d8e9f000102","_content":"checksummd55b2fa91c0e1d3f4a5b6c7d8e9f000102",
                       "machine_tag":1}]},
       "media":"photo"},"stat":"ok"}
    JSON
  end

  let(:search) do
    <<~JSON
      {"photos":{"page":1,"pages":1,"perpage":100,"total":"2","photo":[
        {"id":"101","owner":"41650587@N02","secret":"aa","server":"1","farm":1,"title":"one","ispublic":0,"isfriend":0,"isfamily":1,
         "machine_tags":"checksum:md5=00112233445566778899aabbccddeeff"},
        {"id":"102","owner":"41650587@N02","secret":"bb","server":"1","farm":1,"title":"two","ispublic":0,"isfriend":0,"isfamily":1,
         "machine_tags":""}]},"stat":"ok"}
    JSON
  end

  describe ".from_json" do
    it "unwraps a lone object into a Response typed by its key" do
      info = described_class.from_json(get_info, "flickr.photos.getInfo")
      expect(info).to be_an_instance_of(described_class)
      expect(info.flickr_type).to eq("photo")
      expect(info.id).to eq("3839885270")
      expect(info.farm).to eq(3)
      expect(info.owner.nsid).to eq("41650587@N02")
      expect(info.owner["username"]).to eq("ruby_flickraw")
      expect(info.owner.flickr_type).to eq("owner")
      expect(info.dates.taken).to eq("2009-08-19 11:36:14")
      expect(info.visibility.isfamily).to eq(0)
    end

    it "collapses objects that hold only _content to their String" do
      info = described_class.from_json(get_info)
      expect(info.title).to eq("cat")
      expect(info.description).to eq("This is my cat")
      expect(info.title).to be_an_instance_of(String)
    end

    it "keeps _content objects with other keys as Responses whose to_s is the content" do
      tags = described_class.from_json(get_info).tags
      expect(tags).to be_an_instance_of(Photosync::Flickr::ResponseList)
      expect(tags.map(&:to_s)).to eq(%w[cat checksummd55b2fa91c0e1d3f4a5b6c7d8e9f000102])
      expect(tags[1].raw).to eq("checksum:md5=5b2fa91c0e1d3f4a5b6c7d8e9f000102")
      expect(tags[1]._content).to eq("checksummd55b2fa91c0e1d3f4a5b6c7d8e9f000102")
      expect("#{tags[0]}!").to eq("cat!")
    end

    it "makes a ResponseList of a plural key holding its singular array (flickr.photos.search)" do
      photos = described_class.from_json(search, "flickr.photos.search")
      expect(photos).to be_an_instance_of(Photosync::Flickr::ResponseList)
      expect(photos.flickr_type).to eq("photos")
      expect(photos.size).to eq(2)
      expect(photos.length).to eq(2)
      expect(photos.total).to eq("2")
      expect(photos.page).to eq(1)
      expect(photos["perpage"]).to eq(100)
      expect(photos[0].id).to eq("101")
      expect(photos[-1].title).to eq("two")
      expect(photos[0..1].map(&:id)).to eq(%w[101 102])
      expect(photos.map(&:id)).to eq(%w[101 102])
      expect(photos.to_a.map(&:flickr_type)).to eq(%w[photo photo])
      expect(photos.each.to_a.size).to eq(2)
      expect(photos.first.machine_tags).to eq("checksum:md5=00112233445566778899aabbccddeeff")
      expect(photos.find { |p| p.machine_tags.empty? }.id).to eq("102")
      expect(photos.photo).to be_an(Array)
      expect(photos).not_to be_empty
    end

    it "gives a list of Strings for flickr.reflection.getMethods" do
      body = '{"methods":{"method":[{"_content":"flickr.photos.search"},{"_content":"flickr.test.login"}]},"stat":"ok"}'
      methods = described_class.from_json(body)
      expect(methods).to be_an_instance_of(Photosync::Flickr::ResponseList)
      expect(methods.to_a).to eq(%w[flickr.photos.search flickr.test.login])
    end

    it "keeps several top-level keys in one untyped Response (flickr.test.echo)" do
      echo = described_class.from_json('{"method":{"_content":"flickr.test.echo"},"foo":{"_content":"bar"},"stat":"ok"}')
      expect(echo.flickr_type).to be_nil
      expect(echo.foo).to eq("bar")
      expect(echo["method"]).to eq("flickr.test.echo")
      expect(echo.to_hash).to eq("method" => "flickr.test.echo", "foo" => "bar")
    end

    it "does not unwrap a lone key whose value is not an object" do
      r = described_class.from_json('{"photoid":"42","stat":"ok"}')
      expect(r.flickr_type).to be_nil
      expect(r.photoid).to eq("42")
    end

    it "gives an empty Response for an answer with only stat (flickr.test.null) or an empty body" do
      expect(described_class.from_json('{"stat":"ok"}').to_hash).to eq({})
      expect(described_class.from_json("").to_hash).to eq({})
    end

    it "raises FailedResponse with Flickr's code and message on stat=fail" do
      body = '{"stat":"fail","code":1,"message":"Photo \"9\" not found (invalid ID)"}'
      expect { described_class.from_json(body, "flickr.photos.getInfo") }.to raise_error(Photosync::FailedResponse) { |e|
        expect(e.code).to eq(1)
        expect(e.msg).to eq('Photo "9" not found (invalid ID)')
        expect(e.method).to eq("flickr.photos.getInfo")
        expect(e.message).to eq(%('flickr.photos.getInfo' - Photo "9" not found (invalid ID)))
      }
    end

    it "raises InvalidResponse (a Photosync::Error) on anything that is not a JSON object" do
      ["<html><body>502 Bad Gateway</body></html>", '{"photo":{"id":"1"', "[1,2]", '"ok"', "null", "nan",
       "#{'[' * 200}#{']' * 200}", "{\"a\":\"\xFF\xFE\"}".b].each do |body|
        expect { described_class.from_json(body, "flickr.test.login") }
          .to raise_error(Photosync::InvalidResponse, /flickr\.test\.login/)
      end
      expect(Photosync::InvalidResponse.ancestors).to include(Photosync::Error)
    end

    it "never raises anything but a Photosync::Error on mangled answers" do
      rng = Random.new(1)
      bodies = [get_info, search]
      600.times do |i|
        body = bodies[i % 2].b
        body = case i % 3
               when 0 then body.byteslice(0, rng.rand(body.bytesize))
               when 1 then body.dup.tap { |b| 3.times { b.setbyte(rng.rand(b.bytesize), rng.rand(256)) } }
               else body.dup.insert(rng.rand(body.bytesize), %w[{ } [ ] " : , \\ null 1e9].sample(random: rng))
               end
        begin
          r = described_class.from_json(body, "flickr.photos.search")
          r.inspect
          r.to_s
        rescue Photosync::Error
          nil
        end
      end
    end

    it "keeps values of unexpected types as they are" do
      body = '{"photos":{"photo":[1,null,"x",[2,{"_content":"y"}],{"_content":5},true]},"stat":"ok"}'
      list = described_class.from_json(body)
      expect(list.to_a).to eq([1, nil, "x", [2, "y"], 5, true])
      r = described_class.from_json('{"photos":{"photo":"not a list","total":"0"},"stat":"ok"}')
      expect(r).to be_an_instance_of(described_class)
      expect(r.photo).to eq("not a list")
    end
  end

  describe "keys that must not become methods" do
    let(:evil_key) { 'illegal; end; raise "Pwned"; def x' }
    let(:r) do
      described_class.build({ "id" => "1", "machine-tags" => "a:b=c", "12" => "twelve", "class" => "evil",
                              "send" => "s", "object_id" => "o", "inspect" => "i", "to_str" => "str",
                              "to_ary" => "ary", "to_s" => "s", "coerce" => "c", "exception" => "e", "call" => "c",
                              "each" => "e", "method" => "m", "format" => "json", "hash" => "h", evil_key => "skipped",
                              "le_gal" => "ok" }, "photo")
    end

    it "reads identifiers as methods" do
      expect(r.le_gal).to eq("ok")
      expect(r.id).to eq("1")
      expect(r.respond_to?(:le_gal)).to be(true)
      expect(r.methods).to include(:le_gal, :id)
    end

    it "leaves the object's own methods alone" do
      expect(r.class).to eq(described_class)
      expect(r.send(:id)).to eq("1")
      expect(r.object_id).to be_an(Integer)
      expect(r.inspect).to start_with('{"id"=>"1"')
      expect(r.hash).to be_an(Integer)
      expect(r.method(:inspect)).to be_a(Method)
      expect(r.to_s).to match(/\A#<Photosync::Flickr::Response/)
    end

    it "reaches every key through []" do
      expect(r["machine-tags"]).to eq("a:b=c")
      expect(r["12"]).to eq("twelve")
      expect(r["class"]).to eq("evil")
      expect(r["method"]).to eq("m")
      expect(r[:send]).to eq("s")
      expect(r[evil_key]).to eq("skipped")
    end

    it "makes no method of keys that are not identifiers or that Ruby calls implicitly" do
      [:"machine-tags", :"12", :to_str, :to_ary, :coerce, :exception, :call, :each, evil_key.to_sym].each do |name|
        expect(r.respond_to?(name)).to be(false), name.inspect
        expect { r.public_send(name) }.to raise_error(NoMethodError)
      end
      expect(r.methods).not_to include(:"machine-tags", :"12", :to_str, :illegal)
    end

    it "is not mistaken for a String, an Array, a number or an exception" do
      expect([r].flatten).to eq([r])
      expect { "a" + r }.to raise_error(TypeError) # rubocop:disable Style/StringConcatenation -- String#+ is tested
      expect { 1 + r }.to raise_error(TypeError)
      expect { raise r }.to raise_error(TypeError)
      # rubocop:disable Style/RedundantInterpolation -- interpolation is the test
      expect("#{r}").to start_with("#<Photosync::Flickr::Response")
      # rubocop:enable Style/RedundantInterpolation
    end

    it "reads private Kernel names as keys (flickr.test.echo's format)" do
      expect(r.format).to eq("json")
    end

    it "raises NoMethodError for absent keys and for arguments" do
      expect { r.title }.to raise_error(NoMethodError, /title/)
      expect { r.id(1) }.to raise_error(NoMethodError)
      expect(r.respond_to?(:title)).to be(false)
    end

    it "never evaluates a key" do
      expect(described_class.private_instance_methods(false) + described_class.instance_methods(false))
        .not_to include(:x, :illegal)
      expect(r.singleton_methods).to be_empty
    end
  end

  describe "#to_hash" do
    it "gives the keys and their built values" do
      info = described_class.from_json(get_info)
      h = info.to_hash
      expect(h["title"]).to eq("cat")
      expect(h["owner"]).to be_a(described_class)
      expect(h["tags"]).to be_a(Photosync::Flickr::ResponseList)
      expect(h.keys).to include("id", "secret", "owner")
    end
  end

  describe "Marshal" do
    it "round-trips a Response and a ResponseList, as flickraw's do" do
      info = Marshal.load(Marshal.dump(described_class.from_json(get_info)))
      expect(info).to be_an_instance_of(described_class)
      expect(info.flickr_type).to eq("photo")
      expect(info.owner.nsid).to eq("41650587@N02")
      expect(info.tags.map(&:to_s).first).to eq("cat")
      expect(info.tags).to be_an_instance_of(Photosync::Flickr::ResponseList)

      photos = Marshal.load(Marshal.dump(described_class.from_json(search)))
      expect(photos).to be_an_instance_of(Photosync::Flickr::ResponseList)
      expect(photos.size).to eq(2)
      expect(photos.total).to eq("2")
      expect(photos[1].title).to eq("two")
      expect(photos.inspect).to eq(described_class.from_json(search).inspect)
    end
  end
end

RSpec.describe Photosync::FailedResponse do
  it "takes flickraw's (msg, code, method) and reads them back" do
    e = described_class.new("Invalid auth token", 98, "flickr.test.login")
    expect(e).to be_a(Photosync::Error)
    expect(e.code).to eq(98)
    expect(e.msg).to eq("Invalid auth token")
    expect(e.method).to eq("flickr.test.login")
    expect(e.flickr_method).to eq("flickr.test.login")
    expect(e.message).to eq("'flickr.test.login' - Invalid auth token")
  end

  it "turns a numeric String code into an Integer (upload answers are XML)" do
    expect(described_class.new("Filetype was not recognised", "5", "flickr.upload").code).to eq(5)
    expect(described_class.new("odd", "x5", "m").code).to eq("x5")
  end

  it "keeps Object#method for reflection" do
    e = described_class.new("m", 1, "flickr.x")
    expect(e.method(:code).call).to eq(1)
  end

  it "survives Marshal" do
    e = Marshal.load(Marshal.dump(described_class.new("Photo not found", 1, "flickr.photos.getInfo")))
    expect([e.code, e.msg, e.method, e.message]).to eq([1, "Photo not found", "flickr.photos.getInfo",
                                                        "'flickr.photos.getInfo' - Photo not found"])
  end

  it "has NetworkError and InvalidResponse beside it" do
    expect(Photosync::NetworkError.new("connection refused")).to be_a(Photosync::Error)
    expect(Photosync::InvalidResponse.new("x")).to be_a(Photosync::Error)
  end
end

RSpec.describe Photosync::Flickr::Params do
  it "converts keys and values with to_s, as flickraw" do
    expect(described_class.stringify({ photo_id: 42, "user_id" => :me }, per_page: 500, hidden: nil, is_public: true))
      .to eq("photo_id" => "42", "user_id" => "me", "per_page" => "500", "hidden" => "", "is_public" => "true")
  end

  it "drops flickraw's :oauth option and the parameters the client sets" do
    expect(described_class.stringify({ oauth: { a: 1 }, method: "x", format: "xml", nojsoncallback: 0, api_key: "k",
                                       text: "t" })).to eq("text" => "t")
  end

  it "refuses Arrays and Hashes rather than sending their inspect form" do
    expect { described_class.stringify(tags: %w[a b]) }.to raise_error(ArgumentError, /tags/)
    expect { described_class.stringify(extras: { a: 1 }) }.to raise_error(ArgumentError, /extras/)
  end

  it "sends text as UTF-8 and refuses bytes that are not" do
    latin1 = "Hélène".encode(Encoding::ISO_8859_1)
    out = described_class.stringify(title: latin1, description: "Fran\u00e7ois".b, tags: "été")
    expect(out.values).to all(satisfy { |v| v.encoding == Encoding::UTF_8 && v.valid_encoding? })
    expect(out).to eq("title" => "Hélène", "description" => "François", "tags" => "été")
    expect { described_class.stringify(title: "\xFF\xFE".b) }.to raise_error(ArgumentError, /title.*UTF-8/)
  end

  it "accepts an object with to_hash and refuses other positional arguments" do
    r = Photosync::Flickr::Response.build({ "photo_id" => "1" }, nil)
    expect(described_class.stringify(r)).to eq("photo_id" => "1")
    expect { described_class.stringify("photo_id=1") }.to raise_error(ArgumentError)
  end
end

RSpec.describe Photosync::Flickr do
  env_names = %w[FLICKRAW_API_KEY FLICKRAW_SHARED_SECRET FLICKRAW_ACCESS_TOKEN FLICKRAW_ACCESS_SECRET
                 PHOTOSYNC_FLICKR_ENDPOINT]
  around do |example|
    saved = env_names.to_h { |n| [n, ENV.fetch(n, nil)] }
    env_names.each { |n| ENV.delete(n) }
    example.run
  ensure
    saved.each { |n, v| v.nil? ? ENV.delete(n) : ENV[n] = v }
  end

  let(:key) { "0123456789abcdef0123456789abcdef" }
  let(:secret) { "fedcba9876543210" }
  let(:token) { "72157700000000000-0123456789abcdef" }
  let(:token_secret) { "00112233aabbccdd" }

  describe "configuration" do
    it "raises a clear NotConfigured (a Photosync::Error) without an API key or shared secret" do
      expect { described_class.new }.to raise_error(Photosync::Flickr::NotConfigured, /FLICKRAW_API_KEY/)
      expect { described_class.new(api_key: key) }.to raise_error(Photosync::Flickr::NotConfigured, /FLICKRAW_SHARED_SECRET/)
      expect { described_class.new(api_key: "", shared_secret: secret) }.to raise_error(Photosync::Error)
    end

    it "takes its defaults from flickraw's environment variables and PHOTOSYNC_FLICKR_ENDPOINT" do
      ENV["FLICKRAW_API_KEY"] = key
      ENV["FLICKRAW_SHARED_SECRET"] = secret
      ENV["FLICKRAW_ACCESS_TOKEN"] = token
      ENV["FLICKRAW_ACCESS_SECRET"] = token_secret
      ENV["PHOTOSYNC_FLICKR_ENDPOINT"] = "http://127.0.0.1:4567/"
      f = described_class.new
      expect([f.api_key, f.access_token, f.access_secret, f.endpoint])
        .to eq([key, token, token_secret, "http://127.0.0.1:4567"])
      expect(described_class.new(endpoint: nil, access_token: nil).endpoint).to be_nil
    end

    it "never shows a secret in full in inspect or pp" do
      f = described_class.new(api_key: key, shared_secret: secret, access_token: token, access_secret: token_secret,
                              endpoint: "http://127.0.0.1:4567")
      [f.inspect, f.pretty_inspect, f.to_s].each do |text|
        [key, secret, token, token_secret, secret[0, 4], token_secret[0, 4]].each do |s|
          expect(text).not_to include(s)
        end
      end
      expect(f.inspect).to eq("#<Photosync::Flickr api_key=0123… shared_secret=[set] access_token=7215… " \
                               "access_secret=[set] endpoint=http://127.0.0.1:4567>")
      expect(described_class.new(api_key: "short", shared_secret: secret).inspect)
        .to include("api_key=… ", "access_token=nil access_secret=nil")
    end

    it "builds without the native client (no request is made until a call)" do
      hide_const("Photosync::NativeFlickr")
      f = described_class.new(api_key: key, shared_secret: secret)
      expect(f.respond_to?(:photos)).to be(false)
      expect { f.photos }.to raise_error(Photosync::Error, /NativeFlickr/)
      expect { f.call("flickr.test.login") }.to raise_error(Photosync::Error, /NativeFlickr/)
    end
  end

  # The real native client, against the emulator.
  describe "against the emulator" do
    around do |example|
      Photosync::Emulator.start(search_lag: 0) do |emu|
        @emu = emu
        example.run
      end
    end

    let(:emu) { @emu }
    let(:flickr) { described_class.new(**emu.credentials) }
    let(:jpeg) { File.join(FIXTURES, "jpg/Canon_40D.jpg") }

    it "builds flickraw's namespaces from the shipped method list, without a request" do
      expect(flickr.photos).to be_a(Photosync::Flickr::Namespace)
      expect(flickr.photos.inspect).to eq("#<Photosync::Flickr::Namespace flickr.photos>")
      expect(flickr.photos.upload.flickr_path).to eq("flickr.photos.upload")
      expect(flickr.respond_to?(:photosets)).to be(true)
      expect(flickr.photos.respond_to?(:search)).to be(true)
      expect(flickr.methods).to include(:photos, :test)
      expect(flickr.photos.methods).to include(:search, :getInfo, :upload)
      expect(described_class.flickr_objects).to include("photos", "test", "photosets", "reflection")
      expect(emu.call_counts.values.sum).to eq(0)
    end

    it "calls methods by name with a Hash, keywords or both" do
      id = flickr.upload_photo(jpeg, tags: "checksum:md5=00ff")
      photos = flickr.photos.search({ "user_id" => "me" }, machine_tags: "checksum:md5=00ff", per_page: 500)
      expect(photos.map(&:id)).to eq([id])
      expect(flickr.test.login.username).to eq("photosync")
      expect(flickr.call("flickr.photos.getInfo", photo_id: Integer(id)).id).to eq(id)
      flickr.test.null
      expect(emu.call_counts).to include("flickr.photos.search" => 1, "flickr.test.login" => 1,
                                         "flickr.photos.getInfo" => 1, "flickr.test.null" => 1)
    end

    it "raises NoMethodError for unknown namespaces and methods, as flickraw" do
      expect { flickr.photoz }.to raise_error(NoMethodError, /photoz/)
      expect { flickr.photos.serch }.to raise_error(NoMethodError, /serch/)
      expect { flickr.photos(1) }.to raise_error(NoMethodError)
      expect(flickr.respond_to?(:photoz)).to be(false)
    end

    it "uploads with private family-only defaults, keeping what the caller gives" do
      a = flickr.upload_photo(jpeg, title: "Hélène", tags: "a b", is_public: 1)
      b = flickr.upload_photo(Pathname(jpeg), { "description" => "d" })
      by_id = emu.photos.to_h { |p| [p.id, p] }
      expect([by_id[a].is_public, by_id[a].is_family, by_id[a].title]).to eq([true, true, "Hélène"])
      expect([by_id[b].is_public, by_id[b].is_friend, by_id[b].is_family]).to eq([false, false, true])
      expect(by_id[b].description).to eq("d")
    end

    it "uploads an IO without a path through a temporary copy" do
      bytes = File.binread(jpeg)
      flickr.upload_photo(StringIO.new(bytes), title: "t")
      expect(emu.photos.first.md5).to eq(Digest::MD5.hexdigest(bytes))
    end

    it "replaces by photo_id and insists on it" do
      id = flickr.upload_photo(jpeg)
      other = File.join(FIXTURES, "jpg/Nikon_D70.jpg")
      expect(flickr.replace_photo(other, photo_id: Integer(id))).to eq(id)
      expect(emu.photos.first.md5).to eq(Digest::MD5.file(other).hexdigest)
      expect { flickr.replace_photo(other) }.to raise_error(ArgumentError, /photo_id/)
    end

    it "runs the OAuth flow and then uses the access token" do
      fresh = described_class.new(api_key: emu.api_key, shared_secret: emu.shared_secret, endpoint: emu.endpoint)
      rt = fresh.get_request_token
      expect(rt.keys).to eq(%w[oauth_token oauth_token_secret])
      url = fresh.get_authorize_url(rt["oauth_token"], perms: "delete")
      expect(url).to end_with("perms=delete")
      verifier = Net::HTTP.get(URI(url))[/\d{3}-\d{3}-\d{3}/]
      answer = fresh.get_access_token(rt["oauth_token"], rt["oauth_token_secret"], verifier)
      expect(answer["user_nsid"]).to eq(emu.user_nsid)
      expect(fresh.access_token).to eq(answer["oauth_token"])
      expect(fresh.test.login.id).to eq(emu.user_nsid)
    end

    it "uses a token set after construction, as flickraw scripts do" do
      bare = described_class.new(api_key: emu.api_key, shared_secret: emu.shared_secret, endpoint: emu.endpoint)
      expect { bare.test.login }.to raise_error(Photosync::FailedResponse)
      bare.access_token = emu.access_token
      bare.access_secret = emu.access_secret
      expect(bare.test.login.id).to eq(emu.user_nsid)
    end

    it "refuses an access token without its secret at the first request" do
      bare = described_class.new(api_key: emu.api_key, shared_secret: emu.shared_secret, endpoint: emu.endpoint)
      bare.access_token = emu.access_token
      expect { bare.test.login }.to raise_error(Photosync::Flickr::NotConfigured, /access secret/)
    end

    it "takes more method names with build, as flickraw's Flickr.build" do
      expect { flickr.photosync.custom }.to raise_error(NoMethodError)
      described_class.build(["flickr.photosync.custom"])
      expect { flickr.photosync.custom }.to raise_error(Photosync::FailedResponse) { |e| expect(e.code).to eq(112) }
    end
  end
end
