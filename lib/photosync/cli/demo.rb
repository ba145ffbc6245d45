# frozen_string_literal: true

require "tmpdir"

module Photosync
  class CLI
    # `photosync demo [DIR]`, the README's first command: one sync to the built-in Flickr
    # and Google Photos emulators, twice; the second run uploads nothing anywhere.
    class Demo < Command
      include SyncTo

      private

      def options(o)
        o.banner = "usage: photosync demo [DIR]"
      end

      def run(argv)
        dir = argv.shift
        no_more_arguments(argv)
        dir ||= sample_library({})
        Dir.mktmpdir("photosync-demo") do |tmp|
          # The emulator's budget is raised so the demo takes seconds, not the minutes
          # Flickr's 3,600 calls an hour would (a real sync keeps to Flickr's budget).
          Photosync::Emulator.start(calls_per_hour: 1_000_000) do |flickr_emu|
            GooglePhotosEmulator.start { |gphotos_emu| twice(dir, tmp, flickr_emu, gphotos_emu) }
          end
        end
        0
      end

      def twice(dir, tmp, flickr_emu, gphotos_emu)
        @err.puts("photosync demo: built-in Flickr emulator at #{flickr_emu.endpoint}, " \
                  "Google Photos emulator at #{gphotos_emu.endpoint}")
        destinations = [Flickr.new(**flickr_emu.credentials), GooglePhotos.new(**gphotos_emu.credentials)]
        settings = { catalog: File.join(tmp, "catalog.sqlite3"), calls_per_hour: 1_000_000 }
        @out.puts("== first run")
        run_sync_to(dir, destinations, settings)
        @out.puts("== second run (nothing new)")
        run_sync_to(dir, destinations, settings)
        demo_holdings("Flickr emulator", flickr_emu.photos.map(&:md5))
        demo_holdings("Google Photos emulator", gphotos_emu.items.map(&:md5))
      end

      def demo_holdings(name, md5s)
        @out.puts("#{name} now holds #{md5s.size} photos, each once (#{md5s.uniq.size} distinct MD5s)")
      end
    end
  end
end
