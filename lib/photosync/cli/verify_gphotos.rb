# frozen_string_literal: true

require "photosync/credentials_gphotos"

module Photosync
  # `photosync verify gphotos DIR`: the app's Google Photos items against the catalog.
  class CLI
    private

    def verify_gphotos(argv)
      opts = { catalog: :default }
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync verify gphotos DIR [--catalog PATH]"
        o.on("--catalog PATH", "catalog file (default #{Photosync.default_catalog_path})") { |v| opts[:catalog] = v }
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      dir = argv.shift or return fail_with(parser.banner, 1)
      creds = Credentials.gphotos
      return fail_with("not logged in to Google Photos; run `photosync login gphotos`", 1) if creds[:refresh_token].to_s.empty?

      r = GooglePhotos.new(**creds).verify(dir, catalog: opts[:catalog])
      @out.puts("#{r.items} items in Google Photos (listed, not downloaded: Google's copies are recompressed " \
                "and lose GPS, so bytes are never compared); #{r.rebuilt} records rebuilt from descriptions")
      @out.puts("#{r.missing.size} local photos missing, #{r.lost_checksum.size} items lost their checksum, " \
                "#{r.unknown.size} items photosync does not know")
      r.missing.each { |p| @out.puts("  missing: #{p}") }
      if r.forgotten.positive?
        @out.puts("#{r.forgotten} items gone from the app: forgotten, the next sync uploads them again")
      end
      r.lost_checksum.each { |id, name| @out.puts("  no checksum: #{name} (#{id})") }
      r.unknown.each { |id, name| @out.puts("  unknown: #{name} (#{id})") }
      r.ok? ? 0 : 2
    end
  end
end
