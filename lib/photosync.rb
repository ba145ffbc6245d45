# frozen_string_literal: true

require_relative "photosync/version"
require_relative "photosync/error"
require_relative "photosync/run_lock"

# Loads the native extension: first where precompiled gems put it, then the plain
# place `rake compile` and `gem install` use. Only a missing versioned path falls
# through; any other LoadError (an undefined symbol) is real and is raised.
begin
  require "photosync/#{RUBY_VERSION[/\d+\.\d+/]}/photosync"
rescue LoadError => e
  raise unless e.path == "photosync/#{RUBY_VERSION[/\d+\.\d+/]}/photosync"

  require "photosync/photosync"
end

require_relative "photosync/time_parts"
require_relative "photosync/photo"
require_relative "photosync/exif"
require_relative "photosync/scan"
require_relative "photosync/emulator_control"
require_relative "photosync/emulator"
require_relative "photosync/google_photos_emulator"
require_relative "photosync/flickr"
require_relative "photosync/outcomes"
require_relative "photosync/sync"
require_relative "photosync/google_photos"
require_relative "photosync/dates"
require_relative "photosync/restore"
require_relative "photosync/account"
require_relative "photosync/status"
require_relative "photosync/report"
require_relative "photosync/archive"
require_relative "photosync/s3"
require_relative "photosync/import"

# photosync: rsync for Flickr. See docs/ruby-api.md for the API; the heavy work runs in the
# native extension (lib/photosync/photosync.so, built from ext/ and src/).
module Photosync
  # MD5 of a file's bytes as 32 lowercase hex digits: the value of the old script's
  # `checksum:md5=` machine tag. Raises Photosync::FileError when unreadable.
  def self.md5(path)
    _md5(path.to_s)
  end

  # Writes the generated sample library into dir; returns the number of files written.
  def self.samples(dir, seed: 1)
    files, _bytes = _samples(dir.to_s, seed)
    files
  end
end
