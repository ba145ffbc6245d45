# frozen_string_literal: true

module Photosync
  class CLI
    # A sync's summary lines, one set per destination: what was done, the words every
    # destination's summary ends with (docs/outcomes.md), and each file not taken or
    # refused with its reason. A dry run says what the run would do instead. Needs @out,
    # and @dry_run set by the run.
    module Summaries
      private

      # prefix: "flickr: " and the like, when several destinations' lines are printed.
      def print_outcomes(report, prefix = "")
        c = report.counts || {}
        words = [[:done, "done"], [:already_there, "already there"], [:duplicates, "local duplicates"],
                 [:not_taken, "not taken"], [:refused, "refused"], [:refused_before, "refused before"],
                 [:failed, "failed"], [:unreadable, "unreadable"]]
        @out.puts("#{prefix}#{words.map { |key, word| "#{c[key].to_i} #{word}" }.join(', ')}")
        report.not_taken.to_a.each { |path, why| @out.puts("  not taken: #{path}: #{why}") }
        report.refused.to_a.each { |path, why| @out.puts("  refused: #{path}: #{why}") }
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

      # Copies found lost (by verify, a full index read or --verify) that this run made again.
      def print_healed(r, prefix = "")
        @out.puts("#{prefix}#{r.healed} lost copies made again") if r.healed.to_i.positive?
      end

      # prefix: "flickr: " when other destinations' lines are printed too.
      def print_sync_summary(r, prefix = "")
        return dry_run_summary(prefix, "upload", r) if @dry_run

        rate = r.elapsed.positive? ? r.bytes / r.elapsed : 0
        @out.puts(format("#{prefix}%<up>d uploaded (%<bytes>s), %<skip>d skipped, %<fail>d failed, " \
                         "%<remote>d only on Flickr; %<calls>d API calls (%<index>d to decide); " \
                         "%<secs>.1f s, %<rate>s/s%<albums>s",
                         up: r.uploaded, bytes: Format.bytes(r.bytes), skip: r.skipped, fail: r.failed,
                         remote: r.remote_only, calls: r.api_calls, index: r.index_calls, secs: r.elapsed,
                         rate: Format.bytes(rate), albums: album_note(r)))
        print_edited_summary(r)
        print_healed(r, prefix)
        print_outcomes(r, prefix)
        r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
      end

      def album_note(r)
        r.album_adds.positive? ? "; #{r.album_adds} added to albums (#{r.albums_created} new)" : ""
      end

      # Photos edited since upload, and the old script's uploads given their image-data tag.
      def print_edited_summary(r)
        parts = []
        if r.edited_updated.to_i.positive?
          parts << "#{r.edited_updated} edited since upload: Flickr copy updated, not uploaded again"
        end
        parts << "#{r.edited_replaced} of them replaced" if r.edited_replaced.to_i.positive?
        parts << "#{r.imgmd5_tagged} given their checksum:imgmd5 tag" if r.imgmd5_tagged.to_i.positive?
        @out.puts(parts.join("; ")) unless parts.empty?
      end

      # prefix: "gphotos: " when other destinations' lines are printed too.
      def print_gphotos_summary(report, prefix = "")
        return dry_run_summary(prefix, "upload", report) if @dry_run

        @out.puts(format("%<pre>s%<up>d uploaded (%<bytes>s, %<sent>s sent), %<skip>d skipped, %<fail>d failed; " \
                         "%<calls>d API calls (%<batches>d batchCreate); %<secs>.1f s",
                         pre: prefix, up: report.uploaded, bytes: Format.bytes(report.bytes),
                         sent: Format.bytes(report.bytes_sent), skip: report.skipped, fail: report.failed,
                         calls: report.api_calls, batches: report.batch_create_calls, secs: report.elapsed))
        if report.album_adds.positive?
          @out.puts("#{prefix}#{report.album_adds} added to albums (#{report.albums_created} new)")
        end
        report.album_notes.each { |path, why| @out.puts("#{prefix}note: #{path}: #{why}") }
        @out.puts("#{prefix}stopped: #{report.stopped}") if report.stopped
        print_healed(report, prefix)
        print_outcomes(report, prefix)
        report.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
      end
    end
  end
end
