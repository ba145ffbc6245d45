# frozen_string_literal: true

module Photosync
  # EXIF metadata of one file, read natively (kamadak-exif). Dates are Time values:
  # with the UTC offset when the file records one (OffsetTime*), else local time.
  class Exif
    # How much of a file the EXIF readers look at (the native parser reads the same head).
    HEAD_BYTES = 1 << 20
    DATES = %i[date_time_original date_time_digitized date_time].freeze
    FIELDS = %i[make model width height orientation gps_latitude gps_longitude exposure_time
                f_number iso_speed_ratings].freeze
    attr_reader(*DATES, *FIELDS)

    # Photosync::Exif for the file, or nil when it has no EXIF. Raises Photosync::FileError
    # when the file cannot be read, Photosync::ExifError when its EXIF is malformed.
    def self.read(path)
      hash = _read(path.to_s)
      hash && new(hash)
    end

    # Photosync::Exif from a file's bytes already in memory, or nil when they hold no EXIF.
    def self.parse(bytes)
      hash = _parse(bytes.b)
      hash && new(hash)
    end

    def initialize(hash)
      DATES.each { |k| instance_variable_set(:"@#{k}", Photosync.time_from_parts(hash[k])) }
      FIELDS.each { |k| instance_variable_set(:"@#{k}", hash[k]) }
      @exposure_time = Rational(*@exposure_time) if @exposure_time && @exposure_time[1] != 0
    end

    def to_h
      (DATES + FIELDS).to_h { |k| [k, public_send(k)] }
    end
  end
end
