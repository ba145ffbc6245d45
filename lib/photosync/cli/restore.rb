# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync restore DIR`: the Flickr account, an archive, a bucket or (lossy) Google
    # Photos back into a folder.
    class Restore < Command
      private

      BANNER = "usage: photosync restore --from flickr|archive:PATH|s3://BUCKET/PREFIX|gphotos DIR [--albums] " \
               "[--only-missing DIR2] [--accept-lossy] [--thaw] [-j N] [--calls-per-hour N] [--catalog PATH] " \
               "[--json] [--no-wait]"

      def options(o)
        @opts = { catalog: :default, concurrency: 4, albums: false, only_missing: nil, json: false }
        @from = "flickr"
        o.banner = BANNER
        o.on("--from SOURCE",
             "where to restore from: flickr (default), archive:PATH, s3://BUCKET/PREFIX, or gphotos") do |v|
          @from = restore_source_option(v)
        end
        source_options(o)
        o.on("--albums", "one folder per album instead of YYYY/MM/DD") { @opts[:albums] = true }
        o.on("--only-missing DIR2", "only what DIR2 held once and no longer holds") do |v|
          @opts[:only_missing] = Check.path("--only-missing", v)
        end
        number_option(o, @opts, ["-j", "--jobs N"], :concurrency, "downloads at once (default 4)", whole: 1..256)
        calls_per_hour_option(o, @opts)
        catalog_option(o, @opts)
        o.on("--json", "print only the report as JSON on stdout (the rest on stderr)") { @opts[:json] = true }
        no_wait_option(o, @opts)
      end

      # What only one kind of source takes.
      def source_options(o)
        o.on("--accept-lossy", "with --from gphotos: take Google's recompressed copies (named *.lossy.*)") do
          @opts[:accept_lossy] = true
        end
        o.on("--thaw", "with --from s3://: ask for the thaw of objects in GLACIER or DEEP_ARCHIVE") do
          @opts[:thaw] = true
        end
      end

      def run(argv)
        # What DIR2 held once is known from the catalog only.
        require_catalog(@opts) if @opts[:only_missing]
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        source = @from == "flickr" ? flickr_client : other_source
        return source if source.is_a?(Integer)

        report = run_restore(dir, source, settings)
        json_out.puts(JSON.generate(report.to_h)) if @opts[:json]
        report.ok? ? 0 : 2
      end

      # An archive, a bucket or Google Photos; an exit status when there is none to use.
      def other_source
        return fail_with(Photosync._gphotos_restore_refusal, 1) if @from == "gphotos" && !@opts[:accept_lossy]

        source = @from == "gphotos" ? gphotos_source : Archive.parse(@from) || S3.parse(@from)
        source || fail_with(BANNER, 1)
      end

      # The options the source takes.
      def settings
        opts = @opts.except(:json)
        opts.delete(:accept_lossy) unless @from == "gphotos"
        opts.delete(:thaw) unless @from.start_with?("s3://")
        opts.delete(:calls_per_hour) unless @from == "flickr"
        opts
      end

      def restore_source_option(value)
        return value if value.start_with?("archive:") && value.size > 8
        return Check.s3_url(value) if value.start_with?("s3://")

        Check.choice("--from", value, %w[flickr gphotos archive:PATH s3://BUCKET/PREFIX])
      end

      def gphotos_source
        creds = Credentials.gphotos
        if creds[:refresh_token].to_s.empty?
          return fail_with("not logged in to Google Photos; run `photosync login gphotos`", 1)
        end

        GooglePhotos.new(**creds)
      end

      def run_restore(dir, source, settings)
        bar = nil
        done = 0
        bytes = 0
        report = Photosync.restore(dir, from: source, **settings) do |e|
          case e.kind
          when :planned
            @out.puts("plan: #{e.to_download} to download, #{e.already_there} already in #{dir} or not asked for")
            bar = [ProgressBar.new(@err, "restore"), e.to_download]
          when :frozen then @out.puts(frozen_line(e))
          when :downloaded, :mismatch, :failed
            done += 1
            bytes += e.bytes.to_i
            bar&.first&.update(done, bar[1], bytes, nil)
          end
        end
        bar&.first&.finish
        print_restore(report)
        report
      end

      def print_restore(report)
        @out.puts(format("%<down>d downloaded (%<bytes>s), %<skip>d skipped, %<mis>d differ from their tag, " \
                         "%<fail>d failed, %<unv>d without a tag to check; %<calls>d API calls; %<secs>.1f s",
                         down: report.downloaded, bytes: Format.bytes(report.bytes), skip: report.skipped,
                         mis: report.mismatched, fail: report.failed, unv: report.unverified,
                         calls: report.api_calls, secs: report.elapsed))
        if report.lossy.positive?
          @out.puts("#{report.lossy} of them are Google Photos' recompressed copies, not originals (named *.lossy.*)")
        end
        if report.catalog_from
          @out.puts("no catalog was found: the catalog's copy #{report.catalog_from} became the catalog, " \
                    "so the photos came back at their paths")
        end
        report.errors.each { |id, msg| @out.puts("  error: photo #{id}: #{msg}") }
      end

      # One line, before any download, for the objects a bucket must thaw first.
      def frozen_line(event)
        line = "#{event.frozen} objects are in GLACIER or DEEP_ARCHIVE and need a thaw before they can be downloaded"
        return "#{line}: run again with --thaw, then restore once thawed (hours)" if event.thawing.zero?

        asked = event.thaw_requested.positive? ? ", #{event.thaw_requested} asked for now" : ""
        "#{line}: #{event.thawing} thawing#{asked} (#{Photosync::S3_THAW_DAYS} days readable once thawed); " \
          "restore again in a few hours"
      end
    end
  end
end
