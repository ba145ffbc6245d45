# frozen_string_literal: true

require "spec_helper"
require "open3"

# The catalog is never silently replaced: the commands that only read it refuse a path
# with no catalog, and status and report serve a catalog they cannot write.
RSpec.describe "opening the catalog" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:env) do
    { "XDG_CACHE_HOME" => File.join(tmpdir, "cache"), "XDG_DATA_HOME" => File.join(tmpdir, "data"),
      "XDG_CONFIG_HOME" => File.join(tmpdir, "config") }
  end
  let(:library) { distinct_photos(3) }
  let(:typo) { File.join(tmpdir, "no", "such", "catalog.sqlite3") }

  def run(*args)
    Open3.capture3(env, RbConfig.ruby, exe, *args)
  end

  it "refuses a mistyped catalog in the Ruby API, naming it, and creates nothing" do
    expect { Photosync.status(catalog: typo) }.to raise_error(Photosync::CatalogError, /no catalog at #{Regexp.escape(typo)}/)
    expect { Photosync.report(nil, html: File.join(tmpdir, "r.html"), catalog: typo) }
      .to raise_error(Photosync::CatalogError, /no catalog at/)
    archive = Photosync::Archive.new(tmpdir)
    expect { archive.verify(catalog: typo) }.to raise_error(Photosync::CatalogError, /no catalog at/)
    expect { Photosync.restore(File.join(tmpdir, "out"), from: archive, catalog: typo, only_missing: library) }
      .to raise_error(Photosync::CatalogError, /no catalog at/)
    expect(Dir.exist?(File.join(tmpdir, "no"))).to be(false)
    expect { Photosync.status(catalog: tmpdir) }.to raise_error(Photosync::CatalogError, /is not a file/)
  end

  it "lets `status --min-copies` fail on a mistyped --catalog instead of reporting 0 photos" do
    out, err, status = run("status", "--min-copies", "3", "--catalog", typo)
    expect(status.exitstatus).to eq(1)
    expect(err).to eq("photosync: no catalog at #{typo} (a mistyped --catalog? `photosync sync` creates one)\n")
    expect(out).to be_empty
    expect(Dir.exist?(File.join(tmpdir, "no"))).to be(false)
  end

  context "with a catalog it may not write" do
    let(:shelf) { File.join(tmpdir, "shelf") }
    let(:catalog) { File.join(shelf, "catalog.sqlite3") }

    before do
      archive = File.join(tmpdir, "archive")
      FileUtils.mkdir_p([archive, shelf, File.join(tmpdir, "out")])
      Photosync.sync(library, to: Photosync::Archive.new(archive), catalog: catalog)
      # Everyone may read the example's files (the run without permission is another user's).
      FileUtils.chmod(0o755, tmpdir)
      FileUtils.chmod_R("a+rX", tmpdir)
      FileUtils.chmod(0o777, File.join(tmpdir, "out"))
    end

    # The catalog's folder mounted read-only for the command (needs root and mount
    # namespaces); nil when this machine cannot.
    def on_read_only_disk(*args)
      return nil unless Process.uid.zero? && system("unshare", "-m", "true", err: File::NULL)

      script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'
      Open3.capture3(env, "unshare", "-m", "sh", "-c", script, "sh", shelf, RbConfig.ruby, exe, *args)
    end

    # The catalog and its folder without write permission; root runs the command as nobody.
    def without_write_permission(*args)
      FileUtils.chmod(0o444, catalog)
      FileUtils.chmod(0o555, shelf)
      as = Process.uid.zero? ? %w[setpriv --reuid=65534 --regid=65534 --clear-groups] : []
      Open3.capture3(env, *as, RbConfig.ruby, exe, *args)
    ensure
      FileUtils.chmod(0o755, shelf)
    end

    def expect_served(result)
      out, err, status = result
      expect(status.exitstatus).to eq(0), err
      expect(err).not_to match(/readonly|read-only/)
      out
    end

    it "serves status and report from a read-only disk" do
      result = on_read_only_disk("status", "--catalog", catalog)
      skip "needs root and mount namespaces to mount a folder read-only" unless result
      expect(expect_served(result)).to start_with("3 photos: 0 with 3+ copies, 3 with 2")

      html = File.join(tmpdir, "report.html")
      expect(expect_served(on_read_only_disk("report", "--html", html, "--catalog", catalog))).to match(/3 photos/)
      expect(File.read(html)).to include("<html")
      expect(expect_served(on_read_only_disk("report", "--html", html, library, "--catalog", catalog)))
        .to match(/3 photos/)
    end

    it "serves status and report without write permission" do
      expect(expect_served(without_write_permission("status", "--catalog", catalog, "--json")))
        .to include('"by_copies":{"2":3}')
      html = File.join(tmpdir, "out", "report.html")
      expect(expect_served(without_write_permission("report", "--html", html, library, "--catalog", catalog)))
        .to match(/3 photos/)
    end

    it "keeps verify a writer: it says why it cannot run" do
      _out, err, status = without_write_permission("verify", "archive:#{File.join(tmpdir, 'archive')}", "--catalog", catalog)
      expect(status.exitstatus).to eq(1)
      expect(err.lines.size).to eq(1)
      expect(err).to include(shelf)
    end
  end
end
