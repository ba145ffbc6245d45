# frozen_string_literal: true

module Photosync
  # The outcome of Photosync.verify. ok? is false when a local photo is missing on
  # Flickr, an MD5 is there more than once, a photo has no checksum tag, or an original
  # read back differs from its tag; photos only on Flickr are listed, not wrong.
  FlickrVerifyReport = Struct.new(:ok, :photos_on_flickr, :local_photos, :missing_on_flickr, :duplicates, :untagged,
                            :only_on_flickr, :read, :corrupted, :api_calls, :notes, keyword_init: true) do
    def ok? = ok

    def to_h
      super.merge(missing_on_flickr: missing_on_flickr.map { |p| p.dup.force_encoding(Encoding::UTF_8).scrub },
                  only_on_flickr: only_on_flickr.map { |id, md5| { photo_id: id, md5: md5 } },
                  corrupted: corrupted.map { |id, tag, actual| { photo_id: id, tag: tag, actual: actual } })
    end
  end

  AdoptEvent = Struct.new(:kind, :photo_id, :md5, :error, :untagged, :tagged, keyword_init: true)
  AdoptReport = Struct.new(:adopted, :already_tagged, :failed, :api_calls, :errors, keyword_init: true) do
    def ok? = failed.zero?
  end

  # Checks the Flickr copy against the catalog (the files under root:, or all of
  # them). read_data: true downloads the originals (sample: a percentage of them) and
  # re-hashes them. Changes nothing.
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
  def self.adopt(flickr, concurrency: 4, calls_per_hour: 3600, catalog: :default, &block)
    opts = { "concurrency" => Integer(concurrency), "calls_per_hour" => Integer(calls_per_hour) }
    events = block && proc { |h| block.call(AdoptEvent.new(**h)) }
    AdoptReport.new(**_adopt_flickr(catalog_arg(catalog), flickr.send(:native), opts, events))
  end

  def self.catalog_arg(catalog)
    catalog == :default ? default_catalog_path : catalog&.to_s
  end
  private_class_method :catalog_arg
end
