# frozen_string_literal: true

require "photosync/credentials"

module Photosync
  # The outcome of Photosync.sync to a bucket: uploaded, skipped, failed, bytes, elapsed,
  # already_there, adopted (objects new to this catalog, found by the listing), forgotten
  # (recorded copies the listing no longer shows: made again), healed, index_calls,
  # catalog_copied (the catalog's copy went under the prefix's .photosync/), errors, scan,
  # and any count the core adds. Its events are SyncEvents (photo_id: the object's key).
  class S3Report < Report; end

  # A bucket of an S3-compatible object store (AWS S3, Backblaze B2, Wasabi, Cloudflare
  # R2, MinIO, Garage) as a sync destination: one object per distinct photo, byte for
  # byte, under the archive's layout below the prefix, its MD5 in the object's metadata;
  # every upload carries a checksum the server verifies. Nothing in the bucket is ever
  # overwritten or deleted.
  #   url: "s3://bucket/prefix"
  #   endpoint: a service other than AWS ("https://s3.eu-central-003.backblazeb2.com",
  #     "http://127.0.0.1:9000"), addressed path-style; default AWS_ENDPOINT_URL or
  #     PHOTOSYNC_S3_ENDPOINT, else AWS
  #   region: default AWS_REGION, else us-east-1
  #   storage_class: STANDARD, STANDARD_IA, GLACIER_IR, DEEP_ARCHIVE...; the bucket's default if nil
  #   layout: as Archive's (default "%Y/%m/%d/%n")
  # The keys come from access_key_id:/secret_access_key:/session_token:, else
  # AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, else the s3 section of
  # the credentials file (docs/destinations.md#s3).
  class S3
    SETTINGS = { access_key_id: "AWS_ACCESS_KEY_ID", secret_access_key: "AWS_SECRET_ACCESS_KEY",
                 session_token: "AWS_SESSION_TOKEN", region: "AWS_REGION" }.freeze

    attr_reader :url, :endpoint, :region, :storage_class, :layout

    # "s3://bucket/prefix" => S3.new(url: ...), else nil.
    def self.parse(spec, **opts)
      spec = spec.to_s
      spec.start_with?("s3://") ? new(url: spec, **opts) : nil
    end

    def initialize(url:, endpoint: nil, region: nil, storage_class: nil, layout: Archive::DEFAULT_LAYOUT,
                   access_key_id: nil, secret_access_key: nil, session_token: nil)
      @url = Photosync._s3_check_url(url.to_s)
      stored = Credentials.section("s3")
      setting = ->(key, given) { given || env(SETTINGS[key]) || stored[key]&.to_s }
      @endpoint = endpoint || env("PHOTOSYNC_S3_ENDPOINT") || env("AWS_ENDPOINT_URL") || stored[:endpoint]&.to_s
      @region = setting[:region, region]
      given = { access_key_id:, secret_access_key:, session_token: }
      @keys = SETTINGS.keys.take(3).to_h { |k| [k.to_s, setting[k, given[k]]] }
      @storage_class = storage_class&.to_s&.upcase
      @layout = Photosync._archive_check_layout(layout.to_s)
    end

    def to_s
      url
    end

    # Never the secret.
    def inspect
      extras = { endpoint: endpoint, storage_class: storage_class }.compact.map { |k, v| " #{k}=#{v}" }
      "#<Photosync::S3 #{url}#{extras.join}>"
    end

    # Compares the bucket's listing with the catalog: recorded copies missing or with
    # another MD5 (their ETag, or their metadata for objects uploaded in parts), objects
    # the catalog does not know. read_data: also download and hash them (sample: this
    # percentage of them). A VerifyReport.
    def verify(catalog: :default, read_data: false, sample: 100)
      catalog_path = catalog == :default ? Photosync.default_catalog_path : catalog&.to_s
      read = read_data ? Float(sample) : nil
      VerifyReport.new(destination: to_s, **Photosync._s3_verify(url, connection, catalog_path, read))
    end

    private

    def env(name)
      value = ENV.fetch(name, nil)
      value.nil? || value.empty? ? nil : value
    end

    def connection
      { "endpoint" => endpoint, "region" => region, **@keys }
    end

    # This bucket as Photosync._sync takes it; run: the run's concurrency and dry_run.
    def sync_target(run)
      settings = { "storage_class" => storage_class, "layout" => layout,
                   "concurrency" => run["concurrency"], "dry_run" => run["dry_run"] }
      ["s3", url, connection.merge(settings)]
    end
  end
end
