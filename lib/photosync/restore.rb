# frozen_string_literal: true

require "fileutils"

# Photosync.restore: a destination brought back into a folder.
module Photosync
  # The suffix of a file being downloaded by a restore; a stopped restore leaves at
  # most these, and the next one removes them.
  PART_SUFFIX = ".photosync-part"

  # Where an archive keeps the copy of the catalog each sync writes there.
  ARCHIVE_CATALOG_COPY = ".photosync/catalog.sqlite3"

  # What Photosync.restore hands its block, on the calling thread: kind is one of
  # :planned, :downloaded, :mismatch (expected: the recorded MD5, actual: the bytes'),
  # :retried, :failed, :finished; from a bucket, before any download, :frozen (frozen:
  # objects that need a thaw, thawing: of them those with one under way, thaw_requested).
  class RestoreEvent < Event
    fields :photo_id, :bytes, :verified, :attempt, :to_download, :already_there, :expected, :actual,
           :frozen, :thawing, :thaw_requested

    # What went wrong (:retried, :failed), or both checksums of a :mismatch.
    def error
      @fields[:error] || ("MD5 #{actual}, tag says #{expected}" if kind == :mismatch)
    end
  end

  # The outcome of Photosync.restore: downloaded, skipped, failed, mismatched, unverified,
  # bytes, elapsed, api_calls, errors ([photo id, message] pairs), and any count the core adds.
  # lossy: copies restored from Google Photos (not originals; named *.lossy.*).
  # catalog_from: the archive's or the bucket's catalog copy that became the catalog (no catalog
  # was found), or nil.
  # frozen: from a bucket, objects in GLACIER or DEEP_ARCHIVE not thawed, so not fetched
  # (thawing: of them, those with a thaw under way; thaw_requested: asked for by this run).
  class RestoreReport < Record
    def ok?
      failed.zero? && mismatched.zero? && frozen.to_i.zero?
    end

    def to_h
      super.merge(errors: errors.map { |id, msg| { photo_id: id, error: msg } })
    end
  end

  # Brings the Flickr account or an archive back into dir: every original, checked
  # against the MD5 its source records (Flickr's `checksum:md5=` tag; for an archive,
  # the catalog's record of the copy). From Flickr: a YYYY/MM/DD layout (one folder per
  # album with albums: true); from an archive: the archive's own layout (YYYY/MM/DD/name
  # by default; albums: true is refused, an archive has none). Photos dir already holds
  # (by MD5) are not fetched; nothing in dir is overwritten; names are made safe
  # whatever the titles hold. Bytes that differ from their record are kept under a
  # name with MISMATCH in it and reported.
  #   from: a Photosync::Flickr (FlickRaw::Flickr too), a Photosync::Archive, or a
  #         Photosync::GooglePhotos: refused (Google returns recompressed copies without
  #         GPS, not the originals) unless accept_lossy: true; then every item comes back
  #         as YYYY/MM/DD/<name>.lossy.<ext>, unchecked, counted in report.lossy
  #   only_missing: a folder; restore only the photos it held once and holds no longer
  #   thaw: from an S3 bucket, ask for the thaw of objects in GLACIER or DEEP_ARCHIVE (found
  #         before anything is downloaded and counted in report.frozen, never fetched
  #         until thawed: hours; restore again then)
  #   concurrency: downloads (copies) at once; calls_per_hour: the key's budget;
  #   catalog, wait: as for sync.
  # Ctrl-C stops starting downloads, keeps what finished, and raises Interrupt.
  def self.restore(dir, from:, albums: false, only_missing: nil, concurrency: 4, calls_per_hour: 3600,
                   accept_lossy: false, thaw: false, catalog: :default, wait: true, &block)
    check_restore_source(from)
    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    from_copy = catalog_copy(from, catalog_path)
    opts = { "concurrency" => Integer(concurrency), "albums" => albums ? true : false,
             "only_missing" => only_missing && File.expand_path(only_missing.to_s),
             "calls_per_hour" => Integer(calls_per_hour), "accept_lossy" => accept_lossy ? true : false,
             "thaw" => thaw ? true : false,
             **run_options(wait) }
    events = block && proc { |h| block.call(RestoreEvent.new(**h)) }
    report = restore_from(File.expand_path(dir.to_s), catalog_path, from, opts, events)
    RestoreReport.new(**report, catalog_from: from_copy || nil)
  end

  def self.check_restore_source(from)
    return if from.is_a?(Archive) || from.is_a?(S3) || from.is_a?(GooglePhotos) || from.respond_to?(:native, true)

    raise ArgumentError, "from: must be a Photosync::Flickr, a Photosync::Archive, a Photosync::S3 " \
                         "or a Photosync::GooglePhotos"
  end
  private_class_method :check_restore_source

  # The native restore for the kind of source; dest: the folder, expanded.
  def self.restore_from(dest, catalog_path, from, opts, events)
    case from
    when Archive then _restore_archive(dest, catalog_path, from.path, opts, events)
    when S3 then _restore_s3(dest, catalog_path, from.url, opts.merge(from.send(:connection)), events)
    when GooglePhotos then _restore_gphotos(dest, catalog_path, from.send(:native), opts, events)
    else _restore_flickr(dest, catalog_path, from.send(:native), opts, events)
    end
  end
  private_class_method :restore_from

  # The disaster case: no catalog where one is looked for (the disk holding it is gone),
  # and the archive or the bucket holds the copy each sync leaves there (a bucket's is
  # downloaded, checked against its MD5, to a temporary renamed into place).
  def self.catalog_copy(from, catalog_path)
    return nil if catalog_path.nil? || File.exist?(catalog_path)

    case from
    when Archive then catalog_from_archive(from, catalog_path)
    when S3 then _s3_fetch_catalog(from.url, from.send(:connection), catalog_path)
    end
  end
  private_class_method :catalog_copy

  # An archive holds the copy each sync leaves there. That copy becomes the catalog
  # (written to a temporary, then renamed), so the photos come back at their paths and
  # the next sync goes on from it. Returns the copy's path, or nil.
  def self.catalog_from_archive(archive, catalog_path)
    copy = File.join(archive.path, ARCHIVE_CATALOG_COPY)
    return nil unless File.file?(copy)

    FileUtils.mkdir_p(File.dirname(catalog_path))
    temp = "#{catalog_path}.from-archive-#{Process.pid}"
    FileUtils.cp(copy, temp)
    File.rename(temp, catalog_path)
    copy
  end
  private_class_method :catalog_from_archive
end
