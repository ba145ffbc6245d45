# frozen_string_literal: true

# Photosync.report: the one-page HTML report.
module Photosync
  # What Photosync.report wrote to html: photos reported on, by_copies (copy count =>
  # photos), and the totals behind each section of the page: photos with a single copy,
  # per-file errors, photos in the date review (suspicious: those whose date looks wrong)
  # and the thumbnails shown.
  PageReport = Struct.new(:html, :photos, :by_copies, :single_copy, :errors, :review, :suspicious, :thumbnails,
                          keyword_init: true)

  # Writes one self-contained HTML page (no network, no external file) that shows where
  # every photo lives: copies per photo as a chart, the photos with a single copy, per-file
  # errors, and the date review (as `photosync dates`) with each photo's embedded thumbnail,
  # by camera. With dir, reports on that library (scanned first through the catalog, so
  # the block gets scan progress as for Photosync.scan); without, on the whole catalog
  # (no file read but the thumbnails). rules: as for Photosync::Dates.review.
  def self.report(dir = nil, html:, catalog: :default, rules: :default, &progress)
    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    rules_path, required = Dates.rules_option(rules)
    out = File.expand_path(html.to_s)
    h = _report(dir&.to_s, out, catalog_path, rules_path, required ? true : false, progress)
    PageReport.new(html: out, **h)
  end
end
