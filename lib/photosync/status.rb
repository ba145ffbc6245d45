# frozen_string_literal: true

require "photosync/record"

# Photosync.status: how many copies each photo has.
module Photosync
  # One photo (by MD5) and where it lives: local paths, and its remote copies as hashes
  # (backend "flickr:<nsid>" / "archive:<path>" / "gphotos:...", id, uploaded_at, and
  # checked_at/checked_by when its bytes were last confirmed).
  class PhotoCopies < Record
    fields :md5, :copies, :local, :remote
  end

  # Every photo of the catalog with its copies (only those below a count when asked so);
  # by_copies: copy count => photos; total: photos counted; damaged: the files whose format
  # says they are cut short, as { path:, reason: } (backed up all the same).
  Status = Struct.new(:photos, :by_copies, :total, :damaged, keyword_init: true) do
    def below(min_copies) = photos.select { |p| p.copies < min_copies }

    def to_h
      { by_copies: by_copies,
        photos: photos.map do |p|
          p.to_h.merge(Photosync.json_paths(p.local, :local))
        end,
        damaged: damaged.map { |d| Photosync.json_path(d[:path]).merge(reason: d[:reason]) } }
    end
  end

  # Where every photo lives, from the catalog: the photos under root (and, without
  # root, those only on a backend too). Reads the catalog only; no network.
  #   below: N lists only the photos with fewer than N copies (by_copies and total still
  #     count all): a summary of a big library without a Ruby object per photo.
  def self.status(root: nil, catalog: :default, below: nil)
    catalog_path = catalog == :default ? default_catalog_path : catalog&.to_s
    h = _status(catalog_path, root && File.expand_path(root.to_s), below && Integer(below))
    Status.new(photos: h[:photos].map { |p| PhotoCopies.new(**p) }, by_copies: h[:by_copies], total: h[:total],
               damaged: h[:damaged].map { |path, reason| { path: path, reason: reason } })
  end
end
