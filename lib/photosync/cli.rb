# frozen_string_literal: true

require "photosync/cli/command"
require "photosync/cli/summaries"
require "photosync/cli/sync_progress"
require "photosync/cli/sync_to"
require "photosync/cli/scan"
require "photosync/cli/sync"
require "photosync/cli/import"
require "photosync/cli/dates"
require "photosync/cli/restore"
require "photosync/cli/verify_flickr"
require "photosync/cli/verify_gphotos"
require "photosync/cli/verify_archive"
require "photosync/cli/verify_s3"
require "photosync/cli/adopt"
require "photosync/cli/status"
require "photosync/cli/report"
require "photosync/cli/demo"
require "photosync/cli/samples"
require "photosync/cli/emulator"
require "photosync/cli/emulator_gphotos"
require "photosync/cli/login"
require "photosync/cli/login_gphotos"
require "photosync/cli/whoami"
require "photosync/cli/version"

module Photosync
  # The `photosync` command: finds the subcommand's class (one per subcommand, each with
  # its options and --help, in lib/photosync/cli/) and runs it; errors become one line on
  # stderr and a non-zero exit status, never a backtrace.
  class CLI
    USAGE = <<~TEXT
      usage: photosync COMMAND [options]

      commands:
        demo [DIR]       back DIR (default: a generated sample library) up to the built-in
                         Flickr and Google Photos emulators, twice: the second run uploads nothing
        sync DIR [--to flickr|gphotos|archive:PATH|s3://BUCKET/PREFIX]...
                         back DIR up (default: to Flickr): every photo exactly once everywhere
        import SRC... --into LIBRARY
                         bring old drives into the library: each photo once, sources only read
        dates DIR        list bogus taken-dates by camera with the fix; --apply sets them on Flickr
        restore DIR      bring the Flickr account (or an archive, a bucket) back into DIR, byte for byte
        verify flickr    check the Flickr copy: missing, duplicated, untagged, changed photos
        verify archive:PATH  read an archive again; report missing, corrupted, unknown files
        verify s3://BUCKET/PREFIX  compare a bucket's listing with the catalog (downloads nothing)
        adopt flickr     tag photos other tools uploaded, so sync never uploads them again
        status [DIR]     how many copies each photo has (local, archive, Flickr, ...)
        report --html FILE [DIR]  one page: copies per photo, single copies, errors, date review
        scan [DIR]       scan a photo library (MD5 + EXIF, cached in the catalog);
                         without DIR, scans a generated sample library
        samples DIR      write a small generated sample library into DIR
        emulator         run the built-in Flickr emulator until stopped
        emulator gphotos run the built-in Google Photos emulator until stopped
        login            authorize photosync on Flickr (OAuth) and store the tokens
        login gphotos    authorize photosync on Google Photos (loopback OAuth) and store the token
        whoami           show which Flickr account the stored credentials reach
        verify gphotos DIR  check Google Photos against the catalog (rebuilds lost records)
        version          print the version

      Run `photosync COMMAND --help` (or `photosync help COMMAND`) for a command's options.
      Exit status: 0 nothing failed in this run, 1 usage error, 2 something failed in this run
      (docs/outcomes.md).
    TEXT

    COMMANDS = { "scan" => Scan, "sync" => Sync, "import" => Import, "dates" => Dates, "restore" => Restore,
                 "adopt" => Adopt, "status" => Status, "report" => Report, "demo" => Demo, "samples" => Samples,
                 "emulator" => Emulator, "login" => Login, "whoami" => Whoami, "version" => Version,
                 "--version" => Version }.freeze
    # Commands whose next word names another form: `emulator gphotos`, `login gphotos`.
    FORMS = { "emulator" => { "gphotos" => EmulatorGphotos }, "login" => { "gphotos" => LoginGphotos } }.freeze
    # verify's forms, in `verify --help`'s order.
    VERIFY_FORMS = [VerifyFlickr, VerifyGphotos, VerifyArchive, VerifyS3].freeze
    # With --json, only the JSON document reaches stdout; every other line goes to stderr.
    JSON_ASIDE = [Sync, Import, Restore].freeze

    # Flickr's codes for a bad key, signature, token or permission.
    AUTH_CODES = [96, 97, 98, 99, 100].freeze

    # Every command's name, as `photosync --help` lists them.
    def self.commands
      COMMANDS.keys.grep(/\A[a-z]/) + ["verify"]
    end

    def initialize(out = $stdout, err = $stderr)
      @out = out
      @err = err
    end

    def run(argv)
      # A file name need not be UTF-8: such an argument is kept as its bytes.
      argv = argv.map { |a| a.valid_encoding? ? a : a.b }
      command = argv.shift
      # How errors name the command: "verify flickr", "emulator gphotos".
      label = [command, (argv.first if %w[flickr gphotos].include?(argv.first))].compact.join(" ")
      dispatch(command, argv)
    rescue OptionParser::ParseError, Usage => e
      fail_with("#{label}: #{e.message} (see `photosync #{label} --help`)", 1)
    rescue Errno::EPIPE
      # Whoever read the output stopped (`| head`): not an error of photosync.
      0
    rescue Photosync::LockedError => e
      fail_with(e.message, 2)
    rescue Photosync::FailedResponse => e
      hint = AUTH_CODES.include?(e.code) ? "; check FLICKRAW_* or run `photosync login`" : ""
      fail_with("Flickr refused #{e.method}: error #{e.code}, #{e.msg}#{hint}", 1)
    rescue Photosync::Error, SystemCallError => e
      fail_with(e.message, 1)
    rescue Interrupt
      @err.puts("\nphotosync: interrupted; finished work is recorded")
      130
    rescue StandardError => e
      # A person never sees a backtrace; PHOTOSYNC_DEBUG=1 shows it to a developer.
      raise if ENV["PHOTOSYNC_DEBUG"].to_s == "1"

      fail_with("#{label}: #{e.message} (#{e.class}; PHOTOSYNC_DEBUG=1 shows where)", 2)
    end

    private

    def dispatch(command, argv)
      case command
      when "help" then argv.empty? ? usage : run([argv.first, "--help"])
      when nil, "-h", "--help" then usage
      when "verify" then verify(argv)
      else
        klass = FORMS.dig(command, argv.first)&.tap { argv.shift } || COMMANDS[command]
        return unknown(command) unless klass

        start(klass, argv)
      end
    end

    # `verify flickr [DIR]`, `verify gphotos DIR`, `verify archive:PATH`, `verify s3://BUCKET/PREFIX`.
    def verify(argv)
      case argv.first
      when "flickr" then start(VerifyFlickr, argv.drop(1))
      when "gphotos" then start(VerifyGphotos, argv.drop(1))
      when /\Aarchive:/ then start(VerifyArchive, argv)
      when %r{\As3://} then start(VerifyS3, argv)
      when "-h", "--help" then verify_help
      else raise Usage, "which copy? photosync verify flickr [DIR] | verify gphotos DIR | verify archive:PATH | " \
                        "verify s3://BUCKET/PREFIX"
      end
    end

    # Every form of verify with its options.
    def verify_help
      @out.puts("photosync verify checks one copy of the library against the catalog:")
      VERIFY_FORMS.each do |form|
        @out.puts
        start(form, ["--help"])
      end
      0
    end

    def start(klass, argv)
      return klass.new(@out, @err).call(argv) unless JSON_ASIDE.include?(klass) && argv.include?("--json")

      klass.new(@err, @err, json_out: @out).call(argv)
    end

    def usage
      @out.print(USAGE)
      0
    end

    def unknown(command)
      fail_with("unknown command #{command.inspect}; usage: photosync COMMAND [options] " \
                "(`photosync --help` lists them)", 1)
    end

    def fail_with(message, status)
      @err.puts("photosync: #{message}")
      status
    end
  end
end
