# frozen_string_literal: true

require "tmpdir"
require_relative "error"
require_relative "flickr/failed_response"
require_relative "flickr/response"
require_relative "flickr/response_list"
require_relative "flickr/params"
require_relative "flickr/method_tree"
require_relative "flickr/namespace"

module Photosync
  # A Flickr client with flickraw's API, backed by the native client (Rust):
  #
  #   flickr = Photosync::Flickr.new(api_key:, shared_secret:, access_token:, access_secret:)
  #   flickr.photos.search(user_id: "me", machine_tags: "checksum:md5=...")   # any Flickr method
  #   flickr.call("flickr.photos.getInfo", photo_id: id)
  #   flickr.upload_photo(path, title: "x", tags: "a b")                       # => photo id
  #
  # Credentials default to flickraw's environment variables (FLICKRAW_API_KEY,
  # FLICKRAW_SHARED_SECRET, FLICKRAW_ACCESS_TOKEN, FLICKRAW_ACCESS_SECRET);
  # PHOTOSYNC_FLICKR_ENDPOINT ("http://127.0.0.1:PORT") sends every request (REST,
  # upload, OAuth) to another host such as the emulator. The namespaces come from the
  # method list shipped with the gem: nothing is fetched at construction, and the
  # native client is made on the first request.
  class Flickr
    # The client lacks its API key or shared secret.
    class NotConfigured < Error; end

    # What upload_photo sends unless told otherwise: private, seen by family only, so
    # a backup never becomes public by accident (Flickr's default is the account's).
    UPLOAD_DEFAULTS = { "is_public" => "0", "is_friend" => "0", "is_family" => "1" }.freeze
    DEFAULT_PERMS = "write"

    attr_reader :api_key, :access_token, :access_secret, :endpoint

    # The class of the native client: Photosync::NativeFlickr, from the extension.
    def self.native_class
      return Photosync::NativeFlickr if Photosync.const_defined?(:NativeFlickr, false)

      raise Error, "this build of photosync has no native Flickr client (Photosync::NativeFlickr is missing); " \
                   "rebuild the extension with `rake compile`"
    end

    # flickraw's Flickr.build: adds method names to the namespaces (the shipped list
    # already has all of Flickr's).
    def self.build(names)
      MethodTree.add(names)
    end

    # Names of the top-level namespaces ("photos", "people", ...), as in flickraw.
    def self.flickr_objects
      MethodTree.for(native_class).root.children.keys
    end

    # Methods directly under "flickr." (none in Flickr's API), as in flickraw.
    def self.flickr_methods
      MethodTree.for(native_class).root.method_names.keys
    end

    def initialize(api_key: ENV["FLICKRAW_API_KEY"], shared_secret: ENV["FLICKRAW_SHARED_SECRET"],
                   access_token: ENV["FLICKRAW_ACCESS_TOKEN"], access_secret: ENV["FLICKRAW_ACCESS_SECRET"],
                   endpoint: ENV["PHOTOSYNC_FLICKR_ENDPOINT"])
      @api_key = presence(api_key)
      @shared_secret = presence(shared_secret)
      raise NotConfigured, "no Flickr API key: pass api_key: or set FLICKRAW_API_KEY" unless @api_key
      unless @shared_secret
        raise NotConfigured, "no Flickr shared secret: pass shared_secret: or set FLICKRAW_SHARED_SECRET"
      end

      @access_token = presence(access_token)
      @access_secret = presence(access_secret)
      @endpoint = presence(endpoint)&.sub(%r{/+\z}, "")
      @lock = Mutex.new
      @native = nil
    end

    # Setting a token (as flickraw scripts do after construction) takes effect on the
    # next request.
    def access_token=(token)
      @lock.synchronize do
        @access_token = presence(token)
        @native = nil
      end
    end

    def access_secret=(secret)
      @lock.synchronize do
        @access_secret = presence(secret)
        @native = nil
      end
    end

    # Calls a Flickr method by name; args as a Hash and/or keyword arguments. Returns
    # a Response, a ResponseList or a String, as flickraw; raises
    # Photosync::FailedResponse when Flickr answers stat=fail and
    # Photosync::NetworkError when no answer came.
    def call(method_name, args = {}, **kwargs, &_block)
      name = method_name.to_s
      Response.from_json(native.call(name, Params.stringify(args, kwargs)), name)
    end

    # Uploads a photo or video (a path, a Pathname or an IO) with Flickr's upload
    # arguments (title, description, tags, is_public, is_friend, is_family, hidden,
    # safety_level, content_type, async) as a Hash and/or keywords; the privacy
    # arguments default to UPLOAD_DEFAULTS. Returns the photo id String (with
    # async: 1, the ticket id to check with flickr.photos.upload.checkTickets).
    def upload_photo(file, args = {}, **kwargs)
      params = upload_defaults.merge(Params.stringify(args, kwargs))
      params.delete("photo")
      with_local_path(file) { |path| native.upload(path, params, false) }
    end

    # Replaces the file of the photo photo_id (Flickr's replace API; async: 1
    # allowed). Returns the photo id String.
    def replace_photo(file, args = {}, **kwargs)
      params = Params.stringify(args, kwargs)
      params.delete("photo")
      raise ArgumentError, "replace_photo needs photo_id:" if params.fetch("photo_id", "").empty?

      with_local_path(file) { |path| native.upload(path, params, true) }
    end

    # Starts the OAuth flow: {"oauth_token" => ..., "oauth_token_secret" => ...}.
    # oauth_callback: a URL Flickr sends the user back to, or "oob" (the default) for a
    # verifier shown on Flickr's page.
    def get_request_token(args = {}, **kwargs)
      opts = Params.stringify(args, kwargs)
      token, secret = native.request_token(opts.fetch("oauth_callback", "oob"))
      { "oauth_token" => token, "oauth_token_secret" => secret }
    end

    # The page where the user grants access (perms: "read", "write" or "delete").
    def get_authorize_url(token, args = {}, **kwargs)
      opts = Params.stringify(args, kwargs)
      native.authorize_url(token.to_s, opts.fetch("perms", DEFAULT_PERMS))
    end

    # Trades the authorized request token and its verifier for an access token, which
    # this client uses from now on. Returns Flickr's answer: oauth_token,
    # oauth_token_secret, user_nsid, username, fullname.
    def get_access_token(token, secret, verifier)
      client = native
      answer = client.access_token(token.to_s, secret.to_s, verifier.to_s)
      @lock.synchronize do
        @access_token = answer["oauth_token"]
        @access_secret = answer["oauth_token_secret"]
        @native ||= client
      end
      answer
    end

    # The native client (Photosync::NativeFlickr) for these credentials, made on first
    # use. For photosync's own code (sync destinations); scripts use the methods above.
    def native
      @lock.synchronize do
        @native ||= begin
          if @access_token.nil? != @access_secret.nil?
            raise NotConfigured, "an access token needs its access secret (FLICKRAW_ACCESS_TOKEN and " \
                                 "FLICKRAW_ACCESS_SECRET go together)"
          end
          Flickr.native_class.new(@api_key, @shared_secret, @access_token, @access_secret, @endpoint)
        end
      end
    end

    # Secrets are never shown in full: the key and token by their first characters,
    # the two secrets only as set or not.
    def inspect
      parts = ["api_key=#{mask(@api_key)}", "shared_secret=#{@shared_secret ? '[set]' : 'nil'}",
               "access_token=#{mask(@access_token)}", "access_secret=#{@access_secret ? '[set]' : 'nil'}"]
      parts << "endpoint=#{@endpoint}" if @endpoint
      "#<#{self.class.name} #{parts.join(' ')}>"
    end

    def methods(regular = true)
      names = regular ? top_level_names : []
      super | names
    end

    private

    def upload_defaults
      UPLOAD_DEFAULTS
    end

    def presence(value)
      return nil if value.nil?

      value = value.to_s
      value.empty? ? nil : value
    end

    def mask(value)
      return "nil" if value.nil?

      value.length >= 12 ? "#{value[0, 4]}…" : "…"
    end

    def root_namespace
      @root_namespace ||= Namespace.new(self, MethodTree.for(Flickr.native_class).root)
    end

    # Only plain names can be namespaces; conversions (to_ary, to_str...) asked of the
    # client by Ruby itself never load the method list.
    def api_name?(name)
      /\A[a-z][A-Za-z0-9_]*\z/.match?(name) && !name.start_with?("to_")
    end

    def top_level_names
      root = MethodTree.for(Flickr.native_class).root
      (root.children.keys + root.method_names.keys).map(&:to_sym)
    rescue Error
      []
    end

    def method_missing(name, *args, **kwargs, &block)
      return super unless api_name?(name.name)

      root_namespace.__send__(:dispatch, name, args, kwargs, block) { super }
    end

    def respond_to_missing?(name, include_private)
      key = name.name
      (api_name?(key) && MethodTree.for(Flickr.native_class).root.entry?(key)) || super
    rescue Error
      super
    end

    # Yields a path for the native client: the file's own path, or a temporary copy of
    # an IO that has none (kept under the IO's base name, as flickraw names the part).
    def with_local_path(file, &block)
      return yield(file.to_path) if file.respond_to?(:to_path)
      return yield(file.to_str) if file.respond_to?(:to_str)
      raise ArgumentError, "upload needs a path or an IO (got #{file.class})" unless file.respond_to?(:read)

      name = file.respond_to?(:path) && file.path ? File.basename(file.path.to_s) : ""
      name = "unknown" if name.empty? || name.start_with?(".")
      Dir.mktmpdir("photosync-upload") do |dir|
        copy = File.join(dir, name)
        File.open(copy, "wb") { |out| IO.copy_stream(file, out) }
        block.call(copy)
      end
    end
  end
end
