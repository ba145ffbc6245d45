# frozen_string_literal: true

module Photosync
  # A one-line progress bar for a terminal: files, MB, MB/s, ETA and retries so far,
  # redrawn in place at most ten times a second. Elsewhere (a log file, cron's mail) the
  # same line is written as a line of its own every `every` seconds (PHOTOSYNC_PROGRESS_EVERY,
  # default 10), so a short run writes none and a long one is never silent for long.
  # seconds_per_file: the least time each file still to go takes whatever the bandwidth
  # (a sync paced to the API key's budget: an upload is a call), so that the ETA of a
  # run that started fast, in its burst, is not hours short.
  class ProgressBar
    WIDTH = 24

    def initialize(io, label, every: Float(ENV.fetch("PHOTOSYNC_PROGRESS_EVERY", 10)), seconds_per_file: 0.0)
      @io = io
      @label = label
      @seconds_per_file = seconds_per_file
      @terminal = io.respond_to?(:tty?) && io.tty?
      @every = @terminal ? 0.1 : every
      @started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      @last = @terminal ? 0.0 : @started
    end

    def update(files_done, files_total, bytes_done, bytes_total, retries: 0)
      now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      return if now - @last < @every && (files_done < files_total || !@terminal)

      @last = now
      text = line(files_done, files_total, bytes_done, bytes_total, now - @started)
      text += "  #{retries} #{retries == 1 ? 'retry' : 'retries'}" if retries.positive?
      @io.print(@terminal ? "\r#{text}\e[K" : "#{text}\n")
    end

    def finish
      @io.print("\r\e[K") if @terminal
    end

    private

    # bytes_total nil: sizes unknown ahead (restore), so the bar and ETA go by files.
    def line(files_done, files_total, bytes_done, bytes_total, elapsed)
      done, total = bytes_total ? [bytes_done, bytes_total] : [files_done, files_total]
      fraction = total.zero? ? 1.0 : done.fdiv(total)
      filled = (fraction * WIDTH).round
      rate = elapsed.positive? ? bytes_done / elapsed : 0
      pace = elapsed.positive? ? done / elapsed : 0
      eta = pace.positive? ? (total - done) / pace : nil
      eta = [eta, (files_total - files_done) * @seconds_per_file].max if eta && @seconds_per_file.positive?
      sizes = bytes_total ? "#{Format.bytes(bytes_done)}/#{Format.bytes(bytes_total)}" : Format.bytes(bytes_done)
      format("%<label>s [%<bar>s] %<fd>d/%<ft>d files  %<sizes>s  %<rate>s/s  ETA %<eta>s",
             label: @label, bar: ("#" * filled).ljust(WIDTH), fd: files_done, ft: files_total,
             sizes: sizes, rate: Format.bytes(rate), eta: eta ? Format.duration(eta) : "--:--")
    end
  end

  # Human-readable sizes and durations for the CLI.
  module Format
    module_function

    def bytes(n)
      units = %w[B KB MB GB TB]
      value = n.to_f
      unit = units.shift
      while value >= 1000 && !units.empty?
        value /= 1000
        unit = units.shift
      end
      unit == "B" ? "#{n.to_i} B" : "#{format('%.1f', value)} #{unit}"
    end

    def duration(seconds)
      s = seconds.round
      return format("%<m>d:%<s>02d", m: s / 60, s: s % 60) if s < 3600

      format("%<h>d:%<m>02d:%<s>02d", h: s / 3600, m: s % 3600 / 60, s: s % 60)
    end
  end
end
