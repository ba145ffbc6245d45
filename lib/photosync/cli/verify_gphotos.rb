# frozen_string_literal: true

require "photosync/credentials_gphotos"

module Photosync
  class CLI
    # `photosync verify gphotos DIR`: the app's Google Photos items against the catalog;
    # lost records are rebuilt from the items' descriptions.
    class VerifyGphotos < Command
      private

      def options(o)
        @opts = { catalog: :default }
        o.banner = "usage: photosync verify gphotos DIR [--catalog PATH]"
        catalog_option(o, @opts)
      end

      def run(argv)
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        creds = Credentials.gphotos
        if creds[:refresh_token].to_s.empty?
          return fail_with("not logged in to Google Photos; run `photosync login gphotos`", 1)
        end

        # It rebuilds a lost catalog from the items' descriptions: a new one is said.
        note_new_catalog(@opts)
        r = GooglePhotos.new(**creds).verify(dir, catalog: @opts[:catalog])
        print_verify(r)
        r.ok? ? 0 : 2
      end

      def print_verify(r)
        @out.puts("#{r.items} items in Google Photos (listed, not downloaded: Google's copies are recompressed " \
                  "and lose GPS, so bytes are never compared); #{r.rebuilt} records rebuilt from descriptions" \
                  "#{catalog_note}")
        @out.puts("#{r.missing.size} local photos missing, #{r.lost_checksum.size} items lost their checksum, " \
                  "#{r.unknown.size} items photosync does not know")
        r.missing.each { |p| @out.puts("  missing: #{p}") }
        if r.forgotten.positive?
          @out.puts("#{r.forgotten} items gone from the app: forgotten, the next sync uploads them again")
        end
        r.lost_checksum.each { |id, name| @out.puts("  no checksum: #{name} (#{id})") }
        r.unknown.each { |id, name| @out.puts("  unknown: #{name} (#{id})") }
      end
    end
  end
end
