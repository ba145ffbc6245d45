# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync scan [DIR]`: the library read into the catalog (MD5 and EXIF), and what
    # it holds; without DIR, a sample library photosync generates.
    class Scan < Command
      private

      def options(o)
        @opts = { catalog: :default, json: false, threads: 0 }
        o.banner = "usage: photosync scan [DIR] [--catalog PATH] [--json] [-j N]"
        catalog_option(o, @opts)
        o.on("--json", "print one JSON object per photo") { @opts[:json] = true }
        number_option(o, @opts, ["-j", "--threads N"], :threads, "files read at once (default: one per core)",
                      whole: 1..256)
      end

      def run(argv)
        dir = argv.shift
        no_more_arguments(argv)
        dir ||= sample_library(@opts)
        bar = ProgressBar.new(@err, "scan")
        result = Photosync.scan(dir, catalog: @opts[:catalog], threads: @opts[:threads]) do |p|
          bar.update(p.files_done, p.files_total, p.bytes_done, p.bytes_total)
        end
        bar.finish
        result.each { |photo| @out.puts(JSON.generate(photo.as_json)) } if @opts[:json]
        print_scan_summary(result, @opts[:json] ? @err : @out)
        0
      end

      def print_scan_summary(r, io)
        rate = r.elapsed.positive? ? r.bytes_read / r.elapsed : 0
        io.puts(format("%<media>d media files (%<bytes>s), %<hashed>d read, %<cached>d unchanged from the catalog, " \
                       "%<skipped>d other files skipped, %<errors>d errors",
                       media: r.media, bytes: Format.bytes(r.bytes), hashed: r.hashed, cached: r.cached,
                       skipped: r.skipped, errors: r.errors) + damaged_count(r.count(&:damaged?)))
        io.puts(format("%<secs>.2f s, %<rate>s/s read", secs: r.elapsed, rate: Format.bytes(rate)))
        r.select(&:error).each { |p| io.puts("  error: #{p.path}: #{p.error}") }
        r.select(&:damaged).each { |p| io.puts("  damaged: #{p.path}: #{p.damaged}") }
        r.notes.each { |n| io.puts("  note: #{n}") }
      end
    end
  end
end
