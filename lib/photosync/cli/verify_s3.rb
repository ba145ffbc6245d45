# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync verify s3://BUCKET/PREFIX`: the bucket's listing against the catalog (with
    # --read-data, the objects downloaded and hashed too). Exit status 0 when all is well,
    # 2 when anything is missing, changed or unknown.
    class VerifyS3 < Command
      include Findings

      WORDS = { checked: "objects listed", changed: "changed", made: "uploaded",
                again: "uploads the missing and changed ones again " \
                       "(under a new key where other bytes hold the old one; nothing is overwritten)" }.freeze

      private

      def options(o)
        @opts = { catalog: :default, json: false, read_data: false, sample: 100 }
        o.banner = "usage: photosync verify s3://BUCKET/PREFIX [--read-data [--sample PERCENT]] " \
                   "[--catalog PATH] [--json]"
        o.on("--read-data", "download the objects and hash them too") { @opts[:read_data] = true }
        o.on("--sample PERCENT", "with --read-data: read this share of them (e.g. 5%)") do |v|
          @opts[:sample] = Check.percent("--sample", v)
        end
        catalog_option(o, @opts)
        o.on("--json", "print the report as JSON") { @opts[:json] = true }
      end

      def run(argv)
        bucket = S3.parse(Check.s3_url(argv.shift.to_s))
        no_more_arguments(argv)
        report = bucket.verify(**@opts.slice(:catalog, :read_data, :sample))
        tell_findings(report)
      end
    end
  end
end
