# frozen_string_literal: true

require "photosync"
require "photosync/flickr"

# A drop-in for the flickraw gem (0.9.x API), backed by Photosync::Flickr, so an old
# script runs by changing only its require line:
#
#   require "photosync/flickraw"            # was: require "flickraw"
#   FlickRaw.api_key = "..."; FlickRaw.shared_secret = "..."
#   flickr.access_token = "..."; flickr.access_secret = "..."
#   flickr.photos.search(user_id: "me", machine_tags: "checksum:md5=#{md5}")
#   FlickRaw.url_b(flickr.photos.getInfo(photo_id: id))
#
# Same names as flickraw: FlickRaw::Flickr, Response, ResponseList, FailedResponse,
# FlickrAppNotConfigured, Error, Request, the URL helpers and base58, the global
# `flickr`. What differs, on purpose:
# - No network call at load or construction: the method list ships with the gem.
# - FlickRaw.proxy, .secure, .check_certificate, .ca_file and .ca_path are accepted and
#   kept but change nothing: the native client always uses HTTPS with verified
#   certificates (to Flickr; PHOTOSYNC_FLICKR_ENDPOINT may point at a local http
#   emulator). Setting a proxy or turning certificate checks off warns once.
# - Response keys become no methods (see Photosync::Flickr::Response): keys such as
#   "class", "method" or "machine-tags" are read with response["method"].
# - replace_photo returns the photo id String (flickraw: a Response whose to_s is it).
# - FailedResponse#msg is Flickr's message alone; #message keeps flickraw's form.
#
# When the real flickraw gem is already loaded this file raises Photosync::Error
# instead of redefining FlickRaw under it: require one or the other.
if defined?(FlickRaw) && !(FlickRaw.is_a?(Module) && FlickRaw.const_defined?(:PHOTOSYNC, false))
  raise Photosync::Error, "FlickRaw is already defined (the flickraw gem is loaded): " \
                          "require either \"flickraw\" or \"photosync/flickraw\", not both"
end

