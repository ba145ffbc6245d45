# frozen_string_literal: true

require "photosync/credentials_gphotos"

module Photosync
  class CLI
    # `photosync login gphotos`: Google's loopback OAuth with the person's own OAuth
    # client; the refresh token is stored (mode 0600).
    class LoginGphotos < Command
      private

      def options(o)
        @creds = Credentials.gphotos
        @browser = true
        o.banner = "usage: photosync login gphotos [--client-id ID] [--client-secret S] [--endpoint URL] " \
                   "[--no-browser]\n" \
                   "your own OAuth client (Desktop app) from console.cloud.google.com; see docs/destinations.md"
        o.on("--client-id ID", "OAuth client id") { |v| @creds[:client_id] = v }
        o.on("--client-secret S", "OAuth client secret") { |v| @creds[:client_secret] = v }
        o.on("--endpoint URL", "an emulator's base URL instead of Google") do |v|
          unless v.match?(%r{\Ahttps?://\S+\z})
            raise Usage, "--endpoint accepts an http:// or https:// URL, not #{v.inspect}"
          end

          @creds[:endpoint] = v
        end
        o.on("--no-browser", "only print the URL") { @browser = false }
      end

      def run(argv)
        no_more_arguments(argv)
        %i[client_id client_secret].each do |k|
          if @creds[k].to_s.empty?
            return fail_with("no #{k.to_s.tr('_', ' ')}: pass --#{k.to_s.tr('_', '-')} " \
                             "or set PHOTOSYNC_GPHOTOS_#{k.upcase}", 1)
          end
        end
        path = Credentials.save_gphotos(@creds.merge(refresh_token: authorize))
        @out.puts("logged in to Google Photos with client #{Credentials.mask(@creds[:client_id])}; " \
                  "refresh token stored in #{path} (mode 0600)")
        0
      end

      # The refresh token, once the person has allowed photosync in the browser.
      def authorize
        GooglePhotos.login(client_id: @creds[:client_id], client_secret: @creds[:client_secret],
                           endpoint: @creds[:endpoint]) do |url|
          @out.puts("Open this page, sign in and allow photosync (it waits for the browser to come back):")
          @out.puts("  #{url}")
          @out.flush
          open_browser(url) if @browser
        end
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
    end
  end
end
