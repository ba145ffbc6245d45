# frozen_string_literal: true

require "photosync"
require "stringio"

# A drop-in for the exifr gem's EXIFR::JPEG and EXIFR::TIFF, read by photosync's native
# EXIF parser, so an old script's `EXIFR::JPEG.new(path).date_time_original` keeps
# working after its require line changes. Defined only when the real gem is not loaded.
unless defined?(EXIFR::JPEG)
  module EXIFR
    class MalformedImage < StandardError; end
    class MalformedJPEG < MalformedImage; end
    class MalformedTIFF < MalformedImage; end

    # Methods shared by JPEG and TIFF: EXIF fields as exifr returns them.
    module Fields
      TAGS = %i[date_time_original date_time_digitized date_time make model orientation exposure_time
                f_number iso_speed_ratings gps_latitude gps_longitude].freeze
      GPS = Struct.new(:latitude, :longitude)

      attr_reader :exif_data

      def date_time_original = @exif&.date_time_original
      def date_time_digitized = @exif&.date_time_digitized
      def date_time = @exif&.date_time
      def make = @exif&.make
      def model = @exif&.model
      def iso_speed_ratings = @exif&.iso_speed_ratings
      def gps_latitude = @exif&.gps_latitude
      def gps_longitude = @exif&.gps_longitude

      # exifr gives Rationals for these, as stored.
      def exposure_time = @exif&.exposure_time
      def f_number = @exif&.f_number&.rationalize(Rational(1, 1000))

      def orientation
        value = @exif&.orientation
        value && TIFF::Orientation.new(value)
      end

      def gps
        return nil unless @exif&.gps_latitude && @exif&.gps_longitude

        GPS.new(@exif.gps_latitude, @exif.gps_longitude)
      end

      def to_hash
        h = { width: width, height: height }
        TAGS.each { |t| (v = public_send(t)).nil? || h[t] = v } if @exif
        h
      end

      private

      def slurp(file, limit = Photosync::Exif::HEAD_BYTES)
        return File.open(file, "rb") { |io| io.read(limit) || "" } if file.is_a?(String)

        file.dup.read(limit) || ""
      end
    end

    # exifr's JPEG: width and height come from the frame header (SOF), as in exifr.
    class JPEG
      include Fields
      attr_reader :width, :height, :bits, :comment, :exif

      def initialize(file)
        bytes = slurp(file)
        raise MalformedJPEG, "no start of image marker found" unless bytes.start_with?("\xFF\xD8".b)

        read_frame(bytes)
        @exif = begin
          Photosync::Exif.parse(bytes)
        rescue Photosync::ExifError => e
          raise MalformedJPEG, e.message
        end
      end

      def exif? = !@exif.nil?

      private

      # Walks the markers up to the image data for SOF (size) and COM (comment).
      def read_frame(bytes)
        pos = 2
        comments = []
        while pos + 4 <= bytes.bytesize
          pos += 1 while bytes.getbyte(pos) == 0xFF && bytes.getbyte(pos + 1) == 0xFF
          break unless bytes.getbyte(pos) == 0xFF

          marker = bytes.getbyte(pos + 1)
          break if [0xD9, 0xDA].include?(marker)

          length = bytes.byteslice(pos + 2, 2).unpack1("n")
          segment = bytes.byteslice(pos + 4, length - 2) || "".b
          sof_frame(segment) if [*0xC0..0xC3, *0xC5..0xC7, *0xC9..0xCB, *0xCD..0xCF].include?(marker)
          comments << segment if marker == 0xFE
          pos += 2 + length
        end
        @comment = comments.size > 1 ? comments : comments.first
      end

      def sof_frame(segment)
        raise MalformedJPEG, "frame header too short" if segment.bytesize < 6

        @bits, @height, @width, components = segment.unpack("CnnC")
        return if segment.bytesize == 6 + components * 3

        raise MalformedJPEG, "frame length does not match number of components"
      end
    end

    # exifr's TIFF (also how it reads camera raw files built on TIFF).
    class TIFF
      include Fields
      attr_reader :exif

      # exifr's orientation values: to_i is the EXIF number, to_sym its name.
      class Orientation
        NAMES = %i[TopLeft TopRight BottomRight BottomLeft LeftTop RightTop RightBottom LeftBottom].freeze
        attr_reader :value

        def initialize(value) = @value = value
        def to_i = value
        def to_sym = NAMES.fetch(value - 1, :Unknown)
        def ==(other) = value == (other.is_a?(Orientation) ? other.value : other)
        def inspect = "#<EXIFR::TIFF::Orientation:#{to_sym}(#{value})>"
      end

      def initialize(file)
        bytes = slurp(file)
        raise MalformedTIFF, "no byte order information found" unless bytes.start_with?("II*\0".b, "MM\0*".b)

        @exif = begin
          Photosync::Exif.parse(bytes)
        rescue Photosync::ExifError => e
          raise MalformedTIFF, e.message
        end
      end

      def width = @exif&.width
      def height = @exif&.height
    end
  end
end
