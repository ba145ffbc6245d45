# frozen_string_literal: true

# Photosync.scan: the library read into the catalog.
module Photosync
  # Handed to the block of Photosync.scan, about ten times a second.
  ScanProgress = Struct.new(:files_done, :files_total, :bytes_done, :bytes_total) do
    def fraction
      return 1.0 if bytes_total.zero?

      bytes_done.fdiv(bytes_total)
    end
  end

  # The Array of Photo that Photosync.scan returns, with the scan's counters.
  class ScanResult < Array
    attr_reader :stats

    def initialize(photos, stats)
      super(photos)
      @stats = stats
    end

    %i[media skipped hashed cached errors bytes bytes_read forgotten elapsed notes].each do |k|
      define_method(k) { @stats.fetch(k) }
    end
  end

  # The catalog file used when `catalog:` is left out.
  def self.default_catalog_path
    _default_catalog_path
  end

  # Scans dir for media files: MD5 and EXIF in one read per file, on every core, with
  # the GVL released. Unchanged files (same size and mtime) are taken from the catalog
  # without being read. catalog: left out = the default file; a path = that file;
  # nil = none (in memory, for this call). threads: 0 = one per core.
  # Ctrl-C stops within a second; files finished by then stay recorded.
  def self.scan(dir, catalog: :default, threads: 0, &block)
    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    progress = block && proc { |*counts| block.call(ScanProgress.new(*counts)) }
    photos, stats = _scan(dir.to_s, catalog_path, Integer(threads), progress)
    ScanResult.new(photos, stats)
  end
end
