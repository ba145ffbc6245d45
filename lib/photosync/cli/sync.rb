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
        o.on("-j", "--jobs N", "uploads in flight (default 4)") do |v|
          @opts[:concurrency] = Check.int("-j/--jobs", v, min: 1, max: 256)
        end
        calls_per_hour_option(o, @opts)
      end

      def run(argv)
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        note_new_catalog(@opts)
        @dry_run = @opts[:dry_run]
        return sync_gphotos(dir, @opts.except(:calls_per_hour)) if @dests.uniq == ["gphotos"]
        return sync_to(dir, @dests, @archive_opts, @opts) unless @dests.uniq.difference(["flickr"]).empty?

        report = run_sync(dir, flickr_client, @opts.except(:json))
        json_out.puts(JSON.generate(report.to_h)) if @opts[:json]
        report.ok? ? 0 : 2
      end

      def run_sync(dir, flickr, settings)
        bar = nil
        done = 0
        bytes = 0
        retries = 0
        report = Photosync.sync(dir, to: flickr, **settings) do |e|
          case e.kind
          when :planned
            @out.puts("plan: #{e.to_upload} to upload (#{Format.bytes(e.bytes)}), " \
                      "#{e.already_there} already on Flickr, #{e.duplicates} local duplicates#{catalog_note}")
            remember_plan("", e.to_upload, e.bytes)
            bar = [paced_bar(settings), e.to_upload, e.bytes]
          when :uploaded, :failed, :refused, :retried
            e.kind == :retried ? retries += 1 : done += 1
            bytes += e.bytes.to_i
            bar&.first&.update(done, bar[1], bytes, bar[2], retries: retries)
          end
        end
        bar&.first&.finish
        print_sync_summary(report)
        report
      end

      # Each upload is an API call: the ETA never beats the key's budget.
      def paced_bar(settings)
        ProgressBar.new(@err, "sync", seconds_per_file: 3600.0 / (settings[:calls_per_hour] || 3600))
      end

      def sync_gphotos(dir, opts)
        dest = gphotos_destination
        done = 0
        bar = nil
        settings = opts.slice(:catalog, :dry_run, :concurrency, :albums, :date_rules, :wait, :verify)
        report = Photosync.sync(dir, to: dest, **settings) do |e|
          case e.kind
          when :planned
            @out.puts("plan: #{e.to_upload} to upload (#{Format.bytes(e.bytes)}), #{e.already_there} already in " \
                      "Google Photos, #{e.duplicates} local duplicates#{catalog_note}")
            remember_plan("", e.to_upload, e.bytes)
            bar = [ProgressBar.new(@err, "gphotos"), e.to_upload, e.bytes]
          when :uploaded, :failed, :refused
            done += 1
            bar&.first&.update(done, bar[1], 0, bar[2])
          end
        end
        bar&.first&.finish
        print_gphotos_summary(report)
        json_out.puts(JSON.generate(report.to_h)) if opts[:json]
        report.ok? ? 0 : 2
      end
    end
  end
end
