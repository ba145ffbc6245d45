# frozen_string_literal: true

module Photosync
  # `photosync restore`: the Flickr account back into a folder.
  class CLI
    private

    def restore(argv)
      opts = { catalog: :default, concurrency: 4, albums: false, only_missing: nil, json: false }
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync restore --from flickr DIR [--albums] [--only-missing DIR2] [-j N] " \
                   "[--catalog PATH] [--json]"
        o.on("--from SOURCE", %w[flickr], "where to restore from (flickr)") { |_| nil }
        o.on("--albums", "one folder per album instead of YYYY/MM/DD") { opts[:albums] = true }
        o.on("--only-missing DIR2", "only what DIR2 held once and no longer holds") { |v| opts[:only_missing] = v }
        o.on("-j", "--jobs N", Integer, "downloads at once (default 4)") { |v| opts[:concurrency] = v }
        o.on("--catalog PATH", "catalog file (default #{Photosync.default_catalog_path})") { |v| opts[:catalog] = v }
        o.on("--json", "print the report as JSON") { opts[:json] = true }
      end
      with_flickr_dir(argv, parser, opts) { |dir, flickr, settings| run_restore(dir, flickr, settings) }
    end

    def run_restore(dir, flickr, settings)
      bar = nil
      done = 0
      bytes = 0
      report = Photosync.restore(dir, from: flickr, **settings) do |e|
        case e.kind
        when :planned
          @out.puts("plan: #{e.to_download} to download, #{e.already_there} already in #{dir} or not asked for")
          bar = [ProgressBar.new(@err, "restore"), e.to_download]
        when :downloaded, :mismatch, :failed
          done += 1
          bytes += e.bytes.to_i
          bar&.first&.update(done, bar[1], bytes, nil)
        end
      end
      bar&.first&.finish
      @out.puts(format("%<down>d downloaded (%<bytes>s), %<skip>d skipped, %<mis>d differ from their tag, " \
                       "%<fail>d failed, %<unv>d without a tag to check; %<calls>d API calls; %<secs>.1f s",
                       down: report.downloaded, bytes: Format.bytes(report.bytes), skip: report.skipped,
                       mis: report.mismatched, fail: report.failed, unv: report.unverified,
                       calls: report.api_calls, secs: report.elapsed))
      report.errors.each { |id, msg| @out.puts("  error: photo #{id}: #{msg}") }
      report
    end
  end
end
