# frozen_string_literal: true

require "json"
require_relative "failed_response"

module Photosync
  class Flickr
    # An answer (or part of one) from Flickr, as flickraw presents it: each key is
    # reachable with `[]` and, when it is a plain identifier, as a method
    # (`info.title`, `info.owner.nsid`); `{"_content": "x"}` collapses to the String
    # "x"; a key "photos" holding a "photo" array becomes a ResponseList.
    #
    # Unlike flickraw, nothing is eval'd and no key ever becomes a method: keys are
    # looked up in method_missing, so a key can never replace a method the object
    # already has ("class", "send", "object_id", "inspect", "size" on a list) and
    # keys that are not identifiers ("machine-tags", "12") or that Ruby calls
    # implicitly (to_str, to_ary, coerce, ...) are reachable only through `[]`.
    class Response
      IDENTIFIER = /\A[A-Za-z_][A-Za-z0-9_]*\z/
      # Names Ruby or common libraries call by themselves when an object responds to
      # them; a key with one of these names must not make the answer look like a
      # String, Array, Proc, number or exception.
      IMPLICIT = %w[call coerce each exception initialize initialize_copy initialize_clone
                    initialize_dup method_missing].freeze

      # Whether a key may be read as a method (it still never shadows a real method).
      def self.method_key?(key)
        key.is_a?(String) && IDENTIFIER.match?(key) && !key.start_with?("to_") && !IMPLICIT.include?(key)
      end

      # Parses the JSON body of a Flickr answer (format=json&nojsoncallback=1) the way
      # flickraw's process_response does: raises Photosync::FailedResponse on
      # stat=fail, drops "stat", and unwraps a lone object ({"photo": {...}} is the
      # photo, with flickr_type "photo"). Raises Photosync::InvalidResponse on anything
      # that is not a JSON object.
      def self.from_json(body, method = nil)
        json = parse_json(body, method)
        raise FailedResponse.new(json["message"], json["code"], method) if json.delete("stat") == "fail"

        type = nil
        type, json = json.first if json.size == 1 && json.all? { |_k, v| v.is_a?(Hash) }
        build(json, type)
      end

      def self.parse_json(body, method)
        body = body.to_s
        body = body.dup.force_encoding(Encoding::UTF_8) unless body.encoding == Encoding::UTF_8
        unless body.valid_encoding?
          raise InvalidResponse, "#{method || 'Flickr'}: the answer is not UTF-8: #{excerpt(body)}"
        end

        json = body.strip.empty? ? {} : JSON.parse(body)
        return json if json.is_a?(Hash)

        raise InvalidResponse, "#{method || 'Flickr'}: the answer is a JSON #{json_type(json)}, not an object: " \
                               "#{excerpt(body)}"
      rescue JSON::ParserError => e
        reason = e.message.lines.first.to_s.scrub[/\A[^']{0,80}/].strip.sub(/\A\d+: /, "").delete_suffix(" at")
        raise InvalidResponse, "#{method || 'Flickr'}: the answer is not JSON (#{reason}): #{excerpt(body)}"
      end
      private_class_method :parse_json

      def self.json_type(value)
        case value
        when Array then "array"
        when String then "string"
        when Numeric then "number"
        when nil then "null"
        else "boolean"
        end
      end
      private_class_method :json_type

      def self.excerpt(body)
        text = body.byteslice(0, 120).dup.force_encoding(Encoding::UTF_8).scrub
        body.bytesize > 120 ? "#{text.inspect}…" : text.inspect
      end
      private_class_method :excerpt

      # Turns a parsed JSON value into what flickraw returns for it (type is the key
      # it was found under).
      def self.build(value, type)
        case value
        when Response then value
        when Hash
          singular = type.is_a?(String) && type.end_with?("s") ? type.delete_suffix("s") : nil
          if singular && (list = value[singular]).is_a?(Array)
            ResponseList.new(value, type, list.map { |e| build(e, singular) })
          elsif value.size == 1 && value.key?("_content")
            value["_content"]
          else
            new(value, type)
          end
        when Array then value.map { |e| build(e, type) }
        else value
        end
      end

      attr_reader :flickr_type

      def initialize(hash, type)
        @flickr_type = type
        @h = {}
        hash.each do |k, v|
          key = k.is_a?(String) ? k : k.to_s
          @h[key] = v.is_a?(Hash) || v.is_a?(Array) ? Response.build(v, key) : v
        end
      end

      def [](key)
        @h[key.is_a?(Symbol) ? key.name : key]
      end

      # The text of the answer ("_content"), else Object#to_s.
      def to_s
        content = @h["_content"]
        content.nil? ? super : content.to_s
      end

      def inspect
        @h.inspect
      end

      def to_hash
        @h
      end

      def marshal_dump
        [@h, @flickr_type]
      end

      # Loads what marshal_dump wrote, and flickraw's own dumps of FlickRaw::Response.
      def marshal_load(data)
        @h, @flickr_type = data
      end

      # Object#methods plus the keys readable as methods (for irb's completion).
      def methods(regular = true)
        regular ? super | method_keys : super
      end

      private

      def method_keys
        @h.each_key.select { |k| Response.method_key?(k) }.map(&:to_sym)
      end

      def method_missing(name, *args, &block)
        key = name.name
        return @h[key] if args.empty? && block.nil? && @h.key?(key) && Response.method_key?(key)

        super
      end

      def respond_to_missing?(name, include_private)
        key = name.name
        (@h.key?(key) && Response.method_key?(key)) || super
      end
    end
  end
end
