# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync report --html FILE [DIR]`: one self-contained page showing where every
    # photo lives.
    class Report < Command
      private

      def options(o)
        @opts = { catalog: :default, rules: :default, html: nil }
        o.banner = "usage: photosync report --html FILE [DIR] [--rules FILE] [--catalog PATH]"
        o.on("--html FILE", "write the report to FILE (one page, no external files)") do |v|
          @opts[:html] = Check.path("--html", v)
        end
        o.on("--rules FILE", "date rules for the date review (default #{Photosync::Dates.default_rules_path})") do |v|
          @opts[:rules] = Check.path("--rules", v)
        end
        catalog_option(o, @opts)
      end

      def run(argv)
        raise Usage, "missing --html FILE" unless @opts[:html]

        dir = argv.shift
        no_more_arguments(argv)
        bar = ProgressBar.new(@err, "scan")
        r = Photosync.report(dir, html: @opts[:html], catalog: @opts[:catalog], rules: @opts[:rules]) do |*p|
          bar.update(*p)
        end
        bar.finish if dir
        print_report(r)
        0
      end

      def print_report(r)
        three = r.by_copies.select { |k, _| k >= 3 }.values.sum
        @out.puts("#{r.html}: #{r.photos} photos (#{three} with 3+ copies, #{r.by_copies[2] || 0} with 2, " \
                  "#{r.single_copy} with 1 or none), #{r.errors} file errors, #{r.suspicious} suspicious dates " \
                  "(#{r.thumbnails} thumbnails)")
      end
    end
  end
end
