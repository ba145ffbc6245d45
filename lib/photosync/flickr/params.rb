# frozen_string_literal: true

module Photosync
  class Flickr
    # Turns the arguments of a Flickr call into the String => String Hash the native
    # client sends, as flickraw does: keys and values go through to_s (1 => "1",
    # :me => "me", nil => "", true => "true"), Strings are sent as UTF-8.
    # Differences from flickraw, each an error rather than a silent change:
    # an Array or Hash value raises ArgumentError (flickraw sent its inspect form,
    # '["a", "b"]'; Flickr's lists are comma- or space-separated depending on the
    # parameter, so say which), and text that is not valid UTF-8 raises ArgumentError.
    # flickraw's :oauth option (extra OAuth parameters) is dropped, and the parameters
    # the client sets itself (method, format, nojsoncallback, api_key) are ignored.
    module Params
      CLIENT_SET = %w[method format nojsoncallback api_key].freeze

      module_function

      # Merges the Hashes (positional Hash, keyword arguments) into one String Hash.
      def stringify(*hashes)
        params = {}
        hashes.each do |hash|
          next if hash.nil?

          to_hash(hash).each do |k, v|
            key = text(k, "parameter name")
            next if key == "oauth"

            params[key] = value(key, v)
          end
        end
        CLIENT_SET.each { |k| params.delete(k) }
        params
      end

      def to_hash(hash)
        return hash if hash.is_a?(Hash)
        return hash.to_hash if hash.respond_to?(:to_hash)

        raise ArgumentError, "Flickr parameters must be a Hash (got #{hash.class})"
      end

      def value(key, v)
        if v.is_a?(Array) || v.is_a?(Hash)
          raise ArgumentError, "Flickr parameter #{key.inspect}: pass a String, not #{v.class} " \
                               "(Flickr lists are comma-separated, tags space-separated)"
        end

        text(v, "Flickr parameter #{key.inspect}")
      end

      def text(v, what)
        s = v.to_s
        s = s.dup.force_encoding(Encoding::UTF_8) if s.encoding == Encoding::BINARY
        s = s.encode(Encoding::UTF_8) unless s.encoding == Encoding::UTF_8
        raise ArgumentError, "#{what} is not valid UTF-8: #{s.inspect}" unless s.valid_encoding?

        s
      rescue EncodingError => e
        raise ArgumentError, "#{what} cannot be sent as UTF-8: #{e.message}"
      end
    end
  end
end
