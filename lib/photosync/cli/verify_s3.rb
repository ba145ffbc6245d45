# frozen_string_literal: true

module Photosync
  # `photosync sync --to s3://BUCKET/PREFIX`'s summary and `photosync verify
  # s3://BUCKET/PREFIX`: the bucket's listing against the catalog (with --read-data, the
  # objects downloaded and hashed too). Exit status 0 when all is well, 2 when anything
  # is missing, changed or unknown.
  class CLI
    private

    def verify_s3(argv)
      opts = { catalog: :default, json: false, read_data: false, sample: 100 }
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync verify s3://BUCKET/PREFIX [--read-data [--sample PERCENT]] " \
                   "[--catalog PATH] [--json]"
        o.on("--read-data", "download the objects and hash them too") { opts[:read_data] = true }
        o.on("--sample PERCENT", "with --read-data: read this share of them (e.g. 5%)") do |v|
          opts[:sample] = Check.percent("--sample", v)
        end
        catalog_option(o, opts)
        o.on("--json", "print the report as JSON") { opts[:json] = true }
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      bucket = S3.parse(Check.s3_url(argv.shift.to_s))
      no_more_arguments(argv)
      report = bucket.verify(**opts.slice(:catalog, :read_data, :sample))
      opts[:json] ? @out.puts(JSON.generate(report.to_h)) : print_verify_s3(report)
      report.ok? ? 0 : 2
    end

    def print_verify_s3(r)
      @out.puts(format("%<dest>s: %<n>d objects listed (%<bytes>s) in %<secs>.1f s: %<verdict>s",
                       dest: r.destination, n: r.checked, bytes: Format.bytes(r.bytes), secs: r.elapsed,
                       verdict: r.ok? ? "all intact" : "PROBLEMS FOUND"))
      print_problems(r, "changed", "uploaded")
      return if r.missing.empty? && r.corrupted.empty?

      @out.puts("the next `photosync sync --to #{r.destination}` uploads the missing and changed ones again " \
                "(under a new key where other bytes hold the old one; nothing is overwritten)")
    end

    def s3_extras(r)
      (r.adopted.positive? ? ", #{r.adopted} found already there" : "") +
        (r.resumed.positive? ? ", #{r.resumed} resumed (#{Format.bytes(r.bytes_sent)} sent)" : "")
    end

    def print_s3_summary(r)
      prefix = "#{r.destination}: "
      return dry_run_summary(prefix, "upload", r) if @dry_run

      rate = r.elapsed.positive? ? r.bytes / r.elapsed : 0
      @out.puts(format("#{prefix}%<up>d uploaded (%<bytes>s), %<skip>d skipped, %<fail>d failed%<adopted>s; " \
                       "%<secs>.1f s, %<rate>s/s",
                       up: r.uploaded, bytes: Format.bytes(r.bytes), skip: r.skipped, fail: r.failed,
                       adopted: s3_extras(r),
                       secs: r.elapsed, rate: Format.bytes(rate)))
      print_healed(r, prefix)
      print_outcomes(r, prefix)
      r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
    end
  end
end
