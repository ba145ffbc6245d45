# frozen_string_literal: true

require "spec_helper"
require "open3"
require "photosync/cli"
require_relative "support/flickr_context"

# Every subcommand tried as a person mistypes it: a wrong, missing, out-of-range or hostile
# argument is one line on stderr naming what is wrong, a non-zero exit, never a backtrace.
RSpec.describe "the photosync command's edges" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  # No credentials anywhere: the XDG folders are the example's own.
  let(:env) do
    { "XDG_CACHE_HOME" => File.join(tmpdir, "cache"), "XDG_DATA_HOME" => File.join(tmpdir, "data"),
      "XDG_CONFIG_HOME" => File.join(tmpdir, "config"),
      **%w[FLICKRAW_API_KEY FLICKRAW_SHARED_SECRET FLICKRAW_ACCESS_TOKEN FLICKRAW_ACCESS_SECRET
           PHOTOSYNC_FLICKR_ENDPOINT PHOTOSYNC_GPHOTOS_CLIENT_ID PHOTOSYNC_GPHOTOS_CLIENT_SECRET
           PHOTOSYNC_GPHOTOS_REFRESH_TOKEN PHOTOSYNC_GPHOTOS_ENDPOINT PHOTOSYNC_DEBUG].to_h { |k| [k, nil] } }
  end
  let(:lib) { distinct_photos(2) }
  let(:typo) { File.join(tmpdir, "typo", "catalog.sqlite3") }

  def run(*args, env_extra: {})
    Open3.capture3(env.merge(env_extra), RbConfig.ruby, exe, *args, stdin_data: "")
  end

  # The commands `photosync` knows: a new command needs cases here.
  def commands
    Photosync::CLI.commands
  end

  # argv => what stderr must say (a Regexp). Paths are filled in per example.
  def cases
    file = File.join(tmpdir, "a-file")
    File.write(file, "x")
    {
      "scan" => [[%w[scan -j 0], /-j.*from 1/], [%w[scan -j x], /-j.*whole number/],
                 [["scan", "--catalog", ""], /--catalog.*empty/], [%w[scan a b], /unexpected argument: b/],
                 [%w[scan --nope], /invalid option: --nope/], [["scan", "#{tmpdir}/\xFF-gone".b], /cannot scan/]],
      "sync" => [[["sync", lib, "--to", "archive:#{tmpdir}", "--layout", "%Y/%Q"], /--layout.*%Q/],
                 [["sync", lib, "--title", "{nope}"], /--title.*\{nope\}/],
                 [["sync", lib, "-j", "-3"], /-j.*from 1/], [["sync", lib, "-j", "0"], /-j.*from 1/],
                 [["sync", lib, "--to", "archive:#{file}"], /--to archive:.*a-file is a file, not a folder/],
                 [["sync", lib, "--to", "s3"], %r{--to accepts flickr, gphotos, archive:PATH or s3://BUCKET/PREFIX}],
                 [["sync", lib, "--privacy", "everyone"], /--privacy accepts private, family/],
                 [["sync", lib, "--calls-per-hour", "0"], /--calls-per-hour.*from 1/],
                 [["sync", lib, "-j", "99999999999999999999999"], /-j.*to 256/],
                 [%w[sync], /missing DIR/], [["sync", lib, "extra"], /unexpected argument: extra/],
                 [["sync", lib], /not logged in to Flickr.*photosync login/]],
      "dates" => [[%w[dates], /missing DIR/], [["dates", lib, "--rules", "/nope.rules"], %r{/nope\.rules}]],
      "restore" => [[%w[restore], /missing DIR/], [%w[restore --from nowhere d], /--from accepts flickr/],
                    [%w[restore --from archive: d], /--from accepts/], [%w[restore -j 0 d], /-j.*from 1/],
                    [["restore", "--from", "archive:#{tmpdir}", "--only-missing", lib, "--catalog", typo, "d"],
                     /no catalog at #{Regexp.escape(typo)}/]],
      "verify" => [[%w[verify], /verify flickr/], [%w[verify bogus], /verify flickr/],
                   [%w[verify flickr --read-data --sample abc], /--sample accepts a percentage/],
                   [%w[verify flickr --read-data --sample 500%], /--sample accepts a percentage/],
                   [["verify", "flickr", "--catalog", typo], /no catalog at #{Regexp.escape(typo)}/],
                   [%w[verify gphotos], /missing DIR/], [%w[verify archive:], /missing archive:PATH/],
                   [["verify", "archive:#{tmpdir}", "--catalog", typo], /no catalog at/],
                   [["verify", "archive:#{tmpdir}", "-j", "-1"], /-j.*from 1/]],
      "adopt" => [[%w[adopt], /missing `flickr`/], [%w[adopt flickr -j 0], /-j.*from 1/],
                  [%w[adopt google], /missing `flickr`/]],
      "status" => [[%w[status --min-copies -1], /--min-copies.*from 1/], [%w[status --min-copies x], /--min-copies/],
                   [["status", "--catalog", typo], /no catalog at #{Regexp.escape(typo)}/], [%w[status a b], /unexpected/]],
      "report" => [[%w[report], /missing --html FILE/], [%w[report --html], /missing argument: --html/],
                   [["report", "--html", File.join(tmpdir, "r.html"), "--catalog", typo], /no catalog at/]],
      "import" => [[%w[import], /--into LIBRARY is required/], [["import", "--into", tmpdir], /at least one source/],
                   [["import", tmpdir, "--into", tmpdir, "-j", "0"], /-j.*from 1/]],
      "demo" => [[%w[demo a b], /unexpected argument: b/], [%w[demo --nope], /invalid option/]],
      "samples" => [[%w[samples], /missing DIR/], [%w[samples --seed -1 d], /--seed.*from 0/]],
      "emulator" => [[%w[emulator --port 99999], /--port.*0 to 65535/], [%w[emulator --port x], /--port/],
                     [%w[emulator --fault-rate 2], /--fault-rate.*0 to 1/], [%w[emulator --latency -1], /--latency/],
                     [%w[emulator gphotos --daily-quota 0], /emulator gphotos: --daily-quota/],
                     [%w[emulator gphotos --port -5], /--port/], [%w[emulator extra], /unexpected argument/]],
      "login" => [[%w[login --perms admin], /--perms accepts read, write, delete/],
                  [%w[login], /FLICKRAW_API_KEY and FLICKRAW_SHARED_SECRET/],
                  [%w[login gphotos --endpoint ftp://x], /--endpoint accepts an http/],
                  [%w[login gphotos], /no client id/]],
      "whoami" => [[%w[whoami], /not logged in to Flickr.*photosync login/], [%w[whoami x], /unexpected argument: x/]],
      "version" => [[%w[version x], /unexpected argument: x/]],
      "(unknown)" => [[%w[frobnicate], /unknown command "frobnicate"/], [%w[help frobnicate], /unknown command/]]
    }
  end

  it "gives every subcommand's mistakes one line of reason on stderr, a non-zero exit and no backtrace" do
    table = cases
    expect(table.keys).to include(*commands)
    table.each_value do |list|
      list.each do |argv, reason|
        out, err, status = run(*argv)
        what = "photosync #{argv.map { |a| a.dup.force_encoding(Encoding::UTF_8).scrub }.join(' ')}"
        expect(status.exitstatus).to eq(1), "#{what}: exit #{status.exitstatus}\n#{err}"
        expect(err).to match(reason), "#{what}: #{err}"
        expect(err.lines.size).to eq(1), "#{what}: #{err}"
        expect(err).not_to match(%r{from /|\.rb:\d+}), "#{what}: #{err}"
        expect(out).to be_empty, "#{what}: #{out}"
      end
    end
    expect(Dir.exist?(File.dirname(typo))).to be(false)
  end

  it "gives every subcommand its own --help, which runs nothing" do
    (commands + ["verify flickr", "verify gphotos", "emulator gphotos", "login gphotos"]).each do |command|
      out, err, status = run(*command.split, "--help")
      expect(status.exitstatus).to eq(0), "#{command} --help: #{err}"
      expect(out).to match(/usage: photosync #{command.split.first}/), "#{command} --help: #{out}"
      expect(err).to be_empty, "#{command} --help: #{err}"
    end
    out, = run("verify", "--help")
    expect(out).to include("verify flickr", "verify gphotos DIR", "verify archive:PATH", "--sample")
    out, = run("help", "status")
    expect(out).to include("--min-copies")
    out, = run("--help")
    expect(out).to include("--to flickr|gphotos|archive:PATH")
  end

  it "ends quietly when whoever reads the output stops (`scan --json | head -1`)" do
    dir = distinct_photos(400)
    reader, writer = IO.pipe
    err_r, err_w = IO.pipe
    pid = Process.spawn(env, RbConfig.ruby, exe, "scan", dir, "--json", "--catalog", File.join(tmpdir, "c.sqlite3"),
                        out: writer, err: err_w)
    writer.close
    err_w.close
    expect(reader.gets).to start_with('{"path":')
    reader.close
    _, status = Process.wait2(pid)
    err = err_r.read
    expect(status.exitstatus).to eq(0), err
    expect(err).not_to match(/pipe|EPIPE|\.rb:/i)
  end

  it "names the file in an error about it" do
    expect { Photosync::Exif.read("/nope.jpg") }.to raise_error(Photosync::FileError, %r{/nope\.jpg})
    broken = File.join(tmpdir, "broken.jpg")
    File.binwrite(broken, "\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00garbage!".b)
    expect { Photosync::Exif.read(broken) }.to raise_error(Photosync::Error, /broken\.jpg/)
  end

  context "with the Flickr emulator" do
    include_context "a library synced to the emulator"

    let(:flickr_env) do
      { "FLICKRAW_API_KEY" => emu.api_key, "FLICKRAW_SHARED_SECRET" => emu.shared_secret,
        "FLICKRAW_ACCESS_TOKEN" => emu.access_token, "FLICKRAW_ACCESS_SECRET" => emu.access_secret,
        "PHOTOSYNC_FLICKR_ENDPOINT" => emu.endpoint }
    end

    it "says what a dry run would do, takes --calls-per-hour, and names the catalog it creates" do
      archive = File.join(tmpdir, "archive")
      Dir.mkdir(archive)
      catalog = File.join(tmpdir, "new", "catalog.sqlite3")
      out, err, status = run("sync", lib, "--to", "archive:#{archive}", "--to", "flickr", "--dry-run",
                             "--catalog", catalog, env_extra: flickr_env)
      expect(status.exitstatus).to eq(0), err
      expect(out).to include("new catalog at #{catalog}")
      expect(out).to match(/archive:.*: would copy 2 /).and match(/flickr: would upload 2 /)
      expect(out).not_to match(/\d+ (uploaded|copied)/)
      expect(emu.photos).to be_empty

      out, err, status = run("sync", lib, "--calls-per-hour", "100000", "--catalog", catalog, env_extra: flickr_env)
      expect(status.exitstatus).to eq(0), err
      expect(out).to match(/2 uploaded/)
      expect(out).not_to include("new catalog")
      expect(emu.photos.size).to eq(2)
    end

    it "says on stderr which destination could not go on (exit 2)" do
      gone = File.join(tmpdir, "unmounted")
      out, err, status = run("sync", lib, "--to", "archive:#{gone}", "--to", "flickr",
                             "--catalog", File.join(tmpdir, "c.sqlite3"), env_extra: flickr_env)
      expect(status.exitstatus).to eq(2)
      expect(err).to match(/archive:#{Regexp.escape(gone)}.*is the drive mounted/)
      expect(out).to match(/flickr: 2 uploaded/)
    end
  end
end
