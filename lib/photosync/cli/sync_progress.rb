# frozen_string_literal: true

module Photosync
  class CLI
    # A sync to several destinations shows one plan line and one progress bar (on
    # stderr) per destination, and the scan's line before them.
    module SyncProgress
      # One destination's bar and its counts so far.
      Bar = Struct.new(:bar, :total, :done, :bytes, :bytes_total, :retries) do
        def advance(bytes = 0)
          self.done += 1
          self.bytes += bytes
          show
        end

        def retried
          self.retries = retries.to_i + 1
          show
        end

        def show
          bar.update(done, total, bytes, bytes_total, retries: retries.to_i)
        end
      end

      private

      # bars: destination => Bar
      def archive_progress(e, bars)
        case e.kind
        when :planned
          plan_line(e, e.to_copy, "copy")
          bars[e.destination] = Bar.new(ProgressBar.new(@err, "archive"), e.to_copy, 0, 0, e.bytes)
        when :copied, :failed then bars[e.destination]&.advance
        when :progress
          bar = bars[e.destination] or return
          bar.bytes = e.bytes_done
          bar.bytes_total = e.bytes_total
          bar.show
        when :finished then bars[e.destination]&.bar&.finish
        end
      end

      def upload_progress(e, bars)
        case e.kind
        when :scanned
          @out.puts("scan: #{e.scan[:media]} photos and videos (#{Format.bytes(e.scan[:bytes])}), " \
                    "#{e.scan[:hashed]} read#{catalog_note}")
        when :planned
          plan_line(e, e.to_upload, "upload")
          bars[e.destination] = Bar.new(ProgressBar.new(@err, e.destination), e.to_upload, 0, 0, e.bytes)
        when :uploaded, :failed, :refused then bars[e.destination]&.advance(e.bytes.to_i)
        when :finished then bars[e.destination]&.bar&.finish
        end
      end

      # verb: what the destination does with a photo (copy, upload).
      def plan_line(event, count, verb)
        @out.puts("#{event.destination}: #{count} to #{verb} (#{Format.bytes(event.bytes)}), " \
                  "#{event.already_there} already there, #{event.duplicates} local duplicates")
        remember_plan("#{event.destination}: ", count, event.bytes)
      end
    end
  end
end
