# frozen_string_literal: true

require_relative "response"

module Photosync
  class Flickr
    # A Response that is also a list, as flickraw's ResponseList: the answer of
    # flickr.photos.search is the "photos" object (page, pages, perpage, total) and
    # the list of its "photo" entries (each, size, to_a, list[0]).
    class ResponseList < Response
      include Enumerable

      def initialize(hash, type, list)
        super(hash, type)
        @a = list
      end

      # list[0] (or a Range) is an element; list["total"] a key, as in flickraw.
      def [](key)
        key.is_a?(Integer) || key.is_a?(Range) ? @a[key] : super
      end

      def each(&block)
        @a.each(&block)
      end

      def to_a
        @a
      end

      def size
        @a.size
      end
      alias length size

      def empty?
        @a.empty?
      end

      def inspect
        @a.inspect
      end

      def marshal_dump
        [@h, @flickr_type, @a]
      end

      def marshal_load(data)
        @h, @flickr_type, @a = data
      end
    end
  end
end
