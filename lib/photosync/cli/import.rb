# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync import SRC... --into LIBRARY`: old drives brought into the library, each
    # photo once (docs/import.md). Exit status 0 when every file was read and every new
    # photo copied, 2 when a file could not be read or copied.
    class Import < Command
      private

      def options(o)
        @opts = { catalog: :default, json: false, dry_run: false, keep_smaller: false,
                  layout: Archive::DEFAULT_LAYOUT, threads: 4, timeout: 30, into: nil }
        import_options(o, @opts)
      end

      def import_options(o, opts)
        o.banner = "usage: photosync import SRC... --into LIBRARY [--layout PATTERN] [--dry-run] [--keep-smaller] " \
                   "[--json]"
        o.on("--into LIBRARY", "the library folder the photos go into (must exist)") do |v|
          opts[:into] = Check.path("--into", v)
        end
        o.on("--layout PATTERN", "where a photo goes in the library (default #{Archive::DEFAULT_LAYOUT})") do |v|
          opts[:layout] = Check.layout(v)
        end
        o.on("--dry-run", "read and plan; copy nothing") { opts[:dry_run] = true }
        o.on("--keep-smaller", "import smaller copies (resized exports) too; still listed") do
          opts[:keep_smaller] = true
        end
        number_option(o, opts, "--timeout SECONDS", :timeout,
                      "give a file up after this long without progress (default 30)", decimal: 0.1..86_400)
        number_option(o, opts, ["-j", "--threads N"], :threads, "files read or copied at once (default 4)",
                      whole: 1..64)
        catalog_option(o, opts)
        no_wait_option(o, opts)
        o.on("--json", "print the inventory as JSON") { opts[:json] = true }
      end

      def run(argv)
        sources = import_folders(argv, @opts)
        keys = %i[into layout dry_run keep_smaller threads timeout catalog wait]
        report = Photosync.import(sources, **@opts.slice(*keys), &import_progress)
        print_import(report)
        json_out.puts(JSON.generate(report.to_h)) if @opts[:json]
        report.ok? ? 0 : 2
      end

      def import_folders(argv, opts)
        raise Usage, "--into LIBRARY is required" unless opts[:into]
        raise Usage, "name at least one source folder" if argv.empty?

        (argv + [opts[:into]]).each do |dir|
          raise Usage, "#{Photosync.utf8(dir)} is not a folder" unless File.directory?(dir)
        end
        argv
      end

      # Progress on stderr (ProgressBar: redrawn on a terminal, a line now and then in a log):
      # one bar per source while it is read, then one for the copies.
      def import_progress
        bars = {}
        proc do |e|
          case e.kind
          when :reading
            bar = bars[e.source] ||= ProgressBar.new(@err, "read #{Photosync.utf8(e.source)}")
            bar.update(e.files_done, e.files_total, e.bytes_done, e.bytes_total)
            bar.finish if e.files_done == e.files_total
          when :planned
            bars[:copy] = SyncProgress::Bar.new(ProgressBar.new(@err, "copy"), e.to_copy, 0, 0, e.bytes)
          when :copied, :failed then bars[:copy]&.advance(e.bytes.to_i)
          when :finished then bars[:copy]&.bar&.finish
          end
        end
      end

      def print_import(r)
        verb = r.dry_run ? "to copy" : "copied"
        @out.puts(format("import into %<lib>s: %<n>d new photos %<verb>s (%<bytes>s), %<fail>d failed; %<secs>.1f s",
                         lib: Photosync.utf8(r.library), n: r.imported, verb: verb, bytes: Format.bytes(r.bytes),
                         fail: r.failed, secs: r.elapsed))
        r.sources.each do |s|
          @out.puts("  #{Photosync.utf8(s.source)}: #{s.files} files: #{s.new} new, #{s.in_library} already in the " \
                    "library, #{s.copies} copies, #{s.other_form} in another form, #{s.smaller} smaller copies, " \
                    "#{s.damaged} damaged, " \
                    "#{s.unreadable} unreadable#{", #{s.failed} failed" if s.failed.positive?}")
        end
        print_import_details(r)
      end

      def print_import_details(r)
        r.other_forms.each do |o|
          dates = o[:dates_differ] ? " (taken #{o[:taken]}; kept: #{o[:kept_taken]})" : ""
          kept = o[:kept_in_library] ? "the library's" : "kept"
          @out.puts("  same photo: #{Photosync.utf8(o[:path])} = #{kept} #{Photosync.utf8(o[:kept])}#{dates}")
        end
        r.smaller.each { |c| print_smaller(c) }
        r.damaged.each { |path, why| @out.puts("  damaged: #{Photosync.utf8(path)}: #{why}") }
        r.errors.each { |path, msg| @out.puts("  error: #{Photosync.utf8(path)}: #{msg}") }
        r.notes.each { |n| @out.puts("  note: #{n}") }
      end

      def print_smaller(copy)
        kept = copy[:kept_in_library] ? "the library's" : "kept"
        also = copy[:imported] ? " (imported too)" : ""
        @out.puts("  smaller copy: #{Photosync.utf8(copy[:path])} (#{copy[:size].join('x')}) of #{kept} " \
                  "#{Photosync.utf8(copy[:kept])} (#{copy[:kept_size].join('x')})#{also}")
      end
    end
  end
end
