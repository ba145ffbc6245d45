# frozen_string_literal: true

module Photosync
  # The suffix of a file being downloaded by a restore; a stopped restore leaves at
  # most these, and the next one removes them.
  PART_SUFFIX = ".photosync-part"

  # What Photosync.restore hands its block, on the calling thread: kind is one of
  # :planned, :downloaded, :mismatch, :retried, :failed, :finished.
  RestoreEvent = Struct.new(:kind, :path, :photo_id, :bytes, :verified, :attempt, :error, :to_download,
                            :already_there, keyword_init: true)

  # The outcome of Photosync.restore. errors: [photo id, message] pairs.
  RestoreReport = Struct.new(:downloaded, :skipped, :failed, :mismatched, :unverified, :bytes, :elapsed,
                             :api_calls, :errors, keyword_init: true) do
    def ok?
      failed.zero? && mismatched.zero?
    end

    def to_h
      super.merge(errors: errors.map { |id, msg| { photo_id: id, error: msg } })
    end
  end

  # Brings the Flickr account back into dir: every original, checked against its
  # `checksum:md5=` tag, in a YYYY/MM/DD layout (one folder per album with albums: true).
  # Photos dir already holds (by MD5) are not downloaded; nothing in dir is overwritten;
  # names are made safe whatever the titles hold. Bytes that differ from their tag are
  # kept under a name with MISMATCH in it and reported.
  #   from: a Photosync::Flickr (FlickRaw::Flickr too)
  #   only_missing: a folder; restore only the photos it held once and holds no longer
  #   concurrency: downloads at once; calls_per_hour: the key's budget; catalog: as for sync.
  # Ctrl-C stops starting downloads, keeps what finished, and raises Interrupt.
  def self.restore(dir, from:, albums: false, only_missing: nil, concurrency: 4, calls_per_hour: 3600,
                   catalog: :default, &block)
    raise ArgumentError, "from: must be a Photosync::Flickr" unless from.respond_to?(:native, true)

    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    opts = { "concurrency" => Integer(concurrency), "albums" => albums ? true : false,
             "only_missing" => only_missing && File.expand_path(only_missing.to_s),
             "calls_per_hour" => Integer(calls_per_hour) }
    events = block && proc { |h| block.call(RestoreEvent.new(**h)) }
    RestoreReport.new(**_restore_flickr(File.expand_path(dir.to_s), catalog_path, from.send(:native), opts, events))
  end
end
