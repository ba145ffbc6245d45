# frozen_string_literal: true

module Photosync
  # What Photosync.sync hands its block, on the calling thread: kind is one of
  # :scanned, :planned, :started, :uploaded, :skipped, :not_taken, :refused, :refused_before (docs/outcomes.md; reason
  # says why), :retried, :failed, :album (a photo put into its folder's album),
  # :edited (a photo edited after upload updated its Flickr copy; replaced: the file too), :finished.
  # With several destinations, destination says whose event it is ("flickr", "gphotos"), and
  # one :scanned event (scan: the scan's counts) comes before any destination's.
  SyncEvent = Struct.new(:kind, :path, :photo_id, :bytes, :attempt, :error, :reason, :to_upload,
                         :already_there, :duplicates, :album, :replaced, :destination, :scan, keyword_init: true)

  # The outcome of Photosync.sync.
  SyncReport = Struct.new(:uploaded, :skipped, :failed, :bytes, :elapsed, :api_calls, :index_calls,
                          :remote_only, :album_adds, :albums_created, :edited_updated, :edited_replaced,
                          :imgmd5_tagged, :errors, :scan, *Outcomes::FIELDS, keyword_init: true) do
    def ok?
      failed.zero?
    end

    def to_h
      super.merge(errors: errors.map { |path, msg| { path: path.dup.force_encoding(Encoding::UTF_8).scrub, error: msg } },
                  **Outcomes.json(self))
    end
  end

  PRIVACY = %i[private family friends friends_and_family public].freeze
  ALBUMS = %i[none folders].freeze

  # Backs dir up to Flickr: scans it (MD5 + EXIF, cached in the catalog), reads the
  # account's checksum index in bulk, and uploads every photo whose MD5 is not there
  # yet, exactly once, with `checksum:md5=<hex>` in the upload itself.
  #   to: a Photosync::Flickr (FlickRaw::Flickr too), a Photosync::GooglePhotos, a Photosync::Archive,
  #     or an Array of them (one scan feeds all; archives first, then Flickr, then Google
  #     Photos; a SyncReports comes back, one report per destination)
  #   concurrency: uploads in flight; privacy: one of PRIVACY (default :family);
  #   dry_run: plan only; tags: extra tags; calls_per_hour: the key's budget;
  #   set_dates: set the taken date (flickr.photos.setDates) when it did not come from EXIF;
  #   albums: :folders puts every photo into an album named after its folder (its path
  #     under dir; 20,000 items an album, then "Title (2)"), :none (default) leaves albums alone;
  #   title: the upload's title from {stem} {name} {ext} {folder} {date} (default "{stem}";
  #     "" for none); async: upload with async=1 and poll the tickets;
  #   date_rules: the date rules new uploads get their dates from (as Dates.review's rules:);
  #   replace_edited: a photo edited after upload (same image data, checksum:imgmd5=) replaces
  #     its Flickr file; by default only the copy's taken date and checksum tag are updated;
  #   catalog: as for Photosync.scan.
  # Ctrl-C stops starting uploads, records what finished and raises Interrupt.
  def self.sync(dir, to:, concurrency: 4, dry_run: false, privacy: :family, tags: [], calls_per_hour: 3600,
                set_dates: true, albums: :none, title: "{stem}", async: false, date_rules: :default,
                replace_edited: false, catalog: :default, &block)
    raise ArgumentError, "privacy must be one of #{PRIVACY.join(', ')}" unless PRIVACY.include?(privacy.to_sym)
    raise ArgumentError, "albums must be one of #{ALBUMS.join(', ')}" unless ALBUMS.include?(albums.to_sym)
    if to.is_a?(GooglePhotos)
      return to.sync(dir, concurrency: concurrency, dry_run: dry_run, catalog: catalog, albums: albums, &block)
    end

    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    opts = { "concurrency" => Integer(concurrency), "dry_run" => dry_run ? true : false,
             "privacy" => privacy.to_s, "tags" => Array(tags).map(&:to_s),
             "calls_per_hour" => Integer(calls_per_hour), "set_dates" => set_dates ? true : false,
             "albums" => albums.to_s, "title" => title.to_s, "async" => async ? true : false,
             "date_rules" => Dates.rules_option(date_rules), "replace_edited" => replace_edited ? true : false }
    return sync_destinations(dir, to, catalog_path, opts, &block) unless to.respond_to?(:native, true)

    events = block && proc { |h| block.call(SyncEvent.new(**h)) }
    report = _sync_flickr(dir.to_s, catalog_path, to.send(:native), opts, events)
    report[:scan] = report.delete(:scan_stats)
    SyncReport.new(**report)
  end
end
