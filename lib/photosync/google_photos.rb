# frozen_string_literal: true

module Photosync
  # A Google Photos login sent back for a second time: revoked, or 7 days old on a project in
  # Testing. Run `photosync login gphotos` again.
  class LoginError < Error; end

  # The outcome of Photosync.sync(dir, to: a Photosync::GooglePhotos) (or its entry "gphotos"
  # in a SyncReports).
  #   uploaded: media items created for local photos (reused_tokens of them from upload tokens
  #   a run that died left behind); bytes_sent: upload bytes on the wire, resends included;
  #   resumed: resumable uploads continued from the server's offset; batch_create_calls;
  #   bad_tokens: upload tokens Google refused whole calls for (their files were sent again);
  #   album_notes: [path, why] of photos left out of their album (another app's item);
  #   stopped: why the run ended early (the daily quota), with left photos not tried.
  class GooglePhotosReport < Report
    # No failure, and not stopped early by the quota with photos left (cron should hear of
    # it: the next run finishes the job).
    def ok?
      failed.zero? && stopped.nil?
    end
  end

  # What GooglePhotos#verify found: items listed, records rebuilt, missing local paths, and
  # [id, filename] pairs of items that lost their checksum or that photosync does not know.
  class GooglePhotosVerifyReport < Record
    def ok?
      missing.empty? && lost_checksum.empty? && unknown.empty?
    end
  end

  # Google Photos as a destination of Photosync.sync: a write-only copy (since 2025 the API
  # shows an app only what it uploaded, with no hashes, and never the original bytes back), so
  # photosync's catalog is the record of what is there.
  #
  #   gphotos = Photosync::GooglePhotos.new(client_id: "...", client_secret: "...", refresh_token: "...")
  #   Photosync.sync("~/Pictures", to: gphotos)
  #
  # endpoint: a base URL serving the API, /token and /o/oauth2/auth (the emulator); nil for Google.
  # daily_quota: the project's requests per day (Google's default 10,000), counted across runs.
  # description: your text before the `checksum:md5=<hex>` every description ends with.
  # checksum: :description (the default: that one line ends every description, so a lost catalog
  # is rebuilt from the listing) or :none (your text only, as Google asks; copies are then known by
  # the catalog and its backup alone, and `verify gphotos` cannot rebuild it).
  # rate_limit_wait: seconds to wait after a 429 (Google asks for 30); backoff: the first wait
  # after a 5xx (doubled, jittered); max_attempts: tries per request.
  # resumable_above: bytes above which uploads use the resumable protocol, in chunk_size chunks.
  class GooglePhotos
    MIB = 1024 * 1024

    CHECKSUMS = %i[description none].freeze

    attr_reader :daily_quota, :description, :checksum, :resumable_above, :chunk_size

    # client_id, client_secret, refresh_token and endpoint default to PHOTOSYNC_GPHOTOS_CLIENT_ID,
    # _CLIENT_SECRET, _REFRESH_TOKEN and _ENDPOINT, as Photosync::Flickr.new reads FLICKRAW_*.
    def initialize(client_id: ENV.fetch("PHOTOSYNC_GPHOTOS_CLIENT_ID", nil),
                   client_secret: ENV.fetch("PHOTOSYNC_GPHOTOS_CLIENT_SECRET", nil),
                   refresh_token: ENV.fetch("PHOTOSYNC_GPHOTOS_REFRESH_TOKEN", nil),
                   endpoint: ENV.fetch("PHOTOSYNC_GPHOTOS_ENDPOINT", nil), daily_quota: 10_000, description: nil,
                   checksum: :description, rate_limit_wait: 30.0, backoff: 1.0, max_attempts: 5,
                   resumable_above: 8 * MIB, chunk_size: 8 * MIB)
      [[:client_id, client_id], [:client_secret, client_secret], [:refresh_token, refresh_token]].each do |name, v|
        raise ArgumentError, "#{name} is missing (run `photosync login gphotos`)" if v.nil? || v.to_s.empty?
      end
      @daily_quota = Integer(daily_quota)
      @description = description&.to_s
      @checksum = checksum.to_s.to_sym
      raise ArgumentError, "checksum: #{checksum.inspect} (:description or :none)" unless CHECKSUMS.include?(@checksum)

      @resumable_above = Integer(resumable_above)
      @chunk_size = Integer(chunk_size)
      policy = { "rate_limit_wait" => Float(rate_limit_wait), "backoff" => Float(backoff),
                 "max_attempts" => Integer(max_attempts) }
      @native = NativeGooglePhotos.new(client_id.to_s, client_secret.to_s, refresh_token.to_s, endpoint&.to_s, policy)
    end

    def client_id
      @native.client_id
    end

    def endpoint
      @native.api_endpoint
    end

    # The loopback consent: listens on 127.0.0.1 (a free port), yields the consent URL to open
    # (PKCE and state in it), waits for the browser to come back and returns the refresh token.
    def self.login(client_id:, client_secret:, endpoint: nil, timeout: 300, &open_url)
      raise ArgumentError, "a block opening the URL is needed" unless open_url

      Photosync._gphotos_login(client_id.to_s, client_secret.to_s, endpoint&.to_s, Float(timeout), open_url)
    end

    # Photosync.sync(dir, to: self, ...): the same run (one scan, the date rules, then the uploads).
    # albums: :folders puts every photo into an album the app creates for its folder (its path
    # under dir; 20,000 items an album, then "Title (2)").
    def sync(dir, concurrency: 4, dry_run: false, catalog: :default, albums: :none, date_rules: :default,
             wait: true, verify: false, &block)
      Photosync.sync(dir, to: self, concurrency: concurrency, dry_run: dry_run, catalog: catalog, albums: albums,
                          date_rules: date_rules, wait: wait, verify: verify, &block)
    end

    # Lists the app's items (never downloads: Google's copies are recompressed, without GPS)
    # and checks them against the catalog: local photos missing, items whose description lost
    # its checksum, items photosync does not know. Records lost with the catalog are rebuilt
    # from the descriptions, so the next sync uploads nothing twice.
    def verify(dir, catalog: :default)
      catalog_path = catalog == :default ? Photosync.default_catalog_path : catalog&.to_s
      GooglePhotosVerifyReport.new(**Photosync._verify_gphotos(dir.to_s, catalog_path, @native))
    end

    def inspect
      "#<Photosync::GooglePhotos #{client_id} at #{endpoint}>"
    end

    private

    # The native client, for Photosync.restore.
    attr_reader :native

    # This destination as Photosync._sync takes it; run: the run's concurrency, dry_run, albums.
    def sync_target(run)
      ["gphotos", @native, run.slice("concurrency", "dry_run", "verify").merge(
        "daily_quota" => daily_quota, "description" => description, "checksum" => checksum.to_s,
        "resumable_above" => resumable_above,
        "chunk_size" => chunk_size, "album_folders" => run["albums"] == "folders"
      )]
    end
  end
end
