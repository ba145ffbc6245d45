# frozen_string_literal: true

module Photosync
  class CLI
    # A verify's findings, one line each, and their counts (verify archive: and s3://), in
    # the words of the including class's WORDS: checked, what was done with each file
    # ("files read"); changed, made: as for print_problems; again, what the next sync does
    # about what is wrong.
    module Findings
      private

      # The report as JSON (--json) or its findings; the exit status.
      def tell_findings(report)
        @opts[:json] ? @out.puts(JSON.generate(report.to_h)) : print_findings(report, **self.class::WORDS)
        report.ok? ? 0 : 2
      end

      def print_findings(r, checked:, changed:, made:, again:)
        @out.puts(format("%<dest>s: %<n>d #{checked} (%<bytes>s) in %<secs>.1f s: %<verdict>s",
                         dest: r.destination, n: r.checked, bytes: Format.bytes(r.bytes), secs: r.elapsed,
                         verdict: r.ok? ? "all intact" : "PROBLEMS FOUND"))
        print_problems(r, changed, made)
        return if r.missing.empty? && r.corrupted.empty?

        @out.puts("the next `photosync sync --to #{r.destination}` #{again}")
      end

      # A verify's findings, one line each, and their counts; changed: what a copy with
      # other bytes is called, made: how it was made (copied, uploaded).
      def print_problems(r, changed, made)
        r.missing.each { |p| @out.puts("  missing: #{p}") }
        r.corrupted.each { |p, want, got| @out.puts("  #{changed}: #{p} (MD5 #{got}, #{made} as #{want})") }
        r.unknown.each { |p| @out.puts("  unknown: #{p}") }
        r.unreadable.each { |p, msg| @out.puts("  unreadable: #{p}: #{msg}") }
        r.temporaries.each { |p| @out.puts("  leftover temporary (removed by the next sync): #{p}") }
        @out.puts(format("%<m>d missing, %<c>d #{changed}, %<u>d unknown, %<r>d unreadable",
                         m: r.missing.size, c: r.corrupted.size, u: r.unknown.size, r: r.unreadable.size))
      end
    end

    # `photosync verify archive:PATH`: reads every file of an archive again and compares
    # it with the catalog. Exit status 0 when all is well, 2 when anything is missing,
    # corrupted, unknown or unreadable.
    class VerifyArchive < Command
      include Findings

      WORDS = { checked: "files read", changed: "corrupted", made: "copied",
                again: "copies the missing and corrupted ones again " \
                       "(corrupted files are moved aside under .photosync/changed/, never deleted)" }.freeze

      private

      def options(o)
        @opts = { catalog: :default, json: false, threads: 4 }
        o.banner = "usage: photosync verify archive:PATH [--catalog PATH] [-j N] [--json]"
        catalog_option(o, @opts)
        number_option(o, @opts, ["-j", "--threads N"], :threads, "files read at once (default 4)", whole: 1..256)
        o.on("--json", "print the report as JSON") { @opts[:json] = true }
      end

      def run(argv)
        archive = Archive.parse(argv.shift.to_s) or raise Usage, "missing archive:PATH"
        no_more_arguments(argv)
        bar = ProgressBar.new(@err, "verify")
        report = archive.verify(catalog: @opts[:catalog], threads: @opts[:threads]) do |p|
          bar.update(p.files_done, p.files_total, p.bytes_done, p.bytes_total)
        end
        bar.finish
        tell_findings(report)
      end
    end
  end
end
