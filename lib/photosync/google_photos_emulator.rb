# frozen_string_literal: true

module Photosync
  # A local Google Photos Library API (the Rust emulator), as Google behaves since 2025: OAuth
  # for installed apps with PKCE, the three remaining scopes, raw and resumable uploads,
  # batchCreate, app-created-only listings, albums, a daily quota, seeded latency and faults.
  # It listens on 127.0.0.1 (a free port unless one is given) and runs on its own threads.
  #
  #   Photosync::GooglePhotosEmulator.start(daily_quota: 100) do |emu|
  #     token = emu.refresh_token          # as if the user had consented
  #     emu.items                          # => [#<struct ...Item id=..., md5=...>]
  #   end
  class GooglePhotosEmulator
    include EmulatorControl

    # rubocop:disable Lint/StructNewOverride -- size: the stored bytes (public); an Item is no collection
    Item = Struct.new(:id, :filename, :description, :md5, :size, :mime_type, :creation_time, :app, :albums,
                      keyword_init: true)
    # rubocop:enable Lint/StructNewOverride
    Album = Struct.new(:id, :title, :app, :items, keyword_init: true)

    SCOPES = %w[photoslibrary.appendonly photoslibrary.readonly.appcreateddata
                photoslibrary.edit.appcreateddata].map { |s| "https://www.googleapis.com/auth/#{s}" }.freeze
    FAULT_KINDS = %w[http500 http503 http429 aborted409 drop_before_answer drop_after_work cut_upload
                     item_failed].freeze

    # testing: a project in Testing status (refresh tokens die after 7 days; the default, as for a
    # personal project Google has not verified); false for a published one.
    # page_repeat_rate: how often a next page starts with the previous page's last item.
    # bad_token: how batchCreate answers an unknown, expired or used upload token: :whole_call
    # (Google's way: 400 for the whole call, nothing created) or :per_item (that item fails alone).
    def self.start(latency: 0.0, fault_rate: 0.0, seed: 1, port: 0, daily_quota: 10_000, testing: true,
                   page_repeat_rate: 0.2, bad_token: :whole_call, faults: nil, &block)
      native = NativeGooglePhotosEmulator.start(Integer(port), Float(latency), Float(fault_rate), Integer(seed),
                                                Integer(daily_quota), testing ? true : false,
                                                Float(page_repeat_rate), bad_token.to_s)
      wrap(native, faults, &block)
    end

    forward :endpoint, :authorize_url, :token_url, :revoke_url, :client_id, :client_secret, :other_client,
            :call_counts, :quota_used, :reset, :stop, :running?

    # A refresh token for the app, as if the user had just consented to scopes (any scopes, the
    # removed broad ones included, to stand for a token granted before 2025).
    def refresh_token(scopes: SCOPES)
      @native._refresh_token(Array(scopes).map(&:to_s))
    end

    # Moves the emulator's clock forward: access tokens (1 h), upload tokens (1 day), the quota day.
    def advance_clock(seconds)
      @native.advance_clock(Float(seconds))
    end

    def page_repeat_rate=(rate)
      @native.page_repeat_rate = Float(rate)
    end

    def daily_quota=(requests)
      @native.daily_quota = Integer(requests)
    end

    # The upload tokens batchCreate was given: oldest (the oldest one's age in seconds, nil
    # before any) and expired (how many were past their day, refused as Google does).
    def upload_tokens_used
      oldest, expired = @native._upload_tokens_used
      { oldest: oldest, expired: expired }
    end

    def items
      @native._items.map { |h| Item.new(**h) }
    end

    # Puts the file at path in the library as another app's item (the phone's own backup), named
    # filename (else the file's name); returns its id. photosync's upload of the same bytes is
    # answered with this item, which Google lets no other app add to an album.
    def add_foreign_item(path, filename: nil)
      @native._add_foreign_item(path.to_s, filename&.to_s)
    end

    # Removes an item as its owner can in the Google Photos app (the API cannot delete); true
    # when there was one. gemu.delete_item(gemu.items.first.id)
    def delete_item(id)
      @native.delete_item(id.to_s)
    end

    def albums
      @native._albums.map { |h| Album.new(**h) }
    end

    # Keyword arguments for a Google Photos client aimed here, with a fresh refresh token.
    def credentials
      { client_id: client_id, client_secret: client_secret, refresh_token: refresh_token, endpoint: endpoint }
    end

    # The environment that points the photosync command here (PHOTOSYNC_GPHOTOS_*), with a
    # fresh refresh token.
    def env
      credentials.transform_keys { |k| "PHOTOSYNC_GPHOTOS_#{k.upcase}" }
    end
  end
end
