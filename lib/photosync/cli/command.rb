# frozen_string_literal: true

require "optparse"
require "json"
require "photosync"
require "photosync/progress_bar"
require "photosync/credentials"
require "photosync/cli/options"

module Photosync
  class CLI
    # One subcommand: its options (the OptionParser its `options` fills in, with the
    # banner `--help` shows), and its `run` on the arguments left, which returns the exit
    # status. Every option's value is checked while the command line is parsed (Check),
    # before any work starts.
    class Command
      # json_out: where --json's document goes; out is then stderr (see CLI::JSON_ASIDE).
      def initialize(out, err, json_out: out)
        @out = out
        @err = err
        @json_out = json_out
      end

      def call(argv)
        parser = OptionParser.new
        options(parser)
        return help(parser) if argv.include?("-h") || argv.include?("--help")

        parser.parse!(argv)
        run(argv)
      end

      private

      attr_reader :json_out

      # The command's options and banner; a command without options has only its banner.
      def options(_parser); end

      def help(parser)
        @out.puts(parser)
        0
      end

      def fail_with(message, status)
        @err.puts("photosync: #{message}")
        status
      end

      # Arguments left after the command's own: a usage error naming them.
      def no_more_arguments(argv)
        raise Usage, "unexpected argument#{'s' if argv.size > 1}: #{argv.join(' ')}" unless argv.empty?
      end

      # Every command that writes takes the catalog's lock; by default it waits for
      # another run holding it (docs/locking.md).
      def no_wait_option(parser, opts)
        parser.on("--no-wait", "exit at once (status 2) if another photosync run holds the catalog") do
          opts[:wait] = false
        end
      end

      def calls_per_hour_option(parser, opts)
        number_option(parser, opts, "--calls-per-hour N", :calls_per_hour,
                      "Flickr API calls an hour at most (default 3600, the key's budget)", whole: 1..4_294_967_295)
      end

      # An option whose value is a number in a range, checked as the command line is parsed
      # (Check): `whole: 1..256` takes whole numbers, `decimal: 0..3600` any finite number.
      # names: "--latency S", or ["-j", "--jobs N"] (a wrong value is then named -j/--jobs).
      def number_option(parser, opts, names, key, help, whole: nil, decimal: nil)
        names = Array(names)
        option = names.map { |n| n.split.first }.join("/")
        parser.on(*names, help) do |v|
          opts[key] = if whole
                        Check.int(option, v, min: whole.begin, max: whole.end)
                      else
                        Check.number(option, v, min: decimal.begin, max: decimal.end)
                      end
        end
      end

      def catalog_option(parser, opts)
        parser.on("--catalog PATH", "catalog file (default #{Photosync.default_catalog_path})") do |v|
          opts[:catalog] = Check.path("--catalog", v)
        end
      end

      # The path a command's catalog option names.
      def catalog_path(opts)
        opts[:catalog] == :default ? Photosync.default_catalog_path : opts[:catalog]
      end

      # For the commands that only read the catalog: a path with no catalog is refused
      # (naming it) before any work, never created empty.
      def require_catalog(opts)
        Photosync._require_catalog(catalog_path(opts))
      end

      # Before a run that writes the catalog: remembers whether it creates one, which the
      # first plan line then says (catalog_note).
      def note_new_catalog(opts)
        path = catalog_path(opts)
        @catalog_note = path.nil? || File.exist?(path) ? "" : "; new catalog at #{path}"
      end

      # "; new catalog at PATH" the first time it is asked for, when the run creates one.
      def catalog_note
        note = @catalog_note.to_s
        @catalog_note = nil
        note
      end

      # A Flickr client from the stored credentials (or FLICKRAW_*); without them, the way
      # to get them.
      def flickr_client
        creds = Credentials.current
        missing = %i[api_key shared_secret access_token access_secret].select { |k| creds[k].to_s.empty? }
        unless missing.empty?
          raise Error, "not logged in to Flickr (no #{missing.map { |k| k.to_s.tr('_', ' ') }.join(', ')}): " \
                       "run `photosync login`, or set #{missing.map { |k| Credentials::ENV_NAMES[k] }.join(', ')}"
        end
        Flickr.new(**creds)
      end

      # A damaged original is still backed up; the count says a person should look for a
      # better copy while one may exist.
      def damaged_count(n)
        n.zero? ? "" : ", #{n} damaged (backed up as they are; look for a better copy)"
      end

      # The README's first command scans a library photosync makes itself, kept in the
      # cache folder with its own catalog, so the user's real catalog is not touched.
      def sample_library(opts)
        cache = ENV.fetch("XDG_CACHE_HOME", nil).then { |c| c.nil? || c.empty? ? File.join(Dir.home, ".cache") : c }
        dir = File.join(cache, "photosync", "samples")
        unless File.directory?(dir)
          n = Photosync.samples(dir)
          @err.puts("photosync: wrote a sample library of #{n} files to #{dir}")
        end
        opts[:catalog] = File.join(cache, "photosync", "samples-catalog.sqlite3") if opts[:catalog] == :default
        dir
      end
    end
  end
end
