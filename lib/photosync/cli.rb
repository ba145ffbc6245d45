# frozen_string_literal: true

require "optparse"
require "tmpdir"
require "json"
require "photosync"
require "photosync/progress_bar"
require "photosync/credentials"
require "photosync/cli/dates"
require "photosync/cli/emulator_gphotos"
require "photosync/cli/login_gphotos"
require "photosync/cli/verify_gphotos"
require "photosync/cli/verify_s3"
require "photosync/cli/restore"
require "photosync/cli/verify_flickr"
require "photosync/cli/status"
require "photosync/cli/report"
require "photosync/cli/summaries"
require "photosync/cli/options"
require "photosync/cli/emulator"
require "photosync/cli/login"
require "photosync/cli/import"

module Photosync
  # The `photosync` command. Each subcommand is a method; errors become one line on
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

    # Flickr's codes for a bad key, signature, token or permission.
    AUTH_CODES = [96, 97, 98, 99, 100].freeze

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
      case command
      when "scan" then scan(argv)
      when "sync" then json_aside(argv) { sync(argv) }
      when "import" then json_aside(argv) { import(argv) }
      when "dates" then dates(argv)
      when "restore" then json_aside(argv) { restore(argv) }
      when "verify" then verify(argv)
      when "adopt" then adopt(argv)
      when "status" then status(argv)
      when "report" then report(argv)
      when "demo" then demo(argv)
      when "samples" then samples(argv)
      when "emulator" then emulator(argv)
      when "login" then login(argv)
      when "whoami" then whoami(argv)
      when "version", "--version" then version(argv)
      when "help" then argv.empty? ? (@out.print(USAGE) || 0) : run([argv.first, "--help"])
      when nil, "-h", "--help" then @out.print(USAGE) || 0
      else fail_with("unknown command #{command.inspect}; usage: photosync COMMAND [options] " \
                     "(`photosync --help` lists them)", 1)
      end
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

    def fail_with(message, status)
      @err.puts("photosync: #{message}")
      status
    end

    # Every command that writes takes the catalog's lock; by default it waits for
    # another run holding it (docs/locking.md).
    def no_wait_option(parser, opts)
      parser.on("--no-wait", "exit at once (status 2) if another photosync run holds the catalog") do
        opts[:wait] = false
      end
    end

    def scan(argv)
      opts = { catalog: :default, json: false, threads: 0 }
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync scan [DIR] [--catalog PATH] [--json] [-j N]"
        catalog_option(o, opts)
        o.on("--json", "print one JSON object per photo") { opts[:json] = true }
        o.on("-j", "--threads N", "files read at once (default: one per core)") do |v|
          opts[:threads] = Check.int("-j/--threads", v, min: 1, max: 256)
        end
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      dir = argv.shift
      no_more_arguments(argv)
      dir ||= sample_library(opts)
      bar = ProgressBar.new(@err, "scan")
      result = Photosync.scan(dir, catalog: opts[:catalog], threads: opts[:threads]) do |p|
        bar.update(p.files_done, p.files_total, p.bytes_done, p.bytes_total)
      end
      bar.finish
      result.each { |photo| @out.puts(JSON.generate(photo.as_json)) } if opts[:json]
      print_scan_summary(result, opts[:json] ? @err : @out)
      0
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

    def sync(argv)
      opts = { catalog: :default, dry_run: false, concurrency: 4, privacy: :family, json: false, tags: [] }
      dests = []
      layout = Archive::DEFAULT_LAYOUT
      write_dates = false
      storage_class = nil
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync sync DIR [--to flickr|gphotos|archive:PATH|s3://BUCKET/PREFIX]... " \
                   "[--layout PATTERN] [--archive-write-dates] [--s3-storage-class CLASS] " \
                   "[--rules FILE] [--catalog PATH] " \
                   "[--dry-run] [-j N] [--calls-per-hour N] " \
                   "[--privacy private|family|friends|friends_and_family|public] [--tag T] " \
                   "[--albums none|folders] [--title TEMPLATE] [--async] [--replace-edited] " \
                   "[--gphotos-checksum description|none] [--verify] [--json] [--no-wait]"
        o.on("--to DEST", "flickr (default), gphotos, archive:PATH or s3://BUCKET/PREFIX; repeat for several") do |v|
          dests << Check.destination(v)
        end
        o.on("--layout PATTERN",
             "where archive copies and bucket objects go (default #{layout}; see docs/destinations.md)") do |v|
          layout = Check.layout(v)
        end
        o.on("--archive-write-dates", "write rule-corrected dates into the archive copies (never the originals)") do
          write_dates = true
        end
        o.on("--s3-storage-class CLASS",
             "storage class of new objects: STANDARD, STANDARD_IA, GLACIER_IR, DEEP_ARCHIVE...") do |v|
          storage_class = Check.storage_class(v)
        end
        o.on("--rules FILE", "date rules (default #{Dates.default_rules_path}, if there)") do |v|
          opts[:date_rules] = Check.path("--rules", v)
        end
        catalog_option(o, opts)
        o.on("--dry-run", "show the plan, change nothing") { opts[:dry_run] = true }
        o.on("-j", "--jobs N", "uploads in flight (default 4)") do |v|
          opts[:concurrency] = Check.int("-j/--jobs", v, min: 1, max: 256)
        end
        calls_per_hour_option(o, opts)
        o.on("--privacy P", "who sees new uploads: #{PRIVACY.join(', ')} (default family)") do |v|
          opts[:privacy] = Check.choice("--privacy", v, PRIVACY.map(&:to_s)).to_sym
        end
        o.on("--tag T", "an extra tag for every upload (repeatable)") { |v| opts[:tags] << v }
        o.on("--albums MODE", "folders: one album per folder (default none)") do |v|
          opts[:albums] = Check.choice("--albums", v, ALBUMS.map(&:to_s)).to_sym
        end
        o.on("--title TEMPLATE", "upload titles from {stem} {name} {ext} {folder} {date} (default {stem})") do |v|
          opts[:title] = Check.title(v)
        end
        o.on("--async", "upload asynchronously and poll Flickr's tickets") { opts[:async] = true }
        o.on("--replace-edited", "replace the Flickr file of photos edited since upload") do
          opts[:replace_edited] = true
        end
        o.on("--gphotos-checksum MODE", "description (default): end each description with the MD5; none") do |v|
          @gphotos_checksum = Check.choice("--gphotos-checksum", v, GooglePhotos::CHECKSUMS.map(&:to_s)).to_sym
        end
        o.on("--verify", "read every destination's whole index first and make lost copies again") do
          opts[:verify] = true
        end
        o.on("--json", "print only the report as JSON on stdout (the rest on stderr)") { opts[:json] = true }
        no_wait_option(o, opts)
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      dir = argv.shift or raise Usage, "missing DIR"
      no_more_arguments(argv)
      note_new_catalog(opts)
      @dry_run = opts[:dry_run]
      return sync_gphotos(dir, opts.except(:calls_per_hour)) if dests.uniq == ["gphotos"]
      unless dests.uniq.difference(["flickr"]).empty?
        return sync_to(dir, dests, { layout: layout, write_dates: write_dates, storage_class: storage_class }, opts)
      end

      with_flickr_dir([dir], parser, opts) { |d, flickr, settings| run_sync(d, flickr, settings) }
    end

    # Parses argv for a command on DIR and Flickr, and runs the block with DIR, a client
    # from the stored credentials and the settings; prints the report as JSON with --json.
    # Exits 2 when the report is not ok.
    def with_flickr_dir(argv, parser, opts)
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      dir = argv.shift or raise Usage, "missing DIR"
      no_more_arguments(argv)
      report = yield(dir, flickr_client, opts.except(:json))
      json_out.puts(JSON.generate(report.to_h)) if opts[:json]
      report.ok? ? 0 : 2
    end

    # The README's first command: one sync to the built-in Flickr and Google Photos
    # emulators, twice; the second run uploads nothing anywhere.
    def demo(argv)
      return help(OptionParser.new("usage: photosync demo [DIR]")) if argv.include?("-h") || argv.include?("--help")

      opts = {}
      OptionParser.new.parse!(argv)
      dir = argv.shift
      no_more_arguments(argv)
      dir ||= sample_library(opts)
      Dir.mktmpdir("photosync-demo") do |tmp|
        # The emulator's budget is raised so the demo takes seconds, not the minutes
        # Flickr's 3,600 calls an hour would (a real sync keeps to Flickr's budget).
        Emulator.start(calls_per_hour: 1_000_000) do |flickr_emu|
          GooglePhotosEmulator.start do |gphotos_emu|
            @err.puts("photosync demo: built-in Flickr emulator at #{flickr_emu.endpoint}, " \
                      "Google Photos emulator at #{gphotos_emu.endpoint}")
            destinations = [Flickr.new(**flickr_emu.credentials), GooglePhotos.new(**gphotos_emu.credentials)]
            settings = { catalog: File.join(tmp, "catalog.sqlite3"), calls_per_hour: 1_000_000 }
            @out.puts("== first run")
            run_sync_to(dir, destinations, settings)
            @out.puts("== second run (nothing new)")
            run_sync_to(dir, destinations, settings)
            demo_holdings("Flickr emulator", flickr_emu.photos.map(&:md5))
            demo_holdings("Google Photos emulator", gphotos_emu.items.map(&:md5))
          end
        end
      end
      0
    end

    def demo_holdings(name, md5s)
      @out.puts("#{name} now holds #{md5s.size} photos, each once (#{md5s.uniq.size} distinct MD5s)")
    end

    def run_sync(dir, flickr, settings)
      bar = nil
      done = 0
      bytes = 0
      retries = 0
      report = Photosync.sync(dir, to: flickr, **settings) do |e|
        case e.kind
        when :planned
          @out.puts("plan: #{e.to_upload} to upload (#{Format.bytes(e.bytes)}), " \
                    "#{e.already_there} already on Flickr, #{e.duplicates} local duplicates#{catalog_note}")
          remember_plan("", e.to_upload, e.bytes)
          bar = [ProgressBar.new(@err, "sync"), e.to_upload, e.bytes]
        when :uploaded, :failed, :refused, :retried
          e.kind == :retried ? retries += 1 : done += 1
          bytes += e.bytes.to_i
          bar&.first&.update(done, bar[1], bytes, bar[2], retries: retries)
        end
      end
      bar&.first&.finish
      print_sync_summary(report)
      report
    end

    # prefix: "flickr: " when other destinations' lines are printed too.
    def print_sync_summary(r, prefix = "")
      return dry_run_summary(prefix, "upload", r) if @dry_run

      rate = r.elapsed.positive? ? r.bytes / r.elapsed : 0
      @out.puts(format("#{prefix}%<up>d uploaded (%<bytes>s), %<skip>d skipped, %<fail>d failed, " \
                       "%<remote>d only on Flickr; %<calls>d API calls (%<index>d to decide); " \
                       "%<secs>.1f s, %<rate>s/s%<albums>s",
                       up: r.uploaded, bytes: Format.bytes(r.bytes), skip: r.skipped, fail: r.failed,
                       remote: r.remote_only, calls: r.api_calls, index: r.index_calls, secs: r.elapsed,
                       rate: Format.bytes(rate), albums: album_note(r)))
      print_edited_summary(r)
      print_healed(r, prefix)
      print_outcomes(r, prefix)
      r.errors.each { |path, msg| @out.puts("  error: #{path}: #{msg}") }
    end

    def album_note(r)
      r.album_adds.positive? ? "; #{r.album_adds} added to albums (#{r.albums_created} new)" : ""
    end

    # Copies found lost (by verify, a full index read or --verify) that this run made again.
    def print_healed(r, prefix = "")
      @out.puts("#{prefix}#{r.healed} lost copies made again") if r.healed.to_i.positive?
    end

    # Photos edited since upload, and the old script's uploads given their image-data tag.
    def print_edited_summary(r)
      parts = []
      if r.edited_updated.to_i.positive?
        parts << "#{r.edited_updated} edited since upload: Flickr copy updated, not uploaded again"
      end
      parts << "#{r.edited_replaced} of them replaced" if r.edited_replaced.to_i.positive?
      parts << "#{r.imgmd5_tagged} given their checksum:imgmd5 tag" if r.imgmd5_tagged.to_i.positive?
      @out.puts(parts.join("; ")) unless parts.empty?
    end

    def print_scan_summary(r, io)
      rate = r.elapsed.positive? ? r.bytes_read / r.elapsed : 0
      io.puts(format("%<media>d media files (%<bytes>s), %<hashed>d read, %<cached>d unchanged from the catalog, " \
                     "%<skipped>d other files skipped, %<errors>d errors",
                     media: r.media, bytes: Format.bytes(r.bytes), hashed: r.hashed, cached: r.cached,
                     skipped: r.skipped, errors: r.errors) + damaged_count(r.count(&:damaged?)))
      io.puts(format("%<secs>.2f s, %<rate>s/s read", secs: r.elapsed, rate: Format.bytes(rate)))
      r.select(&:error).each { |p| io.puts("  error: #{p.path}: #{p.error}") }
      r.select(&:damaged).each { |p| io.puts("  damaged: #{p.path}: #{p.damaged}") }
      r.notes.each { |n| io.puts("  note: #{n}") }
    end

    # A damaged original is still backed up; the count says a person should look for a
    # better copy while one may exist.
    def damaged_count(n)
      n.zero? ? "" : ", #{n} damaged (backed up as they are; look for a better copy)"
    end

    def samples(argv)
      seed = 1
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync samples DIR [--seed N]"
        o.on("--seed N", "vary the generated pixels (default 1)") { |v| seed = Check.int("--seed", v, min: 0) }
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      dir = argv.shift or raise Usage, "missing DIR"
      no_more_arguments(argv)
      n = Photosync.samples(dir, seed: seed)
      @out.puts("wrote #{n} files to #{dir}")
      0
    end

    def help(parser)
      @out.puts(parser)
      0
    end
  end
end

require "photosync/cli/verify_archive"
require "photosync/cli/sync_to"
