# frozen_string_literal: true

require "photosync/credentials"

module Photosync
  # The Google Photos section of the credentials file `photosync login gphotos` writes: your
  # own OAuth client (Google's quota is per project) and the refresh token (mode 0600, never
  # printed). PHOTOSYNC_GPHOTOS_CLIENT_ID / _CLIENT_SECRET / _REFRESH_TOKEN / _ENDPOINT win over it.
  module Credentials
    GPHOTOS_KEYS = %i[client_id client_secret refresh_token endpoint].freeze

    module_function

    def gphotos
      stored = File.exist?(path) ? (YAML.safe_load(File.read(path)) || {}) : {}
      section = stored.is_a?(Hash) ? stored.fetch("gphotos", {}) : {}
      section = section.transform_keys(&:to_sym).slice(*GPHOTOS_KEYS)
      from_env = GPHOTOS_KEYS.to_h { |k| [k, ENV.fetch("PHOTOSYNC_GPHOTOS_#{k.upcase}", nil)] }
      section.merge(from_env.reject { |_, v| v.nil? || v.empty? })
    rescue Psych::Exception => e
      raise Error, "cannot read #{path}: #{e.message}"
    end

    def save_gphotos(values)
      write_section("gphotos", values.slice(*GPHOTOS_KEYS))
      path
    end
  end
end
