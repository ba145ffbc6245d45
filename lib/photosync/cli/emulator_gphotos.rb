# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync emulator gphotos`: the built-in Google Photos emulator, until stopped (the
    # Flickr emulator's shared options and its way of serving).
    class EmulatorGphotos < Emulator
      private

      def options(o)
        @opts = { port: 0, latency: 0.0, fault_rate: 0.0, seed: 1, daily_quota: 10_000, testing: true,
                  bad_token: :whole_call }
        o.banner = "usage: photosync emulator gphotos [--port N] [--latency S] [--fault-rate R] [--seed N] " \
                   "[--daily-quota N] [--[no-]testing] [--bad-token whole_call|per_item] [--env]"
        emulator_options(o, @opts, "API request")
        number_option(o, @opts, "--daily-quota N", :daily_quota, "requests per project per day (default 10000)",
                      whole: 1..4_294_967_295)
        o.on("--[no-]testing", "a project in Testing status: refresh tokens last 7 days (default)") do |v|
          @opts[:testing] = v
        end
        o.on("--bad-token MODE", "how batchCreate answers a bad upload token: whole_call (default) or per_item") do |v|
          @opts[:bad_token] = Check.choice("--bad-token", v, %w[whole_call per_item]).to_sym
        end
      end

      def run(argv)
        no_more_arguments(argv)
        serve(GooglePhotosEmulator, @opts, %i[endpoint authorize_url token_url client_id client_secret refresh_token])
      end
    end
  end
end
