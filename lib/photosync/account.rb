# frozen_string_literal: true

require "photosync/record"

# Photosync.verify and Photosync.adopt (Flickr): their events and reports.
module Photosync
  # The outcome of Photosync.verify. ok? is false when a local photo is missing on
  # Flickr, an MD5 is there more than once, a photo has no checksum tag, or an original
  # read back differs from its tag; photos only on Flickr are listed, not wrong.
  class FlickrVerifyReport < Record
    fields :ok, :photos_on_flickr, :local_photos, :missing_on_flickr, :duplicates, :untagged, :only_on_flickr,
           :read, :corrupted, :api_calls, :notes, :forgotten

    def ok? = ok

    def to_h
      super.merge(**Photosync.json_paths(missing_on_flickr, :missing_on_flickr),
                  only_on_flickr: only_on_flickr.map { |id, md5| { photo_id: id, md5: md5 } },
                  corrupted: corrupted.map { |id, tag, actual| { photo_id: id, tag: tag, actual: actual } })
    end
  end

  # What Photosync.adopt hands its block: kind is :planned (untagged, tagged), :adopted
  # (photo_id, md5) or :failed (photo_id, error).
  class AdoptEvent < Event
    fields :photo_id, :md5, :error, :untagged, :tagged
  end

  # The outcome of Photosync.adopt: photos given their checksum tag, and those that failed.
  class AdoptReport < Record
    fields :adopted, :already_tagged, :failed, :api_calls, :errors

    def ok? = failed.zero?
  end

  # Checks the Flickr copy against the catalog (the files under root:, or all of
  # them). read_data: true downloads the originals (sample: a percentage of them) and
  # re-hashes them. Changes nothing on Flickr; copies the catalog recorded that are gone
  # there are forgotten (report.forgotten), so the next sync uploads them again.
  def self.verify(flickr, root: nil, read_data: false, sample: 100, concurrency: 4, calls_per_hour: 3600,
                  catalog: :default)
    opts = { "root" => root && File.expand_path(root.to_s), "read_data" => read_data ? true : false,
             "sample" => Float(sample), "concurrency" => Integer(concurrency),
             "calls_per_hour" => Integer(calls_per_hour) }
    FlickrVerifyReport.new(**_verify_flickr(catalog_arg(catalog), flickr.send(:native), opts))
  end

  # Tags every photo on Flickr that has no checksum tag (uploaded by the web page, the
  # phone app, another tool) with the MD5 of its original, and records it in the
  # catalog, so sync never uploads it again. Resumable.
  # wait: as for sync.
  def self.adopt(flickr, concurrency: 4, calls_per_hour: 3600, catalog: :default, wait: true, &block)
    opts = { "concurrency" => Integer(concurrency), "calls_per_hour" => Integer(calls_per_hour), **run_options(wait) }
    events = block && proc { |h| block.call(AdoptEvent.new(**h)) }
    AdoptReport.new(**_adopt_flickr(catalog_arg(catalog), flickr.send(:native), opts, events))
  end

  # One copy of each MD5 on Flickr more than once (the same bytes uploaded again by
  # another tool), planned: plan is an Array of DuplicateMerge, one per such MD5.
  # applied is true when the plan was carried out (yes: true); deleted counts the
  # copies removed; errors: [md5, message] pairs (that MD5's copies were all kept).
  class DedupeReport < Record
    fields :plan, :applied, :deleted, :errors, :api_calls

    def initialize(**fields)
      super(**fields, plan: fields[:plan].map { |m| DuplicateMerge.new(**m) })
    end

    def ok? = errors.empty?

    def to_h
      super.merge(plan: plan.map(&:to_h), errors: errors.map { |md5, msg| { md5: md5, error: msg } })
    end
  end

  # keeper: the oldest upload, kept; delete: the other photo ids; add_tags,
  # add_to_albums ([photoset id, title]), and title / description (nil unless the
  # keeper's is empty): what the keeper receives from them before they go.
  class DuplicateMerge < Record
    fields :md5, :keeper, :delete, :add_tags, :add_to_albums, :title, :description
  end

  # For every MD5 on Flickr more than once: keeps the oldest copy, merges the tags,
  # albums and (where the keeper has none) title and description of the others into it,
  # then deletes the others, and points the catalog at the keeper. Without yes: true it
  # only returns the plan; nothing on Flickr changes. wait: as for sync (with yes: true).
  def self.delete_duplicates(flickr, yes: false, calls_per_hour: 3600, catalog: :default, wait: true)
    opts = { "concurrency" => 1, "calls_per_hour" => Integer(calls_per_hour), **run_options(wait) }
    DedupeReport.new(**_dedupe_flickr(catalog_arg(catalog), flickr.send(:native), opts, yes ? true : false))
  end

  def self.catalog_arg(catalog)
    catalog == :default ? default_catalog_path : catalog&.to_s
  end
  private_class_method :catalog_arg
end
