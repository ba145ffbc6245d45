# frozen_string_literal: true

require "shellwords"

module Photosync
  class CLI
    # `photosync emulator`: the built-in Flickr emulator in the foreground, until stopped.
    class Emulator < Command
      private

      def options(o)
        @opts = { port: 0, latency: 0.0, fault_rate: 0.0, data: nil, seed: 1 }
        o.banner = "usage: photosync emulator [--port N] [--latency S] [--fault-rate R] [--data DIR] [--seed N] " \
                   "[--search-lag S] [--unstable-paging R] [--free-account] [--env]"
        emulator_options(o, @opts, "request")
        o.on("--data DIR", "keep photos here across restarts") { |v| @opts[:data] = Check.path("--data", v) }
        flickr_service_options(o, @opts)
      end

      def run(argv)
        no_more_arguments(argv)
        serve(Photosync::Emulator, @opts, %i[endpoint api_key shared_secret access_token access_secret])
      end

      # How the Flickr emulator plays the real service (docs/emulators.md).
      def flickr_service_options(parser, opts)
        parser.on("--search-lag S", "seconds a new upload stays out of search (default 2)") do |v|
          opts[:search_lag] = Check.number("--search-lag", v, min: 0, max: 3600)
        end
        parser.on("--unstable-paging R", "share of later search pages read one item off (default 0.05)") do |v|
          opts[:unstable_paging] = Check.number("--unstable-paging", v, min: 0, max: 1)
        end
        parser.on("--free-account", "a free account: no replace, uploads spaced --upload-wait apart") do
          opts[:pro] = false
        end
        parser.on("--upload-wait S", "seconds a free account's uploads must be apart (code 14 sooner)") do |v|
          opts[:upload_wait] = Check.number("--upload-wait", v, min: 0, max: 3600)
        end
      end

      # Runs an emulator in the foreground: prints its fields as `name: value` lines (with
      # --env, `export NAME=value` lines for `eval`), then serves until INT or TERM.
      def serve(emulator_class, opts, fields)
        # The traps come first: a caller may signal as soon as it has read the lines.
        stopped = stop_on_signal
        as_env = opts.delete(:env)
        emu = emulator_class.start(**opts)
        if as_env
          emu.env.each { |name, value| @out.puts("export #{name}=#{Shellwords.escape(value.to_s)}") }
        else
          fields.each { |k| @out.puts("#{k}: #{emu.public_send(k)}") }
        end
        @out.flush
        sleep(0.2) until stopped.call
        emu.stop
        0
      end

      # The options both emulators share; what: "request" or "API request".
      def emulator_options(parser, opts, what)
        parser.on("--port N", "port on 127.0.0.1 (default: a free one)") do |v|
          opts[:port] = Check.int("--port", v, min: 0, max: 65_535)
        end
        parser.on("--latency S", "seconds added to every #{what}") do |v|
          opts[:latency] = Check.number("--latency", v, min: 0, max: 3600)
        end
        parser.on("--fault-rate R", "share of #{what}s that fail (0..1)") do |v|
          opts[:fault_rate] = Check.number("--fault-rate", v, min: 0, max: 1)
        end
        parser.on("--seed N", "credentials, ids and faults follow from it") do |v|
          opts[:seed] = Check.int("--seed", v, min: 0, max: 2**63 - 1)
        end
        parser.on("--env", "print `export NAME=value` lines: eval them to point photosync here") { opts[:env] = true }
      end

      # INT and TERM end a foreground server cleanly; the lambda says whether one came.
      def stop_on_signal
        stop = false
        %w[INT TERM].each { |sig| trap(sig) { stop = true } }
        -> { stop }
      end
    end
  end
end
