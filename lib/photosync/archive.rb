# frozen_string_literal: true

module Photosync
  # What Photosync.sync hands its block for an archive destination, on the calling
  # thread: kind is one of :planned, :started, :progress, :copied, :skipped, :failed,
  # :finished; destination is "archive:<path>".
  class ArchiveEvent < Event
    fields :dest, :bytes, :error, :reason, :to_copy, :already_there, :duplicates, :bytes_done, :bytes_total
  end

  # The outcome of copying into one archive: copied, skipped, failed, bytes, elapsed,
  # already_there, adopted (found in the archive, new to this catalog), cleaned (leftover
  # temporaries removed), errors, scan, and any count the core adds.
  # redated: copies that got a rule-corrected date written into them (write_dates:).
  class ArchiveReport < Report; end

  # The outcome of Photosync::Archive#verify: missing (recorded, gone), corrupted
  # ([path, expected md5, found md5]), unknown (not from photosync), unreadable
  # ([path, message]) and leftover temporaries (harmless; the next sync removes them).
  VerifyReport = Struct.new(:destination, :checked, :bytes, :elapsed, :missing, :corrupted, :unknown,
                            :unreadable, :temporaries, :forgotten, keyword_init: true) do
    def ok?
      missing.empty? && corrupted.empty? && unknown.empty? && unreadable.empty?
    end

    def to_h
      lists = %i[missing unknown temporaries].map { |k| Photosync.json_paths(public_send(k), k) }.reduce(:merge)
      super.merge(ok: ok?, **lists,
                  corrupted: corrupted.map { |p, want, got| Photosync.json_path(p).merge(expected: want, found: got) },
                  unreadable: unreadable.map { |p, msg| Photosync.json_path(p).merge(error: msg) })
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

    # A path that names something other than a folder is refused here; a folder that does
    # not exist yet (a drive not mounted) is the sync's failure, when it runs.
    def initialize(path, layout: DEFAULT_LAYOUT, threads: 4, write_dates: false)
      raise ArgumentError, "an archive needs a folder path" if path.to_s.strip.empty?

      @path = File.expand_path(path.to_s)
      raise ArgumentError, "archive:#{@path} is not a folder" if File.exist?(@path) && !File.directory?(@path)

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

    private

    # This archive as Photosync._sync takes it; run: the run's dry_run.
    def sync_target(run)
      ["archive", path, { "layout" => layout, "write_dates" => write_dates, "threads" => threads,
                          "dry_run" => run["dry_run"], "verify" => run["verify"] }]
    end
  end
end
