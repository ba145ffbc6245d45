# frozen_string_literal: true

require_relative "../error"

module Photosync
  # Flickr answered a request with stat="fail". Raised by the native client as
  # `Photosync::FailedResponse.new(msg, code, method)`, the argument order of
  # FlickRaw::FailedResponse, and its message has flickraw's form:
  # "'flickr.photos.getInfo' - Photo not found".
  #   #code   Flickr's error code (Integer; a numeric String is converted)
  #   #msg    Flickr's own message, as sent ("Photo not found")
  #   #method the Flickr method that failed (`method(:name)` still works as Object#method)
  class FailedResponse < Error
    attr_reader :code, :msg, :flickr_method

    def initialize(msg = nil, code = nil, method = nil)
      @msg = msg
      @code = code.is_a?(String) && code.match?(/\A-?\d+\z/) ? Integer(code, 10) : code
      @flickr_method = method
      super(method.nil? ? msg.to_s : "'#{method}' - #{msg}")
    end

    # The Flickr method that failed ("flickr.photos.getInfo"). With an argument this is
    # Object#method, so reflection on the error keeps working.
    def method(*args)
      args.empty? ? @flickr_method : super
    end
  end

  # A Flickr request got no usable answer: connection refused or dropped, timeout, an
  # HTTP error page. The request may or may not have been carried out by Flickr.
  class NetworkError < Error; end

  # Flickr's answer is not what Flickr sends: not JSON, truncated, or of the wrong shape.
  class InvalidResponse < Error; end
end
