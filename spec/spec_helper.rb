# frozen_string_literal: true

require "photosync"
require "digest"
require "fileutils"
require "tmpdir"

FIXTURES = File.expand_path("../../shared/fixtures/exif-samples", __dir__)
abort "spec: the fixture photos are missing at #{FIXTURES} (they live in ../shared beside the checkout)" unless File.directory?(FIXTURES)

# Media files among the fixtures, relative to FIXTURES.
FIXTURE_IMAGES = Dir.chdir(FIXTURES) do
  Dir.glob("**/*").select { |f| File.file?(f) && f.match?(/\.(jpe?g|tiff?|heic|heif)\z/i) }.sort
end.freeze

module SpecHelpers
  # How often a Ruby thread counted (every 10 ms) while the block ran: a native call that
  # releases the GVL lets it count on.
  def ticks_during
    ticks = 0
    ticker = Thread.new do
      loop do
        ticks += 1
        sleep 0.01
      end
    end
    yield
    ticks
  ensure
    ticker&.kill
  end

  # A fresh temporary folder for the example, removed afterwards.
  def tmpdir
    @tmpdir ||= Dir.mktmpdir("photosync-spec")
  end

  # Relative path -> MD5 of every file under dir (an archive's lock file and its copy of
  # the catalog aside).
  def md5s_under(dir)
    Dir.glob("**/*", File::FNM_DOTMATCH, base: dir).filter_map do |rel|
      path = File.join(dir, rel)
      next unless File.file?(path) && File.basename(rel) != ".photosync.lock" && rel != Photosync::ARCHIVE_CATALOG_COPY

      [rel, Digest::MD5.file(path).hexdigest]
    end.to_h
  end

  # n copies of a fixture JPEG, each with bytes (an MD5) of its own, in tmpdir/library;
  # returns the folder.
  def distinct_photos(n)
    library = File.join(tmpdir, "library")
    FileUtils.mkdir_p(library)
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    n.times { |i| File.binwrite(File.join(library, format("photo%02d.jpg", i)), canon + "distinct #{i}") }
    library
  end

  # Copies fixture files (relative names) into dir, keeping their relative paths.
  def copy_fixtures(names, dir)
    names.each do |n|
      dest = File.join(dir, n)
      FileUtils.mkdir_p(File.dirname(dest))
      FileUtils.cp(File.join(FIXTURES, n), dest)
    end
  end
end

RSpec.configure do |c|
  c.include SpecHelpers
  c.after { FileUtils.rm_rf(@tmpdir) if @tmpdir }
  c.disable_monkey_patching!
  c.order = :random
end
