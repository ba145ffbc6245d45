# frozen_string_literal: true

require "photosync/credentials_gphotos"

module Photosync
  class CLI
    # `photosync sync DIR --to flickr --to gphotos --to archive:PATH`: one scan, then every
    # destination, with a plan and a summary line per destination, each line starting with
    # the destination's name. A destination that could not go on gets a "failed" line; the
    # others' work is recorded, and the exit status is 2. (Sync and Demo run it.)
    module SyncTo
      include Summaries
      include SyncProgress

      private

      # archive_opts: Archive.new's layout: and write_dates:, S3.new's storage_class:.
      def sync_to(dir, specs, archive_opts, opts)
        destinations = specs.uniq.map do |spec|
          next flickr_client if spec == "flickr"
          next gphotos_destination if spec == "gphotos"
          next S3.parse(spec, **archive_opts.slice(:layout, :storage_class)) if spec.start_with?("s3://")

          archive_opts = archive_opts.except(:storage_class)

          Archive.parse(spec, **archive_opts) or
            raise OptionParser::InvalidArgument, "--to #{spec} (use flickr, gphotos or archive:PATH)"
        end
        reports = run_sync_to(dir, destinations, opts.except(:json))
        json_out.puts(JSON.generate(reports.to_h)) if opts[:json]
        reports.ok? ? 0 : 2
      end

      def run_sync_to(dir, destinations, settings)
        bars = {}
        reports = Photosync.sync(dir, to: destinations, **settings) do |e|
          e.is_a?(ArchiveEvent) ? archive_progress(e, bars) : upload_progress(e, bars)
        end
        reports.each { |name, report| print_destination_summary(name, report) }
        # A destination that could not go on is said on stderr too: it fails the run (exit 2).
        reports.failures.each do |name, error|
          @out.puts("#{name}: failed: #{error.message}")
          @err.puts("photosync: #{name}: #{error.message}") unless @out.equal?(@err)
        end
        reports
      end

      def gphotos_destination
        creds = Credentials.gphotos
        if creds[:refresh_token].to_s.empty?
          raise Error, "not logged in to Google Photos; run `photosync login gphotos`"
        end

        GooglePhotos.new(**creds, checksum: @gphotos_checksum || :description)
      end

      def print_destination_summary(name, report)
        case report
        when ArchiveReport then print_archive_summary(report)
        when S3Report then print_s3_summary(report)
        when GooglePhotosReport then print_gphotos_summary(report, "#{name}: ")
        else print_sync_summary(report, "#{name}: ")
        end
      end

      def print_archive_summary(r)
        return dry_run_summary("#{r.destination}: ", "copy", r) if @dry_run

        @out.puts(format("%<dest>s: %<n>d copied (%<bytes>s), %<skip>d skipped, %<fail>d failed%<extra>s; %<secs>.1f s",
                         dest: r.destination, n: r.copied, bytes: Format.bytes(r.bytes), skip: r.skipped,
                         fail: r.failed, secs: r.elapsed, extra: archive_extras(r)))
        print_healed(r, "#{r.destination}: ")
        root = r.destination.delete_prefix("archive:")
        r.moved_aside.each { |p| @out.puts("  changed copy moved aside (kept): #{File.join(root, p)}") }
        print_outcomes(r, "#{r.destination}: ")
        r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
      end

      def archive_extras(r)
        (r.adopted.positive? ? ", #{r.adopted} found already there" : "") +
          (r.cleaned.positive? ? ", #{r.cleaned} leftover temporaries removed" : "") +
          (r.redated.positive? ? ", #{r.redated} with corrected dates written" : "")
      end

      def s3_extras(r)
        (r.adopted.positive? ? ", #{r.adopted} found already there" : "") +
          (r.resumed.positive? ? ", #{r.resumed} resumed (#{Format.bytes(r.bytes_sent)} sent)" : "")
      end

      def print_s3_summary(r)
        prefix = "#{r.destination}: "
        return dry_run_summary(prefix, "upload", r) if @dry_run

        rate = r.elapsed.positive? ? r.bytes / r.elapsed : 0
        @out.puts(format("#{prefix}%<up>d uploaded (%<bytes>s), %<skip>d skipped, %<fail>d failed%<adopted>s; " \
                         "%<secs>.1f s, %<rate>s/s",
                         up: r.uploaded, bytes: Format.bytes(r.bytes), skip: r.skipped, fail: r.failed,
                         adopted: s3_extras(r),
                         secs: r.elapsed, rate: Format.bytes(rate)))
        print_healed(r, prefix)
        print_outcomes(r, prefix)
        r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
      end
    end
  end
end
