# frozen_string_literal: true

module Photosync
  # What Photosync.sync hands its block for an archive destination, on the calling
  # thread: kind is one of :planned, :started, :progress, :copied, :skipped, :failed,
  # :finished; destination is "archive:<path>".
  ArchiveEvent = Struct.new(:kind, :destination, :path, :dest, :bytes, :error, :reason, :to_copy,
                            :already_there, :duplicates, :bytes_done, :bytes_total, keyword_init: true)

  # The outcome of copying into one archive.
  # redated: copies that got a rule-corrected date written into them (write_dates:).
  ArchiveReport = Struct.new(:destination, :copied, :skipped, :failed, :bytes, :elapsed, :already_there,
                             :adopted, :cleaned, :redated, :errors, :scan, *Outcomes::FIELDS, keyword_init: true) do
    def ok?
      failed.zero?
    end

    def to_h
      super.merge(errors: errors.map { |path, msg| { path: path.dup.force_encoding(Encoding::UTF_8).scrub, error: msg } },
                  **Outcomes.json(self))
    end
  end

  # The outcome of Photosync::Archive#verify: missing (recorded, gone), corrupted
  # ([path, expected md5, found md5]), unknown (not from photosync), unreadable
  # ([path, message]) and leftover temporaries (harmless; the next sync removes them).
  VerifyReport = Struct.new(:destination, :checked, :bytes, :elapsed, :missing, :corrupted, :unknown,
                            :unreadable, :temporaries, keyword_init: true) do
    def ok?
      missing.empty? && corrupted.empty? && unknown.empty? && unreadable.empty?
    end

    def to_h
      utf8 = ->(p) { p.dup.force_encoding(Encoding::UTF_8).scrub }
      super.merge(ok: ok?, missing: missing.map(&utf8), unknown: unknown.map(&utf8), temporaries: temporaries.map(&utf8),
                  corrupted: corrupted.map { |p, want, got| { path: utf8[p], expected: want, found: got } },
                  unreadable: unreadable.map { |p, msg| { path: utf8[p], error: msg } })
    end
  end

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

  # An archive folder (an external drive) as a sync destination: every photo copied
  # once, checked, in a date layout. The folder must exist; nothing in it is ever
  # overwritten or deleted.
  #   layout: where a photo goes (default "%Y/%m/%d/%n"); tokens %Y %m %d %H %M %S
  #           (taken date), %n name, %f name without extension, %e extension,
  #           %h first 8 hex digits of the MD5, %c camera model, %% a percent sign.
  #   threads: copies at once.
  #   write_dates: a photo whose taken-date a date rule corrected (see Photosync.sync's
  #           date_rules:) gets that date written into its copy's EXIF (DateTimeOriginal,
  #           CreateDate, ModifyDate); the original is never touched. Off by default:
  #           then every copy is byte for byte the original.
  class Archive
    DEFAULT_LAYOUT = "%Y/%m/%d/%n"

    attr_reader :path, :layout, :threads, :write_dates

    # "archive:/media/backup" => Archive.new("/media/backup"), else nil.
    def self.parse(spec, **opts)
      spec = spec.to_s
      return nil unless spec.start_with?("archive:") && spec.size > "archive:".size

      new(spec.delete_prefix("archive:"), **opts)
    end

    def initialize(path, layout: DEFAULT_LAYOUT, threads: 4, write_dates: false)
      @path = File.expand_path(path.to_s)
      @write_dates = write_dates ? true : false
      @layout = Photosync._archive_check_layout(layout.to_s)
      @threads = Integer(threads)
      raise ArgumentError, "threads must be at least 1" if @threads < 1
    end

    def to_s
      "archive:#{path}"
    end

    def inspect
      "#<Photosync::Archive #{path} layout=#{layout.inspect}#{' write_dates' if write_dates}>"
    end

    # Reads every file in the archive again and compares it with the MD5 the catalog
    # recorded when photosync copied it. The block gets a ScanProgress.
    def verify(catalog: :default, threads: 4, &block)
      catalog_path = catalog == :default ? Photosync.default_catalog_path : catalog&.to_s
      progress = block && proc { |*counts| block.call(ScanProgress.new(*counts)) }
      VerifyReport.new(destination: to_s, **Photosync._archive_verify(path, catalog_path, Integer(threads), progress))
    end
  end

  # The name a destination's report goes under.
  def self.destination_name(destination)
    case destination
    when Archive then destination.to_s
    when GooglePhotos then "gphotos"
    else "flickr"
    end
  end

  # Photosync.sync with an Archive, or an Array of destinations: scans once, then
  # copies into each archive, then uploads to Flickr, then to Google Photos. Returns an
  # ArchiveReport for a lone Archive, else a SyncReports.
  def self.sync_destinations(dir, to, catalog_path, flickr_opts, &block)
    list = Array(to)
    archives, others = list.partition { |d| d.is_a?(Archive) }
    gphotos, others = others.partition { |d| d.is_a?(GooglePhotos) }
    flickrs = others.select { |d| d.respond_to?(:native, true) }
    unless flickrs.size == others.size && flickrs.size <= 1 && gphotos.size <= 1 && !list.empty?
      raise ArgumentError, "to: must be a Photosync::Flickr, a Photosync::GooglePhotos, a Photosync::Archive, " \
                           "or an Array of them (one Flickr and one Google Photos at most)"
    end

    threads = archives.map(&:threads).max || 4
    dry_run = flickr_opts.fetch("dry_run", false)
    gphotos_target = gphotos.first&.send(:sync_target, flickr_opts["concurrency"], dry_run, flickr_opts["albums"])
    archive_opts = { "threads" => threads, "dry_run" => dry_run, "date_rules" => flickr_opts["date_rules"] }
    stats, outcomes = _sync_to(dir.to_s, catalog_path, archives.map { |a| [a.path, a.layout, a.write_dates] },
                               archive_opts, flickrs.empty? ? nil : [flickrs.first.send(:native), flickr_opts],
                               gphotos_target, block && proc { |h| block.call(destination_event(h)) })
    reports = {}
    failures = {}
    outcomes.each do |name, report, failure|
      reports[name] = destination_report(name, report, stats) if report
      failures[name] = failure if failure
    end
    cancelled = failures.values.find { |e| e.is_a?(Cancelled) }
    raise cancelled if cancelled
    return single_archive(reports, failures) if to.is_a?(Archive)

    SyncReports.new(reports, failures, stats)
  end

  def self.destination_event(h)
    h[:destination].to_s.start_with?("archive:") ? ArchiveEvent.new(**h) : SyncEvent.new(**h)
  end

  def self.destination_report(name, report, stats)
    return ArchiveReport.new(destination: name, scan: stats, **report) if name.start_with?("archive:")

    report.delete(:scan_stats)
    (name == "gphotos" ? GooglePhotosReport : SyncReport).new(scan: stats, **report)
  end

  def self.single_archive(reports, failures)
    raise failures.values.first unless failures.empty?

    reports.values.first
  end
  private_class_method :destination_event, :destination_report, :single_archive
end
