# frozen_string_literal: true

module Photosync
  # `photosync sync DIR --to archive:PATH [--to flickr]`: one scan, then every
  # destination, with a summary line per destination.
  class CLI
    private

    # archive_opts: Archive.new's layout: and write_dates:.
    def sync_to(dir, specs, archive_opts, opts)
      destinations = specs.uniq.map do |spec|
        next Flickr.new(**Credentials.current) if spec == "flickr"

        Archive.parse(spec, **archive_opts) or
          raise OptionParser::InvalidArgument, "--to #{spec} (use flickr or archive:PATH)"
      end
      reports = run_sync_to(dir, destinations, opts.except(:json))
      @out.puts(JSON.generate(reports.to_h)) if opts[:json]
      reports.ok? ? 0 : 2
    end

    def run_sync_to(dir, destinations, settings)
      bars = {}
      reports = Photosync.sync(dir, to: destinations, **settings) do |e|
        next unless e.is_a?(ArchiveEvent)

        case e.kind
        when :planned
          @out.puts("#{e.destination}: #{e.to_copy} to copy (#{Format.bytes(e.bytes)}), " \
                    "#{e.already_there} already there, #{e.duplicates} local duplicates")
          bars[e.destination] = [ProgressBar.new(@err, "archive"), e.to_copy, 0]
        when :copied, :failed
          bar = bars[e.destination] or next
          bar[2] += 1
        when :progress
          bar = bars[e.destination] or next
          bar[0].update(bar[2], bar[1], e.bytes_done, e.bytes_total)
        when :finished
          bars[e.destination]&.first&.finish
        end
      end
      reports.each { |_name, report| report.is_a?(ArchiveReport) ? print_archive_summary(report) : print_sync_summary(report) }
      reports.failures.each { |name, error| @out.puts("#{name}: failed: #{error.message}") }
      reports
    end

    def print_archive_summary(r)
      @out.puts(format("%<dest>s: %<n>d copied (%<bytes>s), %<skip>d skipped, %<fail>d failed%<extra>s; %<secs>.1f s",
                       dest: r.destination, n: r.copied, bytes: Format.bytes(r.bytes), skip: r.skipped,
                       fail: r.failed, secs: r.elapsed,
                       extra: (r.adopted.positive? ? ", #{r.adopted} found already there" : "") +
                              (r.cleaned.positive? ? ", #{r.cleaned} leftover temporaries removed" : "") +
                              (r.redated.positive? ? ", #{r.redated} with corrected dates written" : "")))
      r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
    end
  end
end
