# frozen_string_literal: true

require "photosync/record"

# Photosync.import: old drives brought into the library (docs/import.md).
module Photosync
  # What Photosync.import hands its block, on the calling thread: kind is one of
  # :library_scanned (photos), :reading (source, files_done, files_total, bytes_done,
  # bytes_total; about ten times a second per source), :planned (to_copy, bytes),
  # :copied (path, dest, bytes), :failed (path, error), :finished.
  class ImportEvent < Event
    fields :photos, :source, :files_done, :files_total, :bytes_done, :bytes_total, :to_copy, :bytes, :dest, :error
  end

  # The inventory of one source: files, bytes, new, in_library, copies (byte-identical to
  # a file imported from elsewhere), other_form (same image data, other bytes), smaller
  # (a resized or recompressed copy of a larger photo kept; not imported), damaged,
  # unreadable, failed.
  class ImportSource < Record
    COUNTS = %i[files new in_library copies other_form smaller damaged unreadable failed].freeze
    fields :source, :bytes, *COUNTS
  end

  # The outcome of Photosync.import: library, dry_run, imported, bytes, failed, sources
  # (ImportSource, one per source), other_forms ({path, kept, kept_in_library, taken,
  # kept_taken, dates_differ}), smaller ({path, kept, kept_in_library, size, kept_size,
  # difference, imported}: each smaller copy and the photo kept for it), damaged and
  # errors ([path, message]), notes, elapsed, phases ({reading, judging, copying}: seconds).
  class ImportReport < Record
    fields :library, :dry_run, :imported, :bytes, :failed, :other_forms, :smaller, :damaged, :errors, :notes,
           :elapsed, :phases

    def initialize(**fields)
      fields = fields.transform_keys(&:to_sym)
      super(**fields, sources: fields.fetch(:sources, []).map { |s| ImportSource.new(**s) })
    end

    def sources
      self[:sources]
    end

    def ok?
      failed.zero?
    end

    # For JSON: paths made UTF-8.
    def to_h
      u = ->(p) { Photosync.utf8(p) }
      super.merge(
        library: u[library],
        sources: sources.map { |s| s.to_h.merge(source: u[s.source]) },
        other_forms: other_forms.map { |o| with_paths(o, u) },
        smaller: smaller.map { |o| with_paths(o, u) },
        damaged: damaged.map { |p, why| { path: u[p], reason: why } },
        errors: errors.map { |p, msg| { path: u[p], error: msg } }
      )
    end

    private

    # An other-form or smaller-copy entry with its two paths made UTF-8.
    def with_paths(entry, utf8)
      entry.transform_keys(&:to_sym).then { |h| h.merge(path: utf8[h[:path]], kept: utf8[h[:kept]]) }
    end
  end

  # Imports old drives into the library at `into`: every photo the library lacks is copied
  # in (a checked copy, in the layout), once, whatever the number of its copies on the
  # sources; sources are only read. See docs/import.md.
  #   sources: folders (an old drive's mount point, a folder of exports)
  #   layout: where a photo goes in the library, as Photosync::Archive's (default "%Y/%m/%d/%n")
  #   dry_run: read and plan, copy nothing
  #   keep_smaller: import smaller copies (resized, recompressed exports) too; they are
  #   still listed in report.smaller
  #   threads: files read or copied at once; timeout: seconds without progress after which
  #   a read or copy is given up (a failing drive), that file reported, the run going on
  #   catalog: as Photosync.scan's; wait: false raises LockedError if another run holds it
  # Ctrl-C stops starting copies, records the finished ones and raises Interrupt.
  def self.import(sources, into:, layout: Archive::DEFAULT_LAYOUT, dry_run: false, keep_smaller: false, threads: 4,
                  timeout: 30, catalog: :default, wait: true, &block)
    sources = Array(sources).map(&:to_s)
    raise ArgumentError, "import needs at least one source folder" if sources.empty?

    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    opts = { "layout" => layout.to_s, "dry_run" => dry_run ? true : false,
             "keep_smaller" => keep_smaller ? true : false, "threads" => Integer(threads),
             "timeout" => Float(timeout), "wait" => wait ? true : false }
    events = block && proc { |h| block.call(ImportEvent.new(**h)) }
    ImportReport.new(**_import(sources, into.to_s, catalog_path, opts, events))
  end
end
