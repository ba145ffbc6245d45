# frozen_string_literal: true

module Photosync
  # Every error photosync raises is a Photosync::Error.
  class Error < StandardError; end

  # A file could not be read (missing, permissions, I/O error).
  class FileError < Error; end

  # EXIF is present but malformed.
  class ExifError < Error; end

  # A scan could not start or go on (the folder is missing or not a folder).
  class ScanError < Error; end

  # The catalog file cannot be opened or written.
  class CatalogError < Error; end

  # A sync run could not go on (Flickr refused the credentials, the index could not be read).
  class SyncError < Error; end

  # The date rules file cannot be read or is wrong (a bad offset, an unknown key).
  class DatesError < Error; end
  # A restore could not go on (listing the account, the destination folder).
  class RestoreError < Error; end
  # An archive cannot be used: not there (drive not mounted), not a folder, in use by
  # another photosync, or not writable.
  class ArchiveError < Error; end
  # A bucket cannot be used: no credentials, an endpoint that does not answer, a bucket
  # that is not there or refuses these credentials.
  class S3Error < Error; end

  # An import cannot start or go on: a source or the library missing or not a folder,
  # a source inside the library, another photosync writing into the library.
  class ImportError < Error; end

  # The HTML report cannot be written (its folder is missing or not writable).
  class ReportError < Error; end

  # Work was cancelled before it finished; what finished is recorded.
  class Cancelled < Error; end

  # Another photosync run that writes holds the catalog, and this one was asked not to
  # wait for it (`wait: false`, `--no-wait`). The message names that run.
  class LockedError < Error; end
end
