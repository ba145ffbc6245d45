# frozen_string_literal: true

module Photosync
  # A local Flickr API server (the Rust emulator), for tests, benchmarks and the demo.
  # It listens on 127.0.0.1 (a free port unless one is given) and runs on its own
  # threads; everything is seeded, so faults and ids repeat from run to run.
  #
  #   emu = Photosync::Emulator.start(latency: 0.0, fault_rate: 0.0, seed: 1)
  #   flickr = Photosync::Flickr.new(**emu.credentials)
  #   emu.photos  # => [#<struct Photosync::Emulator::Photo id=..., md5=...>]
  #   emu.stop
  class Emulator
    include EmulatorControl

    Photo = Struct.new(:id, :title, :description, :tags, :machine_tags, :md5, :date_taken, :date_upload,
                       :is_public, :is_friend, :is_family, :original_path, :original_size, keyword_init: true)

    # An album (photoset); photo_ids in album order, the primary photo first.
    Album = Struct.new(:id, :title, :photo_ids, keyword_init: true)

    FAULT_KINDS = %w[http500 http502 http503 flickr105 drop_before_answer drop_after_work].freeze

    # Flickr as it really behaves (docs/emulators.md), each a keyword:
    # search_lag: seconds a new upload stays invisible to search (2; Flickr does not say).
    # unstable_paging: how often a page after the first starts one item off (0.05).
    # pro: false for a free account (replace refused with code 1).
    # max_videos: videos the account may hold (upload code 7 beyond).
    # dedup_check: true checks every upload for a duplicate (code 9 with its photo id).
    # upload_wait: seconds a free account's uploads must be apart (code 14 sooner).
    SERVICE = %i[search_lag unstable_paging pro max_videos dedup_check upload_wait].freeze

    def self.start(latency: 0.0, fault_rate: 0.0, seed: 1, port: 0, calls_per_hour: 3600, data: nil,
                   faults: nil, **service, &block)
      unknown = service.keys - SERVICE
      raise ArgumentError, "unknown keyword: #{unknown.join(', ')}" unless unknown.empty?

      native = NativeEmulator.start(Integer(port), Float(latency), Float(fault_rate), Integer(seed),
                                    Integer(calls_per_hour), data&.to_s, service.transform_keys(&:to_s))
      wrap(native, faults, &block)
    end

    forward :endpoint, :api_key, :shared_secret, :access_token, :access_secret, :user_nsid, :call_counts, :reset,
            :stop, :running?

    def photos
      @native._photos.map { |h| Photo.new(**h) }
    end

    def albums
      @native._albums.map { |h| Album.new(**h) }
    end

    # Keyword arguments for Photosync::Flickr.new that talk to this emulator.
    def credentials
      { api_key: api_key, shared_secret: shared_secret, access_token: access_token,
        access_secret: access_secret, endpoint: endpoint }
    end

    # The environment that points flickraw-style scripts (and the CLI) here.
    def env
      { "FLICKRAW_API_KEY" => api_key, "FLICKRAW_SHARED_SECRET" => shared_secret,
        "FLICKRAW_ACCESS_TOKEN" => access_token, "FLICKRAW_ACCESS_SECRET" => access_secret,
        "PHOTOSYNC_FLICKR_ENDPOINT" => endpoint }
    end
  end
end
