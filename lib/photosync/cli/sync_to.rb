# frozen_string_literal: true

module Photosync
  # `photosync sync DIR --to flickr --to gphotos --to archive:PATH`: one scan, then every
  # destination, with a plan and a summary line per destination, each line starting with
  # the destination's name. A destination that could not go on gets a "failed" line; the
  # others' work is recorded, and the exit status is 2.
  class CLI
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

    # What a dry run's plan said, by the prefix its summary lines get.
    def remember_plan(prefix, count, bytes)
      (@planned ||= {})[prefix] = [count.to_i, bytes.to_i]
    end

    # A dry run changes nothing: its summary says what the run would do (verb: upload, copy).
    def dry_run_summary(prefix, verb, report)
      n, bytes = @planned.to_h.fetch(prefix, [0, 0])
      @out.puts("#{prefix}would #{verb} #{n} (#{Format.bytes(bytes)}), #{report.skipped} skipped; " \
                "dry run, nothing changed")
      report.not_taken.to_a.each { |path, why| @out.puts("  not taken: #{path}: #{why}") }
      report.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
    end

    def print_destination_summary(name, report)
      case report
      when ArchiveReport then print_archive_summary(report)
      when S3Report then print_s3_summary(report)
      when GooglePhotosReport then print_gphotos_summary(report, "#{name}: ")
      else print_sync_summary(report, "#{name}: ")
      end
    end

    # bars: destination => [ProgressBar, total, done, bytes done, bytes total]
    def archive_progress(e, bars)
      case e.kind
      when :planned
        @out.puts("#{e.destination}: #{e.to_copy} to copy (#{Format.bytes(e.bytes)}), " \
                  "#{e.already_there} already there, #{e.duplicates} local duplicates")
        remember_plan("#{e.destination}: ", e.to_copy, e.bytes)
        bars[e.destination] = [ProgressBar.new(@err, "archive"), e.to_copy, 0, 0, e.bytes]
      when :copied, :failed
        bar = bars[e.destination] or return
        bar[2] += 1
        bar[0].update(bar[2], bar[1], bar[3], bar[4])
      when :progress
        bar = bars[e.destination] or return
        bar[3..4] = [e.bytes_done, e.bytes_total]
        bar[0].update(bar[2], bar[1], bar[3], bar[4])
      when :finished
        bars[e.destination]&.first&.finish
      end
    end

    def upload_progress(e, bars)
      case e.kind
      when :scanned
        @out.puts("scan: #{e.scan[:media]} photos and videos (#{Format.bytes(e.scan[:bytes])}), " \
                  "#{e.scan[:hashed]} read#{catalog_note}")
      when :planned
        @out.puts("#{e.destination}: #{e.to_upload} to upload (#{Format.bytes(e.bytes)}), " \
                  "#{e.already_there} already there, #{e.duplicates} local duplicates")
        remember_plan("#{e.destination}: ", e.to_upload, e.bytes)
        bars[e.destination] = [ProgressBar.new(@err, e.destination), e.to_upload, 0, 0, e.bytes]
      when :uploaded, :failed, :refused
        bar = bars[e.destination] or return
        bar[2] += 1
        bar[3] += e.bytes.to_i
        bar[0].update(bar[2], bar[1], bar[3], bar[4])
      when :finished
        bars[e.destination]&.first&.finish
      end
    end

    def print_archive_summary(r)
      return dry_run_summary("#{r.destination}: ", "copy", r) if @dry_run

      @out.puts(format("%<dest>s: %<n>d copied (%<bytes>s), %<skip>d skipped, %<fail>d failed%<extra>s; %<secs>.1f s",
                       dest: r.destination, n: r.copied, bytes: Format.bytes(r.bytes), skip: r.skipped,
                       fail: r.failed, secs: r.elapsed,
                       extra: (r.adopted.positive? ? ", #{r.adopted} found already there" : "") +
                              (r.cleaned.positive? ? ", #{r.cleaned} leftover temporaries removed" : "") +
                              (r.redated.positive? ? ", #{r.redated} with corrected dates written" : "")))
      print_healed(r, "#{r.destination}: ")
      root = r.destination.delete_prefix("archive:")
      r.moved_aside.each { |p| @out.puts("  changed copy moved aside (kept): #{File.join(root, p)}") }
      print_outcomes(r, "#{r.destination}: ")
      r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
    end
  end
end
