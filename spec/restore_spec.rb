# frozen_string_literal: true

require "spec_helper"
require "open3"
require "json"
require "photosync/flickraw"

# Photosync.restore and `photosync restore` end to end: a library synced to the
# emulator comes back byte for byte, a killed restore leaves no partial file under a
# real name, and hostile titles stay inside the folder.
RSpec.describe "Restoring from Flickr" do
  let(:exe) { File.expand_path("../exe/photosync", __dir__) }
  let(:library) { File.join(tmpdir, "library") }
  let(:back) { File.join(tmpdir, "restored") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }

  def md5s_under(dir)
    Dir.glob(File.join(dir, "**/*"), File::FNM_DOTMATCH).select { |f| File.file?(f) }
       .to_h { |f| [f, Digest::MD5.file(f).hexdigest] }
  end

  def library_with_fixtures_and_generated_photos
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
    Photosync.samples(File.join(library, "generated"))
  end

  it "brings a synced library back byte for byte at its paths after it is deleted; a second restore downloads nothing" do
    library_with_fixtures_and_generated_photos
    Photosync::Emulator.start(calls_per_hour: 1_000_000, search_lag: 0) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      synced = Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000)
      uploaded = md5s_under(library).values.uniq.sort & emu.photos.map(&:md5)
      expect(uploaded.size).to eq(emu.photos.size)
      # What Flickr holds of the library, at its paths (a duplicate's two copies both).
      relative = ->(dir) { md5s_under(dir).transform_keys { |path| path.delete_prefix("#{dir}/") } }
      was = relative[library].select { |_, md5| uploaded.include?(md5) }
      FileUtils.rm_rf(library)

      events = []
      report = Photosync.restore(back, from: flickr, catalog: catalog, calls_per_hour: 1_000_000) { |e| events << e.kind }
      expect([report.downloaded, report.failed, report.mismatched]).to eq([synced.uploaded, 0, 0])
      expect(relative[back]).to eq(was)
      expect(md5s_under(back).values.uniq.sort).to eq(emu.photos.map(&:md5).sort)
      expect(events).to include(:planned, :downloaded, :finished)

      again = Photosync.restore(back, from: flickr, catalog: catalog, calls_per_hour: 1_000_000)
      expect(again.downloaded).to eq(0)
      expect(again.skipped).to eq(emu.photos.size)
    end
  end

  it "killed with SIGKILL again and again, leaves no partial file under a real name; the last restore is complete" do
    FileUtils.mkdir_p(library)
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    24.times { |i| File.binwrite(File.join(library, format("p%02d.jpg", i)), canon + "distinct #{i}") }
    Photosync::Emulator.start(latency: 0.05, calls_per_hour: 1_000_000) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      Photosync.sync(library, to: flickr, catalog: catalog, calls_per_hour: 1_000_000)
      account = emu.photos.map(&:md5).sort
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      rng = Random.new(7)
      counts = []
      8.times do
        pid = spawn(env, RbConfig.ruby, exe, "restore", "--from", "flickr", back, "--catalog", catalog, "-j", "3",
                    out: File::NULL, err: File::NULL)
        sleep(0.3 + rng.rand * 0.6)
        Process.kill("KILL", pid)
        Process.wait(pid)
        counts << md5s_under(back).count { |path, _| !path.end_with?(Photosync::PART_SUFFIX) }
        md5s_under(back).each do |path, md5|
          next if File.basename(path).end_with?(Photosync::PART_SUFFIX)

          expect(account).to include(md5), "#{path} is not a whole photo"
        end
      end
      expect(counts).to include(be < account.size), "no kill landed mid-restore: #{counts}"
      out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "restore", "--from", "flickr", back,
                                        "--catalog", catalog, "--json")
      expect(status.exitstatus).to eq(0), err
      expect(JSON.parse(out.lines.last)["failed"]).to eq(0)
      files = md5s_under(back)
      expect(files.keys.grep(/#{Regexp.escape(Photosync::PART_SUFFIX)}\z/)).to be_empty
      expect(files.values.sort).to eq(account)
    end
  end

  it "keeps every file inside the folder whatever the titles say" do
    FileUtils.mkdir_p(library)
    canon = File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg"))
    titles = ["../../escape", "/etc/passwd", "nul\0byte", "CON", "x" * 1000, "same", "same", "\e[2Jcontrol"]
    Photosync::Emulator.start(calls_per_hour: 1_000_000, search_lag: 0) do |emu|
      old = FlickRaw::Flickr.new(emu.api_key, emu.shared_secret, access_token: emu.access_token,
                                                                 access_secret: emu.access_secret, endpoint: emu.endpoint)
      titles.each_with_index do |title, i|
        path = File.join(library, "t#{i}.jpg")
        File.binwrite(path, canon + "title #{i}")
        old.upload_photo(path, title: title, tags: "checksum:md5=#{Digest::MD5.file(path).hexdigest}")
      end
      report = Photosync.restore(back, from: Photosync::Flickr.new(**emu.credentials), catalog: catalog,
                                       calls_per_hour: 1_000_000)
      expect(report.downloaded).to eq(titles.size)
      root = File.realpath(back)
      files = md5s_under(back).keys
      expect(files.size).to eq(titles.size)
      files.each do |f|
        expect(File.realpath(f)).to start_with("#{root}/")
        expect(File.basename(f)).not_to match(/[[:cntrl:]]/)
        expect(File.basename(f).bytesize).to be <= 200
      end
      expect(files.map { |f| File.basename(f) }).to include("same.jpg", "same (2).jpg", "_CON.jpg")
    end
  end
end
