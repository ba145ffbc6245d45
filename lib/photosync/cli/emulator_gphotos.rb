# frozen_string_literal: true

module Photosync
  # `photosync emulator gphotos`: the built-in Google Photos emulator, until stopped.
  class CLI
    private

    def emulator_gphotos(argv)
      opts = { port: 0, latency: 0.0, fault_rate: 0.0, seed: 1, daily_quota: 10_000, testing: false }
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync emulator gphotos [--port N] [--latency S] [--fault-rate R] [--seed N] " \
                   "[--daily-quota N] [--testing]"
        o.on("--port N", Integer, "port on 127.0.0.1 (default: a free one)") { |v| opts[:port] = v }
        o.on("--latency S", Float, "seconds added to every API request") { |v| opts[:latency] = v }
        o.on("--fault-rate R", Float, "share of API requests that fail (0..1)") { |v| opts[:fault_rate] = v }
        o.on("--seed N", Integer, "credentials, ids and faults follow from it") { |v| opts[:seed] = v }
        o.on("--daily-quota N", Integer, "requests per project per day (default 10000)") { |v| opts[:daily_quota] = v }
        o.on("--testing", "a project in Testing status: refresh tokens last 7 days") { opts[:testing] = true }
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      # Traps first: whoever reads the printed lines may signal at once.
      stopped = stop_on_signal
      emu = GooglePhotosEmulator.start(**opts)
      { endpoint: emu.endpoint, authorize_url: emu.authorize_url, token_url: emu.token_url,
        client_id: emu.client_id, client_secret: emu.client_secret,
        refresh_token: emu.refresh_token }.each { |k, v| @out.puts("#{k}: #{v}") }
      @out.flush
      sleep(0.2) until stopped.call
      emu.stop
      0
    end
  end
end
