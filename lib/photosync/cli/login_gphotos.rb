# frozen_string_literal: true

require "photosync/credentials_gphotos"

module Photosync
  # `photosync login gphotos` and `photosync sync DIR --to gphotos`.
  class CLI
    private

    def login_gphotos(argv)
      creds = Credentials.gphotos
      browser = true
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync login gphotos [--client-id ID] [--client-secret S] [--endpoint URL] " \
                   "[--no-browser]\n" \
                   "your own OAuth client (Desktop app) from console.cloud.google.com; see docs/destinations.md"
        o.on("--client-id ID", "OAuth client id") { |v| creds[:client_id] = v }
        o.on("--client-secret S", "OAuth client secret") { |v| creds[:client_secret] = v }
        o.on("--endpoint URL", "an emulator's base URL instead of Google") do |v|
          unless v.match?(%r{\Ahttps?://\S+\z})
            raise Usage, "--endpoint accepts an http:// or https:// URL, not #{v.inspect}"
          end

          creds[:endpoint] = v
        end
        o.on("--no-browser", "only print the URL") { browser = false }
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      no_more_arguments(argv)
      %i[client_id client_secret].each do |k|
        if creds[k].to_s.empty?
          return fail_with("no #{k.to_s.tr('_', ' ')}: pass --#{k.to_s.tr('_', '-')} " \
                           "or set PHOTOSYNC_GPHOTOS_#{k.upcase}", 1)
        end
      end
      token = GooglePhotos.login(client_id: creds[:client_id], client_secret: creds[:client_secret],
                                 endpoint: creds[:endpoint]) do |url|
        @out.puts("Open this page, sign in and allow photosync (it waits for the browser to come back):")
        @out.puts("  #{url}")
        @out.flush
        open_browser(url) if browser
      end
      path = Credentials.save_gphotos(creds.merge(refresh_token: token))
      @out.puts("logged in to Google Photos with client #{Credentials.mask(creds[:client_id])}; " \
                "refresh token stored in #{path} (mode 0600)")
      0
    end

    # $BROWSER, else the desktop's opener; without one the printed URL is the way.
    def open_browser(url)
      command = ENV.fetch("BROWSER", "").split(":").first
      command = %w[xdg-open open].find { |c| which(c) } if command.nil? || command.empty?
      return unless command

      pid = Process.spawn(command, url, out: File::NULL, err: File::NULL)
      Process.detach(pid)
    rescue SystemCallError
      nil
    end

    def which(name)
      ENV.fetch("PATH", "").split(File::PATH_SEPARATOR).any? { |d| File.executable?(File.join(d, name)) }
    end

    def sync_gphotos(dir, opts)
      dest = gphotos_destination
      done = 0
      bar = nil
      settings = opts.slice(:catalog, :dry_run, :concurrency, :albums, :date_rules, :wait, :verify)
      report = Photosync.sync(dir, to: dest, **settings) do |e|
        case e.kind
        when :planned
          @out.puts("plan: #{e.to_upload} to upload (#{Format.bytes(e.bytes)}), #{e.already_there} already in " \
                    "Google Photos, #{e.duplicates} local duplicates#{catalog_note}")
          remember_plan("", e.to_upload, e.bytes)
          bar = [ProgressBar.new(@err, "gphotos"), e.to_upload, e.bytes]
        when :uploaded, :failed, :refused
          done += 1
          bar&.first&.update(done, bar[1], 0, bar[2])
        end
      end
      bar&.first&.finish
      print_gphotos_summary(report)
      json_out.puts(JSON.generate(report.to_h)) if opts[:json]
      report.ok? ? 0 : 2
    end

    def gphotos_destination
      creds = Credentials.gphotos
      raise Error, "not logged in to Google Photos; run `photosync login gphotos`" if creds[:refresh_token].to_s.empty?

      GooglePhotos.new(**creds, checksum: @gphotos_checksum || :description)
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
