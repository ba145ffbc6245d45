# frozen_string_literal: true

require "photosync/record"

# Photosync.sync: the library backed up to its destinations.
module Photosync
  # What Photosync.sync hands its block, on the calling thread: kind is one of
  # :scanned, :planned, :started, :uploaded, :skipped, :not_taken, :refused, :refused_before (docs/outcomes.md; reason
  # says why), :retried, :failed, :album (a photo put into its folder's album),
  # :edited (a photo edited after upload updated its Flickr copy; replaced: the file too), :finished.
  # destination says whose event it is ("flickr", "gphotos"); one :scanned event (scan: the
  # scan's counts) comes before any destination's. Readers of fields an event's kind lacks
  # answer nil.
  class SyncEvent < Event
    fields :photo_id, :bytes, :attempt, :error, :reason, :to_upload, :already_there, :duplicates, :album,
           :replaced, :scan
  end

  # The outcome of Photosync.sync to Flickr: uploaded, skipped, failed, bytes, elapsed (seconds),
  # api_calls, index_calls (to decide what to upload), remote_only, album_adds, albums_created,
  # edited_updated, edited_replaced, imgmd5_tagged, errors ([path, message]), scan (the scan's counts),
  # and any count the core adds.
  class SyncReport < Report; end

  PRIVACY = %i[private family friends friends_and_family public].freeze
  ALBUMS = %i[none folders].freeze

  # The outcome of Photosync.sync to several destinations (or an Array of one): one
  # report per destination, by name ("flickr", "gphotos", "archive:/media/backup"). A
  # destination whose run could not go on (a revoked login, a missing drive) has no report,
  # and its exception in #failures; what the others did is reported and recorded.
  class SyncReports
    include Enumerable
    attr_reader :scan, :failures

    def initialize(reports, failures, scan)
      @reports = reports
      @failures = failures
      @scan = scan
    end

    # The report of a destination: its name, or the Archive / Flickr object given.
    def [](destination)
      name = destination.is_a?(String) ? destination : Photosync.destination_name(destination)
      @reports[name] || @reports[@reports.keys.find { |k| k.start_with?(name) }]
    end

    def each(&)
      @reports.each(&)
    end

    # Every destination finished without failures (a Google Photos run stopped by the daily
    # quota has photos left, so it is not ok).
    def ok?
      @failures.empty? && @reports.values.all?(&:ok?)
    end

    def to_h
      { destinations: @reports.transform_values(&:to_h), failures: @failures.transform_values(&:message) }
    end
  end

  # Backs dir up: scans it once (MD5 + EXIF, cached in the catalog), corrects the taken-dates
  # with the date rules once, then each destination gets every photo whose MD5 it does not
  # hold yet, exactly once (Flickr: `checksum:md5=<hex>` in the upload itself).
  #   to: a Photosync::Flickr (FlickRaw::Flickr too), a Photosync::GooglePhotos, a Photosync::Archive,
  #     a Photosync::S3, or an Array of them (archives first, then buckets, Flickr, Google Photos;
  #     a SyncReports comes back, one report per destination); one destination gives its own
  #     report (SyncReport, GooglePhotosReport, ArchiveReport, S3Report) and raises its failure
  #   concurrency: uploads in flight; privacy: one of PRIVACY (default :family);
  #   dry_run: plan only; tags: extra tags; calls_per_hour: the key's budget;
  #   set_dates: set the taken date (flickr.photos.setDates) when it did not come from EXIF;
  #   albums: :folders puts every photo into an album named after its folder (its path
  #     under dir; 20,000 items an album, then "Title (2)"), :none (default) leaves albums alone;
  #   title: the upload's title from {stem} {name} {ext} {folder} {date} (default "{stem}";
  #     "" for none); async: upload with async=1 and poll the tickets;
  #   date_rules: the date rules every destination gets its dates from (as Dates.review's rules:);
  #   replace_edited: a photo edited after upload (same image data, checksum:imgmd5=) replaces
  #     its Flickr file; by default only the copy's taken date and checksum tag are updated;
  #   verify: read every destination's whole index first (Flickr's full checksum index, the
  #     archive's listing, the Google Photos app's listing) and make again the copies found
  #     lost, for users who never run verify (report.healed counts them);
  #   catalog: as for Photosync.scan.
  #   wait: when another run holds the catalog, wait for it (telling $stderr once, the
  #     default) or raise Photosync::LockedError at once (false); see docs/locking.md.
  # Ctrl-C stops starting uploads, records what finished and raises Interrupt.
  def self.sync(dir, to:, concurrency: 4, dry_run: false, privacy: :family, tags: [], calls_per_hour: 3600,
                set_dates: true, albums: :none, title: "{stem}", async: false, date_rules: :default,
                replace_edited: false, catalog: :default, wait: true, verify: false, &block)
    raise ArgumentError, "privacy must be one of #{PRIVACY.join(', ')}" unless PRIVACY.include?(privacy.to_sym)
    raise ArgumentError, "albums must be one of #{ALBUMS.join(', ')}" unless ALBUMS.include?(albums.to_sym)

    run = { "concurrency" => Integer(concurrency), "dry_run" => dry_run ? true : false, "albums" => albums.to_s,
            "verify" => verify ? true : false }
    flickr = run.merge("privacy" => privacy.to_s, "tags" => Array(tags).map(&:to_s),
                       "calls_per_hour" => Integer(calls_per_hour), "set_dates" => set_dates ? true : false,
                       "title" => title.to_s, "async" => async ? true : false,
                       "replace_edited" => replace_edited ? true : false)
    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    events = block && proc { |h| block.call(sync_event(h)) }
    stats, outcomes = _sync(dir.to_s, catalog_path, sync_targets(to, run, flickr),
                            { "date_rules" => Dates.rules_option(date_rules), **run_options(wait) }, events)
    sync_reports(to, outcomes, stats)
  end

  # The name a destination's report goes under.
  def self.destination_name(destination)
    case destination
    when Archive, S3 then destination.to_s
    when GooglePhotos then "gphotos"
    else "flickr"
    end
  end

  # [kind, target, options] of each destination, as _sync takes them.
  def self.sync_targets(to, run, flickr)
    list = Array(to).map do |d|
      next d.send(:sync_target, run) if d.respond_to?(:sync_target, true)

      ["flickr", d.send(:native), flickr] if d.respond_to?(:native, true)
    end
    kinds = list.map { |kind, _| kind }
    return list if !list.empty? && !kinds.include?(nil) && kinds.count("flickr") <= 1 && kinds.count("gphotos") <= 1

    raise ArgumentError, "to: must be a Photosync::Flickr, a Photosync::GooglePhotos, a Photosync::Archive, " \
                         "a Photosync::S3, or an Array of them (one Flickr and one Google Photos at most)"
  end

  def self.sync_event(h)
    h[:destination].to_s.start_with?("archive:") ? ArchiveEvent.new(**h) : SyncEvent.new(**h)
  end

  def self.sync_reports(to, outcomes, stats)
    reports = {}
    failures = {}
    outcomes.each do |name, report, failure|
      reports[name] = report_class(name).new(**report, destination: name, scan: stats) if report
      failures[name] = failure if failure
    end
    cancelled = failures.values.find { |e| e.is_a?(Cancelled) }
    raise cancelled if cancelled
    return SyncReports.new(reports, failures, stats) if to.is_a?(Array)
    raise failures.values.first unless failures.empty?

    reports.values.first
  end

  def self.report_class(name)
    return ArchiveReport if name.start_with?("archive:")
    return S3Report if name.start_with?("s3://")

    name == "gphotos" ? GooglePhotosReport : SyncReport
  end
  private_class_method :sync_targets, :sync_event, :sync_reports, :report_class
end
