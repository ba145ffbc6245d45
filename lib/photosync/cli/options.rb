# frozen_string_literal: true

module Photosync
  class CLI
    # A usage error: the command line asks for something photosync cannot do.
    class Usage < StandardError; end

    # Every option's value is checked while the command line is parsed, before any work
    # starts: a wrong one is one line naming the option and what it accepts, exit 1. Each
    # check returns the value as the command uses it.
    module Check
      module_function

      # A whole number in min..max (by default at most 2**32 - 1, what the core's counts hold).
      def int(option, value, min:, max: 4_294_967_295)
        n = Integer(value, 10, exception: false)
        return n if n && n >= min && (max.nil? || n <= max)

        raise Usage, "#{option} accepts a whole number #{range_words(min, max)}, not #{value.inspect}"
      end

      # A finite decimal number in min..max.
      def number(option, value, min:, max: nil)
        x = Float(value, exception: false) || Float::NAN
        return x if x.finite? && x.between?(min, max || Float::INFINITY)

        raise Usage, "#{option} accepts a number #{range_words(min, max)}, not #{value.inspect}"
      end

      # A share of 100: "5", "5%", "0.5%"; more than 0, at most 100.
      def percent(option, value)
        x = Float(value.to_s.delete_suffix("%"), exception: false) || Float::NAN
        return x if x.finite? && x.positive? && x <= 100

        raise Usage, "#{option} accepts a percentage above 0 and at most 100 (such as 5%), not #{value.inspect}"
      end

      def choice(option, value, list)
        return value if list.include?(value)

        raise Usage, "#{option} accepts #{list.join(', ')}, not #{value.inspect}"
      end

      # A file or folder name: not empty.
      def path(option, value)
        return value unless value.to_s.empty?

        raise Usage, "#{option} accepts a file or folder name, not an empty string"
      end

      def layout(value)
        Photosync._archive_check_layout(value)
      rescue ArgumentError => e
        raise Usage, "--layout: #{e.message}"
      end

      def title(value)
        Photosync._check_title(value)
        value
      rescue ArgumentError => e
        raise Usage, "--title: #{e.message}"
      end

      # flickr, gphotos, s3://BUCKET/PREFIX or archive:PATH, PATH a folder (or not there yet:
      # an unmounted drive is a failure of the run, not of the command line).
      def destination(value)
        return value if %w[flickr gphotos].include?(value)
        return s3_url(value) if value.start_with?("s3://")

        path = value.delete_prefix("archive:")
        unless value.start_with?("archive:") && !path.empty?
          raise Usage, "--to accepts flickr, gphotos, archive:PATH or s3://BUCKET/PREFIX, not #{value.inspect}"
        end
        raise Usage, "--to #{value}: #{path} is a file, not a folder" if File.exist?(path) && !File.directory?(path)

        value
      end

      def s3_url(value)
        Photosync._s3_check_url(value)
      rescue ArgumentError => e
        raise Usage, e.message
      end

      # S3's storage class names: capitals, digits and underscores (STANDARD_IA).
      def storage_class(value)
        return value.upcase if value.match?(/\A[A-Za-z0-9_]+\z/)

        raise Usage, "--s3-storage-class accepts a class name such as STANDARD_IA or DEEP_ARCHIVE, not #{value.inspect}"
      end

      def range_words(min, max)
        max.nil? ? "from #{min} up" : "from #{min} to #{max}"
      end
    end
  end
end