# flickraw's namespace, as its scripts use it (see above).
module FlickRaw
  # Marks this FlickRaw as photosync's facade.
  PHOTOSYNC = Photosync::VERSION
  # The flickraw API this facade follows.
  VERSION = "0.9.10"
  USER_AGENT = "FlickRaw/#{VERSION} (photosync #{Photosync::VERSION})".freeze

  END_POINT = "https://api.flickr.com/services"
  UPLOAD_END_POINT = "https://up.flickr.com/services"
  FLICKR_OAUTH_REQUEST_TOKEN = "#{END_POINT}/oauth/request_token".freeze
  FLICKR_OAUTH_AUTHORIZE = "#{END_POINT}/oauth/authorize".freeze
  FLICKR_OAUTH_ACCESS_TOKEN = "#{END_POINT}/oauth/access_token".freeze
  REST_PATH = "#{END_POINT}/rest/".freeze
  UPLOAD_PATH = "#{UPLOAD_END_POINT}/upload/".freeze
  REPLACE_PATH = "#{UPLOAD_END_POINT}/replace/".freeze

  PHOTO_SOURCE_URL = "https://farm%s.staticflickr.com/%s/%s_%s%s.%s"
  URL_PROFILE = "https://www.flickr.com/people/"
  URL_PHOTOSTREAM = "https://www.flickr.com/photos/"
  URL_SHORT = "https://flic.kr/p/"
  BASE58_ALPHABET = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"

  Error = Photosync::Error
  FailedResponse = Photosync::FailedResponse
  FlickrAppNotConfigured = Photosync::Flickr::NotConfigured
  Response = Photosync::Flickr::Response
  ResponseList = Photosync::Flickr::ResponseList
  Request = Photosync::Flickr::Namespace

  # Only so that `rescue FlickRaw::OAuthClient::FailedResponse` keeps working: OAuth
  # failures raise Photosync::FailedResponse.
  class OAuthClient
    FailedResponse = Photosync::FailedResponse
  end

  # flickraw's client. Credentials, first found: the arguments (positional as in
  # flickraw, or api_key:/shared_secret:), FlickRaw.api_key / FlickRaw.shared_secret,
  # then FLICKRAW_API_KEY / FLICKRAW_SHARED_SECRET. access_token:, access_secret: and
  # endpoint: default to FLICKRAW_ACCESS_TOKEN, FLICKRAW_ACCESS_SECRET and
  # PHOTOSYNC_FLICKR_ENDPOINT.
  class Flickr < Photosync::Flickr
    def initialize(api_key = nil, shared_secret = nil, **options)
      options = options.dup
      key = first_present(api_key, options.delete(:api_key), FlickRaw.api_key, ENV["FLICKRAW_API_KEY"])
      secret = first_present(shared_secret, options.delete(:shared_secret), FlickRaw.shared_secret,
                             ENV["FLICKRAW_SHARED_SECRET"])
      raise FlickrAppNotConfigured, "No API key defined! (set FlickRaw.api_key or FLICKRAW_API_KEY)" unless key
      unless secret
        raise FlickrAppNotConfigured, "No shared secret defined! (set FlickRaw.shared_secret or FLICKRAW_SHARED_SECRET)"
      end

      super(api_key: key, shared_secret: secret, **options)
    end

    private

    # flickraw sends only the arguments it is given: Flickr applies the account's
    # default privacy.
    def upload_defaults
      {}
    end

    def first_present(*values)
      values.map { |v| v&.to_s }.find { |v| v && !v.empty? }
    end
  end

  # flickraw's helper module: `include FlickRaw::Helper` gives an object its own `flickr`.
  module Helper
    def flickr
      # flickraw's name: an object's own @flickr is left alone.
      @flickraw ||= FlickRaw::Flickr.new # rubocop:disable Naming/MemoizedInstanceVariableName
    end
  end

  class << self
    # Your Flickr API key and its shared secret (read by FlickRaw::Flickr.new).
    attr_accessor :api_key, :shared_secret

    # Accepted for flickraw scripts; photosync always uses HTTPS (see above).
    attr_accessor :secure, :ca_file, :ca_path

    attr_reader :proxy, :check_certificate

    # Accepted and kept, but the native client does not use it.
    def proxy=(url)
      warn_once(:proxy, "FlickRaw.proxy is ignored by photosync's client") unless url.nil?
      @proxy = url
    end

    # Accepted and kept; certificates are always checked.
    def check_certificate=(check)
      unless check
        warn_once(:check_certificate,
                  "FlickRaw.check_certificate = false is ignored: photosync always checks certificates")
      end
      @check_certificate = check
    end

    # The photo id in Flickr's base 58 (the short-URL form).
    def base58(id)
      id = id.to_i
      digits = +""
      loop do
        id, digit = id.divmod(58)
        digits.prepend(BASE58_ALPHABET[digit])
        break unless id.positive?
      end
      digits
    end

    # URLs of a photo's image files, from a Response of flickr.photos.getInfo or a
    # search result (anything answering farm, server, id, secret).
    def url(r) = photo_source(r, "")
    def url_m(r) = photo_source(r, "_m")
    def url_s(r) = photo_source(r, "_s")
    def url_t(r) = photo_source(r, "_t")
    def url_b(r) = photo_source(r, "_b")
    def url_z(r) = photo_source(r, "_z")
    def url_q(r) = photo_source(r, "_q")
    def url_n(r) = photo_source(r, "_n")
    def url_c(r) = photo_source(r, "_c")
    def url_h(r) = photo_source(r, "_h")
    def url_k(r) = photo_source(r, "_k")

    # The original file: needs originalsecret and originalformat (getInfo, or the
    # original_format search extra).
    def url_o(r)
      format(PHOTO_SOURCE_URL, r.farm, r.server, r.id, r.originalsecret, "_o", r.originalformat)
    end

    # Pages on flickr.com. These join Strings with + as flickraw does, so a missing
    # owner or id raises TypeError rather than making a wrong URL.
    def url_profile(r) = URL_PROFILE + owner_id(r) + "/"
    def url_photopage(r) = url_photostream(r) + r.id
    def url_photosets(r) = url_photostream(r) + "sets/"
    def url_photoset(r) = url_photosets(r) + r.id
    def url_short(r) = URL_SHORT + base58(r.id)
    def url_short_m(r) = "#{URL_SHORT}img/#{base58(r.id)}_m.jpg"
    def url_short_s(r) = "#{URL_SHORT}img/#{base58(r.id)}.jpg"
    def url_short_t(r) = "#{URL_SHORT}img/#{base58(r.id)}_t.jpg"
    def url_short_q(r) = "#{URL_SHORT}img/#{base58(r.id)}_q.jpg"
    def url_short_n(r) = "#{URL_SHORT}img/#{base58(r.id)}_n.jpg"

    # The owner's photostream: by path alias when the response has one, else by NSID.
    def url_photostream(r)
      URL_PHOTOSTREAM + (r.respond_to?(:pathalias) && r.pathalias ? r.pathalias : owner_id(r)) + "/"
    end

    private

    def photo_source(r, suffix)
      format(PHOTO_SOURCE_URL, r.farm, r.server, r.id, r.secret, suffix, "jpg")
    end

    # getInfo gives the owner as an object (owner.nsid), search results as the NSID.
    def owner_id(r)
      r.owner.respond_to?(:nsid) ? r.owner.nsid : r.owner
    end

    def warn_once(what, message)
      @warned ||= {}
      return if @warned[what]

      @warned[what] = true
      warn("photosync: #{message}", uplevel: 2)
    end
  end

  @secure = true
  @check_certificate = true
end

# The client flickraw scripts use, made on first use with FlickRaw.api_key and
# FlickRaw.shared_secret (or the FLICKRAW_* environment variables), as in flickraw.
def flickr
  $flickraw ||= FlickRaw::Flickr.new
end
