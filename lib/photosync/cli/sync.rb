# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync sync DIR [--to DEST]...`: the library backed up, every photo once on every
    # destination. Flickr alone and Google Photos alone keep their one-destination plan and
    # summary lines; several destinations run as SyncTo.
    class Sync < Command
      include SyncTo

      private

      def options(o)
        @opts = { catalog: :default, dry_run: false, concurrency: 4, privacy: :family, json: false, tags: [] }
        @dests = []
        @archive_opts = { layout: Archive::DEFAULT_LAYOUT, write_dates: false, storage_class: nil }
        o.banner = "usage: photosync sync DIR [--to flickr|gphotos|archive:PATH|s3://BUCKET/PREFIX]... " \
                   "[--layout PATTERN] [--archive-write-dates] [--s3-storage-class CLASS] " \
                   "[--rules FILE] [--catalog PATH] " \
                   "[--dry-run] [-j N] [--calls-per-hour N] " \
                   "[--privacy private|family|friends|friends_and_family|public] [--tag T] " \
                   "[--albums none|folders] [--title TEMPLATE] [--async] [--replace-edited] " \
                   "[--gphotos-checksum description|none] [--verify] [--json] [--no-wait]"
        destination_options(o)
        run_options(o)
        upload_options(o)
        o.on("--verify", "read every destination's whole index first and make lost copies again") do
          @opts[:verify] = true
        end
        o.on("--json", "print only the report as JSON on stdout (the rest on stderr)") { @opts[:json] = true }
        no_wait_option(o, @opts)
      end

      # Where the copies go, and how the archive and the bucket lay them out.
      def destination_options(o)
        o.on("--to DEST", "flickr (default), gphotos, archive:PATH or s3://BUCKET/PREFIX; repeat for several") do |v|
          @dests << Check.destination(v)
        end
        o.on("--layout PATTERN",
             "where archive copies and bucket objects go (default #{Archive::DEFAULT_LAYOUT}; " \
             "see docs/destinations.md)") do |v|
          @archive_opts[:layout] = Check.layout(v)
        end
        o.on("--archive-write-dates", "write rule-corrected dates into the archive copies (never the originals)") do
          @archive_opts[:write_dates] = true
        end
        o.on("--s3-storage-class CLASS",
             "storage class of new objects: STANDARD, STANDARD_IA, GLACIER_IR, DEEP_ARCHIVE...") do |v|
          @archive_opts[:storage_class] = Check.storage_class(v)
        end
        o.on("--rules FILE", "date rules (default #{Photosync::Dates.default_rules_path}, if there)") do |v|
          @opts[:date_rules] = Check.path("--rules", v)
        end
        catalog_option(o, @opts)
      end

      # What each upload looks like on Flickr and Google Photos.
      def upload_options(o)
        o.on("--privacy P", "who sees new uploads: #{PRIVACY.join(', ')} (default family)") do |v|
          @opts[:privacy] = Check.choice("--privacy", v, PRIVACY.map(&:to_s)).to_sym
        end
        o.on("--tag T", "an extra tag for every upload (repeatable)") { |v| @opts[:tags] << v }
        o.on("--albums MODE", "folders: one album per folder (default none)") do |v|
          @opts[:albums] = Check.choice("--albums", v, ALBUMS.map(&:to_s)).to_sym
        end
        o.on("--title TEMPLATE", "upload titles from {stem} {name} {ext} {folder} {date} (default {stem})") do |v|
          @opts[:title] = Check.title(v)
        end
        o.on("--async", "upload asynchronously and poll Flickr's tickets") { @opts[:async] = true }
        o.on("--replace-edited", "replace the Flickr file of photos edited since upload") do
          @opts[:replace_edited] = true
        end
        o.on("--gphotos-checksum MODE", "description (default): end each description with the MD5; none") do |v|
          @gphotos_checksum = Check.choice("--gphotos-checksum", v, GooglePhotos::CHECKSUMS.map(&:to_s)).to_sym
        end
      end

      # How much the run does at once, or whether it only plans.
      def run_options(o)
        o.on("--dry-run", "show the plan, change nothing") { @opts[:dry_run] = true }
        number_option(o, @opts, ["-j", "--jobs N"], :concurrency, "uploads in flight (default 4)", whole: 1..256)
        calls_per_hour_option(o, @opts)
      end

      def run(argv)
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        note_new_catalog(@opts)
        @dry_run = @opts[:dry_run]
        gphotos = @dests.uniq == ["gphotos"]
        return sync_to(dir, @dests, @archive_opts, @opts) unless gphotos || @dests.uniq.difference(["flickr"]).empty?

        report = gphotos ? sync_gphotos(dir) : sync_flickr(dir)
        json_out.puts(JSON.generate(report.to_h)) if @opts[:json]
        report.ok? ? 0 : 2
      end

      def sync_flickr(dir)
        settings = @opts.except(:json)
        # Each upload is an API call: the ETA never beats the key's budget.
        pace = 3600.0 / (settings[:calls_per_hour] || 3600)
        report = sync_alone(dir, flickr_client, settings, "on Flickr",
                            -> { ProgressBar.new(@err, "sync", seconds_per_file: pace) })
        print_sync_summary(report)
        report
      end

      # Google Photos' events carry no bytes: its bar goes by files.
      def sync_gphotos(dir)
        settings = @opts.slice(:catalog, :dry_run, :concurrency, :albums, :date_rules, :wait, :verify)
        report = sync_alone(dir, gphotos_destination, settings, "in Google Photos",
                            -> { ProgressBar.new(@err, "gphotos") }, counted: false)
        print_gphotos_summary(report)
        report
      end

      # A sync to one destination: its plan line (held: where the copies already there are)
      # and a progress bar on stderr, made by new_bar once the plan is known; counted: the
      # bar counts the uploads' bytes and retries.
      def sync_alone(dir, dest, settings, held, new_bar, counted: true)
        bar = nil
        report = Photosync.sync(dir, to: dest, **settings) do |e|
          case e.kind
          when :planned
            @out.puts("plan: #{e.to_upload} to upload (#{Format.bytes(e.bytes)}), #{e.already_there} already " \
                      "#{held}, #{e.duplicates} local duplicates#{catalog_note}")
            remember_plan("", e.to_upload, e.bytes)
            bar = SyncProgress::Bar.new(new_bar.call, e.to_upload, 0, 0, e.bytes, 0)
          when :uploaded, :failed, :refused then bar&.advance(counted ? e.bytes.to_i : 0)
          when :retried then bar&.retried if counted
          end
        end
        bar&.bar&.finish
        report
      end
    end
  end
end
