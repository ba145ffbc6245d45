# frozen_string_literal: true

require "time"

module Photosync
  # A media file found by Photosync.scan. The class itself is native (a thin wrapper
  # around the core's record); these are its Ruby conveniences.
  class Photo
    ATTRIBUTES = %i[path size mtime md5 imgmd5 taken_at taken_at_source taken_at_confidence make model width
                    height orientation kind error damaged].freeze

    def taken_at
      Photosync.time_from_parts(_taken_parts)
    end

    def mtime
      Time.at(mtime_ns.div(1_000_000_000), mtime_ns % 1_000_000_000, :nsec)
    end

    def error?
      !error.nil?
    end

    # The reason the file's own format says it is cut short (a JPEG without its end
    # marker, a PNG without IEND, an MP4 or MOV without its index); nil when whole.
    # A damaged file is still backed up.
    def damaged?
      !damaged.nil?
    end

    def to_h
      ATTRIBUTES.to_h { |a| [a, public_send(a)] }
    end

    def as_json(*)
      to_h.merge(mtime: mtime.iso8601(3), taken_at: taken_at.iso8601(3)).merge(Photosync.json_path(path))
    end

    def to_json(*args)
      require "json"
      as_json.to_json(*args)
    end

    def inspect
      "#<Photosync::Photo #{path.inspect} md5=#{md5 || 'nil'} taken_at=#{taken_at} (#{taken_at_source})" \
        "#{error ? " error=#{error.inspect}" : ''}#{damaged ? " damaged=#{damaged.inspect}" : ''}>"
    end
    alias to_s inspect
  end
end
