# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync dates DIR`: suspicious taken-dates grouped by camera, with the fix;
    # --apply sets the corrected dates on Flickr.
    class Dates < Command
      private

      def options(o)
        @opts = { catalog: :default, json: false, rules: :default, apply: false }
        o.banner = "usage: photosync dates DIR [--json] [--rules FILE] [--apply [--no-wait]] [--catalog PATH]"
        o.on("--json", "one JSON object per photo: path, date, source, reason, fix") { @opts[:json] = true }
        o.on("--rules FILE", "date rules to preview (default #{Photosync::Dates.default_rules_path})") do |v|
          @opts[:rules] = Check.path("--rules", v)
        end
        o.on("--apply", "set the corrected dates on Flickr (flickr.photos.setDates)") { @opts[:apply] = true }
        catalog_option(o, @opts)
        no_wait_option(o, @opts)
      end

      def run(argv)
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        findings, applied = dates_run(dir, @opts)
        if @opts[:json]
          findings.each { |f| @out.puts(JSON.generate(f.as_json)) }
        else
          print_dates(findings)
        end
        print_applied(applied, @opts[:json] ? @err : @out) if applied
        applied.nil? || applied.ok? ? 0 : 2
      end

      def dates_run(dir, opts)
        bar = ProgressBar.new(@err, "scan")
        progress = proc { |done, total, bytes_done, bytes_total| bar.update(done, total, bytes_done, bytes_total) }
        settings = { rules: opts[:rules], catalog: opts[:catalog] }
        if opts[:apply]
          report = Photosync::Dates.apply(dir, to: flickr_client, **settings, wait: opts.fetch(:wait, true),
                                          &progress)
          bar.finish
          [report.findings, report]
        else
          findings = Photosync::Dates.review(dir, **settings, &progress)
          bar.finish
          [findings, nil]
        end
      end

      def print_dates(findings)
        suspicious = findings.count(&:suspicious?)
        fixed = findings.count(&:fix)
        findings.group_by { |f| f.camera || "unknown camera" }.sort_by(&:first).each do |camera, list|
          @out.puts("== #{camera} (#{list.size})")
          list.each do |f|
            fix = f.proposed_fix
            @out.puts("  #{f.path}: #{f.date} (#{f.source})")
            @out.puts("    #{f.reason}") if f.reason
            fixed_date = fix[:date] ? "#{fix[:date]}, " : ""
            @out.puts("    #{fix[:rule] ? 'fix' : 'proposed'}: #{fixed_date}#{fix[:by]}")
          end
        end
        @out.puts("#{suspicious} suspicious dates, #{fixed} corrected by rules")
      end

      def print_applied(r, io)
        io.puts("Flickr: #{r.set} dates set, #{r.unchanged} already right, " \
                "#{r.not_uploaded.size} corrected photos not on Flickr (sync them first)")
        r.failed.each { |path, msg| io.puts("  error: #{path}: #{msg}") }
      end
    end
  end
end
