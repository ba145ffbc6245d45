# frozen_string_literal: true

require_relative "lib/photosync/version"

Gem::Specification.new do |spec|
  spec.name = "photosync"
  spec.version = Photosync::VERSION
  spec.summary = "rsync for Flickr: back up a photo library without duplicates, with a Rust core"
  spec.description = "Scans a photo library (MD5 + EXIF in one read), keeps a catalog, and syncs it to " \
                     "Flickr and other destinations. Flickraw-compatible Ruby API."
  spec.authors = ["photosync developers"]
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.1"
  # The whole Rust workspace ships, so `gem install` can compile it; never lib/**/*
  # wholesale, which would pack a stale photosync.so.
  spec.files = Dir["lib/**/*.rb", "ext/**/*.{rb,rs,toml}", "src/**/*.rs", "exe/*",
                   "Cargo.toml", "Cargo.lock", "README.md", "docs/*.md"]
  spec.bindir = "exe"
  spec.executables = ["photosync"]
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/photosync/extconf.rb"]
end
