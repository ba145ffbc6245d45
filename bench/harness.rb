# frozen_string_literal: true

# What the `rake bench*` scripts (scan_bench.rb, flickr_bench.rb, sync_bench.rb) share:
# the settings every one of them reads (BENCH_DIR, BENCH_REPEAT), the table row, the
# clock, best-of-REPEAT rounds, the table with PASS/FAIL, the peak RSS (VmHWM) of a
# child ruby, the load warning and the JSON results. Each script `extend`s this module,
# so these read as its own functions and keep their samples in its own @samples; the
# measurements, rows, targets and output names stay in the scripts.

require "etc"
require "fileutils"
require "json"
require "rbconfig"
require "time"

module Bench
  # What every benchmark shares (see the top of this file).
  module Harness
    ROOT = File.expand_path("..", __dir__)
    WORK = File.expand_path(ENV.fetch("BENCH_DIR", File.join(ROOT, ".bench")))
    REPEAT = Integer(ENV.fetch("BENCH_REPEAT", "3"))

    # One line of the table. `ratio` is oriented so that the target reads naturally
    # (e.g. "photosync/md5sum <= 1.15", "first/rescan >= 20"); `pass` is the verdict,
    # nil for a row given for information only.
    Row = Struct.new(:measurement, :photosync, :baseline, :ratio, :target, :pass, :unit, keyword_init: true)

    # Printed by a child ruby as it exits: its peak resident set, in KiB.
    VMHWM_PROBE = %(at_exit { $stdout.puts "VmHWM " + File.read("/proc/self/status")[/VmHWM:\\s+(\\d+)/, 1] })

    module_function

    def now
      Process.clock_gettime(Process::CLOCK_MONOTONIC)
    end

    def timed
      GC.start
      t = now
      yield
      now - t
    end

    def section(title)
      warn("\n== #{title}")
    end

    # Other work on the machine skews every ratio; the scripts say how busy it was.
    def load_average
      File.read("/proc/loadavg").split.first(3).map(&:to_f)
    end

    # Prints the banner, and a warning when the machine is already busy; returns the
    # load average before starting, for the JSON.
    def start(banner, warning: "; other work skews the ratios")
      load_before = load_average
      warn banner
      warn "  warning: load average #{load_before.first} before starting#{warning}" if load_before.first > 0.5
      load_before
    end

    # Runs each named measurement REPEAT times, rotating which goes first, so that
    # neither always gets the warmer caches; returns name => best (min) seconds: other
    # work on the machine only ever adds time. Every sample is kept in @samples for the JSON.
    def rounds(label, jobs)
      samples = jobs.keys.to_h { |k| [k, []] }
      REPEAT.times do |i|
        jobs.to_a.rotate(i).each { |name, job| samples[name] << job.call }
      end
      (@samples ||= {})[label] = samples
      samples.transform_values(&:min)
    end

    # `ruby -e code args` with photosync's lib on the load path and VMHWM_PROBE first.
    def ruby_command(code, *args)
      [RbConfig.ruby, "-I#{File.join(ROOT, 'lib')}", "-e", VMHWM_PROBE, "-e", code, *args]
    end

    # The VmHWM (KiB) in a child's output, and the output without it.
    def vmhwm(out)
      [Integer(out[/^VmHWM (\d+)$/, 1]), out.sub(/^VmHWM \d+\n/, "")]
    end

    # Runs `code` in a child ruby (with `env`); returns its VmHWM (KiB, read from
    # /proc/self/status as it exits) and what it printed before.
    def child(code, *args, env: {})
      out = IO.popen(env, ruby_command(code, *args), &:read)
      raise "child failed (#{Process.last_status}): #{out}" unless Process.last_status.success?

      vmhwm(out)
    end

    # The row for a peak RSS target: `peak` and `bare` (a child that only requires
    # photosync) in KiB, the target "peak < limit_mib MiB".
    def rss_row(measurement, peak, bare, limit_mib)
      Row.new(measurement: measurement, photosync: peak / 1024.0, baseline: bare / 1024.0, ratio: peak.fdiv(bare),
              target: "peak < #{limit_mib} MiB", pass: peak < limit_mib * 1024, unit: "MiB")
    end

    # The table: `fmt` gives the column widths, `ratio` how the ratio is printed.
    def table(rows, fmt, ratio: "%.2f")
      lines = [format(fmt, "measurement", "photosync", "baseline", "ratio", "target", "result")]
      rows.each do |r|
        values = [r.photosync, r.baseline].map do |v|
          v.is_a?(Integer) ? "#{v} #{r.unit}" : format("%.3f %s", v, r.unit)
        end
        verdict = { nil => "-", true => "PASS", false => "FAIL" }.fetch(r.pass)
        lines << format(fmt, r.measurement, *values, format(ratio, r.ratio), r.target, verdict)
      end
      lines.join("\n")
    end

    # Writes WORK/name: when, where and how busy, `settings` (the knobs), the rows and
    # every sample, with `counts` before the rows and `notes` after; prints its path.
    def write_results(name, load_before, rows, settings:, counts: {}, notes: {})
      results = {
        at: Time.now.utc.iso8601, ruby: RUBY_DESCRIPTION, cores: Etc.nprocessors, **settings,
        load_average: { before: load_before, after: load_average }, photosync: Photosync::VERSION,
        **counts, rows: rows.map(&:to_h), samples_seconds: @samples, **notes
      }
      out = File.join(WORK, name)
      File.write(out, JSON.pretty_generate(results))
      puts "results: #{out}"
    end
  end
end
