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
        number_option(parser, opts, "--search-lag S", :search_lag,
                      "seconds a new upload stays out of search (default 2)", decimal: 0..3600)
        number_option(parser, opts, "--unstable-paging R", :unstable_paging,
                      "share of later search pages read one item off (default 0.05)", decimal: 0..1)
        parser.on("--free-account", "a free account: no replace, uploads spaced --upload-wait apart") do
          opts[:pro] = false
        end
        number_option(parser, opts, "--upload-wait S", :upload_wait,
                      "seconds a free account's uploads must be apart (code 14 sooner)", decimal: 0..3600)
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
        number_option(parser, opts, "--port N", :port, "port on 127.0.0.1 (default: a free one)", whole: 0..65_535)
        number_option(parser, opts, "--latency S", :latency, "seconds added to every #{what}", decimal: 0..3600)
        number_option(parser, opts, "--fault-rate R", :fault_rate, "share of #{what}s that fail (0..1)", decimal: 0..1)
        number_option(parser, opts, "--seed N", :seed, "credentials, ids and faults follow from it",
                      whole: 0..(2**63) - 1)
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
