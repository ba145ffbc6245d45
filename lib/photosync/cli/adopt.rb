# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync adopt flickr`: photos other tools uploaded get their checksum tag, so
    # sync never uploads them again.
    class Adopt < Command
      private

      def options(o)
        @opts = { catalog: :default, concurrency: 4 }
        o.banner = "usage: photosync adopt flickr [-j N] [--calls-per-hour N] [--catalog PATH] [--no-wait]"
        number_option(o, @opts, ["-j", "--jobs N"], :concurrency, "originals read at once (default 4)", whole: 1..256)
        calls_per_hour_option(o, @opts)
        catalog_option(o, @opts)
        no_wait_option(o, @opts)
      end

      def run(argv)
        raise Usage, "missing `flickr` (photosync adopt flickr)" unless argv.shift == "flickr"

        no_more_arguments(argv)
        r = adopt
        @out.puts("#{r.adopted} adopted, #{r.failed} failed; #{r.api_calls} API calls")
        r.errors.each { |id, msg| @out.puts("  error: photo #{id}: #{msg}") }
        r.ok? ? 0 : 2
      end

      def adopt
        bar = nil
        done = 0
        r = Photosync.adopt(flickr_client, **@opts) do |e|
          case e.kind
          when :planned
            @out.puts("#{e.untagged} photos without a checksum tag, #{e.tagged} tagged already")
            bar = [ProgressBar.new(@err, "adopt"), e.untagged]
          else
            bar&.first&.update(done += 1, bar[1], 0, nil)
          end
        end
        bar&.first&.finish
        r
      end
    end
  end
end
