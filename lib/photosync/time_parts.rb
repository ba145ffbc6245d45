# frozen_string_literal: true

# Dates from the native side as Ruby Time values.
module Photosync
  # Builds a Time from the native [year, month, day, hour, min, sec, nsec, offset]:
  # with the UTC offset when the camera recorded one, else in the local zone, as
  # exifr does for EXIF dates without an offset.
  def self.time_from_parts(parts)
    return nil unless parts

    year, month, day, hour, min, sec, nsec, offset = parts
    sec += Rational(nsec, 1_000_000_000) if nsec.positive?
    if offset
      Time.new(year, month, day, hour, min, sec, offset)
    else
      Time.local(year, month, day, hour, min, sec)
    end
  end
end
