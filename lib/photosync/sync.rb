# frozen_string_literal: true

module Photosync
  # What Photosync.sync hands its block, on the calling thread: kind is one of
  # :scanned, :planned, :started, :uploaded, :skipped, :retried, :failed, :finished.
  SyncEvent = Struct.new(:kind, :path, :photo_id, :bytes, :attempt, :error, :reason, :to_upload,
                         :already_there, :duplicates, keyword_init: true)

  # The outcome of Photosync.sync.
  SyncReport = Struct.new(:uploaded, :skipped, :failed, :bytes, :elapsed, :api_calls, :index_calls,
                          :remote_only, :errors, :scan, keyword_init: true) do
    def ok?
      failed.zero?
    end

    def to_h
      super.merge(errors: errors.map { |path, msg| { path: path.dup.force_encoding(Encoding::UTF_8).scrub, error: msg } })
    end
  end

  PRIVACY = %i[private family friends friends_and_family public].freeze

  # Backs dir up to Flickr: scans it (MD5 + EXIF, cached in the catalog), reads the
  # account's checksum index in bulk, and uploads every photo whose MD5 is not there
  # yet, exactly once, with `checksum:md5=<hex>` in the upload itself.
  #   to: a Photosync::Flickr (FlickRaw::Flickr too), a Photosync::Archive, or an Array of them
  #   concurrency: uploads in flight; privacy: one of PRIVACY (default :family);
  #   dry_run: plan only; tags: extra tags; calls_per_hour: the key's budget;
  #   set_dates: set the taken date (flickr.photos.setDates) when it did not come from EXIF;
  #   catalog: as for Photosync.scan.
  # Ctrl-C stops starting uploads, records what finished and raises Interrupt.
  def self.sync(dir, to:, concurrency: 4, dry_run: false, privacy: :family, tags: [], calls_per_hour: 3600,
                set_dates: true, catalog: :default, &block)
    raise ArgumentError, "privacy must be one of #{PRIVACY.join(', ')}" unless PRIVACY.include?(privacy.to_sym)

    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    opts = { "concurrency" => Integer(concurrency), "dry_run" => dry_run ? true : false,
             "privacy" => privacy.to_s, "tags" => Array(tags).map(&:to_s),
             "calls_per_hour" => Integer(calls_per_hour), "set_dates" => set_dates ? true : false }
    return sync_destinations(dir, to, catalog_path, opts, &block) unless to.respond_to?(:native, true)

    events = block && proc { |h| block.call(SyncEvent.new(**h)) }
    report = _sync_flickr(dir.to_s, catalog_path, to.send(:native), opts, events)
    report[:scan] = report.delete(:scan_stats)
    SyncReport.new(**report)
  end
end
