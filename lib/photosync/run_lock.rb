# frozen_string_literal: true

# How a run that writes takes the catalog's lock (docs/locking.md).
module Photosync
  # What a run that writes (sync, restore, adopt, delete_duplicates, Dates.apply) tells
  # the core about itself for the catalog's lock: whether to wait for another run that
  # holds it (wait: false raises Photosync::LockedError at once), and the command that
  # names this run to the others ("photosync sync ~/Pictures", "rake backup", ...).
  # See docs/locking.md.
  def self.run_options(wait)
    { "wait" => wait ? true : false, "command" => [File.basename($PROGRAM_NAME), *ARGV].join(" ") }
  end
end
