# frozen_string_literal: true

require "yaml"
require "fileutils"

module Photosync
  # The Flickr credentials `photosync login` stores, in
  # $XDG_CONFIG_HOME/photosync/credentials.yml (default ~/.config/...), mode 0600.
  # The FLICKRAW_* environment variables (and PHOTOSYNC_FLICKR_ENDPOINT) win over it.
  module Credentials
    KEYS = %i[api_key shared_secret access_token access_secret endpoint].freeze
    ENV_NAMES = { api_key: "FLICKRAW_API_KEY", shared_secret: "FLICKRAW_SHARED_SECRET",
                  access_token: "FLICKRAW_ACCESS_TOKEN", access_secret: "FLICKRAW_ACCESS_SECRET",
                  endpoint: "PHOTOSYNC_FLICKR_ENDPOINT" }.freeze

    module_function

    def path
      base = ENV.fetch("XDG_CONFIG_HOME", "")
      base = File.join(Dir.home, ".config") if base.empty?
      File.join(base, "photosync", "credentials.yml")
    end

    # What the file holds (symbol keys), or {} when there is no file.
    def stored
      return {} unless File.exist?(path)

      data = YAML.safe_load(File.read(path)) || {}
      raise Error, "#{path} is not a mapping of credentials" unless data.is_a?(Hash)

      data.fetch("flickr", {}).transform_keys(&:to_sym).slice(*KEYS)
    rescue Psych::Exception => e
      raise Error, "cannot read #{path}: #{e.message}"
    end

    # One other section of the file (s3), symbol keys; {} when there is none.
    def section(name)
      return {} unless File.exist?(path)

      data = YAML.safe_load(File.read(path)) || {}
      data.is_a?(Hash) && data[name].is_a?(Hash) ? data[name].transform_keys(&:to_sym) : {}
    rescue Psych::Exception => e
      raise Error, "cannot read #{path}: #{e.message}"
    end

    # Stored values, overridden by the environment where set.
    def current
      from_env = ENV_NAMES.transform_values { |name| ENV.fetch(name, nil) }.reject { |_, v| v.nil? || v.empty? }
      stored.merge(from_env)
    end

    # Writes the file atomically with mode 0600 (its folder 0700): a crash never
    # leaves it half-written, and no other user can read the tokens.
    def save(values)
      write_section("flickr", values.slice(*KEYS))
    end

    # Writes one section (flickr, gphotos), keeping the others.
    def write_section(name, values)
      FileUtils.mkdir_p(File.dirname(path), mode: 0o700)
      data = File.exist?(path) ? (YAML.safe_load(File.read(path)) || {}) : {}
      data = {} unless data.is_a?(Hash)
      data[name] = values.compact.transform_keys(&:to_s)
      tmp = "#{path}.#{Process.pid}.tmp"
      File.open(tmp, File::WRONLY | File::CREAT | File::TRUNC, 0o600) { |f| f.write(YAML.dump(data)) }
      File.chmod(0o600, tmp)
      File.rename(tmp, path)
      path
    end

    # The first characters of a secret and an ellipsis: enough to recognise it.
    def mask(value)
      value.nil? || value.empty? ? "(none)" : "#{value[0, 4]}…"
    end
  end
end
