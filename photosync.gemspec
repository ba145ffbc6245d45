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
  # From its source tree (Bundler's `gemspec`, `irb -Ilib`) the extension is built in place by
  # `rake compile`, which marks it built in tmp/extension; without this RubyGems looks for the
  # mark outside the tree and warns "extensions are not built". An installed gem's spec does
  # not keep this line's effect.
  spec.extension_dir = File.join(__dir__, "tmp", "extension") if File.exist?(File.join(__dir__, "Cargo.toml"))
end
