# frozen_string_literal: true

require "spec_helper"
require_relative "support/library_context"
require_relative "support/cli_context"
require "open3"
require "json"

# Copies that heal: a photo deleted on Flickr, an archive copy deleted and another
# overwritten by hand, a Google Photos item removed in the app. Verify reports each and the
# catalog forgets it; the next sync makes each again exactly once (the changed archive copy
# moved aside, its bytes kept); verify is then clean and status counts right throughout.
RSpec.describe "Copies that heal" do
  include_context "a library in the temporary folder"
  include_context "the CLI"
  let(:archive_root) { File.join(tmpdir, "archive").tap { |d| FileUtils.mkdir_p(d) } }

  # n distinct photos; their MD5s, sorted.
  def photos(n)
    FileUtils.mkdir_p(library)
    n.times { |i| File.binwrite(File.join(library, format("p%02d.jpg", i)), canon + "heal #{i}") }
    Dir[File.join(library, "*.jpg")].map { |f| Digest::MD5.file(f).hexdigest }.sort
  end

  def md5_of(name) = Digest::MD5.file(File.join(library, name)).hexdigest

  # Relative path in the archive of the copy of a library file.
  def archived(name)
    md5 = md5_of(name)
    md5s_under(archive_root).find { |rel, m| m == md5 && !rel.start_with?(".photosync/") }&.first
  end

  def copies_count = Photosync.status(catalog: catalog).by_copies

  # Syncs the library to Flickr and the archive, then loses three copies: one photo
  # deleted on Flickr, one archive copy deleted, one overwritten with other bytes.
  def lose_three(flickr, emu, archive)
    reports = Photosync.sync(library, to: [flickr, archive], catalog: catalog, calls_per_hour: 1_000_000)
    expect(reports.ok?).to be(true), reports.to_h.inspect
    expect(copies_count).to eq(3 => 4)
    gone = emu.photos.find { |p| p.md5 == md5_of("p01.jpg") }
    flickr.call("flickr.photos.delete", photo_id: gone.id)
    File.delete(File.join(archive_root, archived("p02.jpg")))
    changed = archived("p03.jpg")
    File.binwrite(File.join(archive_root, changed), "not the photo any more")
    changed
  end

  it "forgets what verify finds lost and makes each copy again once; status counts right" do
    md5s = photos(4)
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      archive = Photosync::Archive.new(archive_root)
      changed = lose_three(flickr, emu, archive)
      # The catalog does not know yet: every copy still counted.
      expect(copies_count).to eq(3 => 4)

      on_flickr = Photosync.verify(flickr, root: library, catalog: catalog)
      expect(on_flickr.ok?).to be(false)
      expect(on_flickr.missing_on_flickr).to eq([File.join(library, "p01.jpg")])
      expect(on_flickr.forgotten).to eq(1)
      in_archive = archive.verify(catalog: catalog)
      expect(in_archive.ok?).to be(false)
      expect(in_archive.missing.size).to eq(1)
      expect(in_archive.corrupted.map(&:first)).to eq([File.join(archive_root, changed)])
      expect(in_archive.forgotten).to eq(2)
      # Known lost: not counted, and still reported by the next verify until a sync heals it.
      expect(copies_count).to eq(3 => 1, 2 => 3)
      expect(archive.verify(catalog: catalog).ok?).to be(false)

      reports = Photosync.sync(library, to: [flickr, archive], catalog: catalog, calls_per_hour: 1_000_000)
      expect(reports.ok?).to be(true), reports.to_h.inspect
      expect([reports[flickr].uploaded, reports[flickr].healed]).to eq([1, 1])
      expect([reports[archive].copied, reports[archive].healed]).to eq([2, 2])
      expect(emu.photos.map(&:md5).sort).to eq(md5s)
      expect(md5s_under(archive_root).reject { |rel, _| rel.start_with?(".photosync/") }.values.sort).to eq(md5s)
      aside = reports[archive].moved_aside
      expect(aside.size).to eq(1)
      expect(aside.first).to start_with(".photosync/changed/").and end_with(changed)
      expect(File.binread(File.join(archive_root, aside.first))).to eq("not the photo any more")
      expect(archived("p03.jpg")).to eq(changed) # a fresh copy at its own path

      expect(Photosync.verify(flickr, root: library, catalog: catalog).ok?).to be(true)
      clean = archive.verify(catalog: catalog)
      expect(clean.ok?).to be(true), clean.to_h.inspect # the moved-aside copy is not "unknown"
      expect(copies_count).to eq(3 => 4)

      again = Photosync.sync(library, to: [flickr, archive], catalog: catalog, calls_per_hour: 1_000_000)
      expect([again[flickr].uploaded, again[flickr].healed, again[archive].copied, again[archive].healed])
        .to eq([0, 0, 0, 0])
      expect(emu.photos.size).to eq(4)
    end
  end

  it "makes an item removed in the Google Photos app again, once" do
    md5s = photos(3)
    Photosync::GooglePhotosEmulator.start do |gemu|
      google = Photosync::GooglePhotos.new(**gemu.credentials, rate_limit_wait: 0.01, backoff: 0.005)
      expect(google.sync(library, catalog: catalog).uploaded).to eq(3)
      expect(copies_count).to eq(2 => 3)
      expect(gemu.delete_item(gemu.items.find { |i| i.md5 == md5_of("p00.jpg") }.id)).to be(true)

      found = google.verify(library, catalog: catalog)
      expect(found.ok?).to be(false)
      expect([found.missing, found.forgotten]).to eq([[File.join(library, "p00.jpg")], 1])
      expect(copies_count).to eq(2 => 2, 1 => 1)

      report = google.sync(library, catalog: catalog)
      expect([report.uploaded, report.healed]).to eq([1, 1])
      expect(gemu.items.map(&:md5).sort).to eq(md5s)
      expect(google.verify(library, catalog: catalog).ok?).to be(true)
      expect(copies_count).to eq(2 => 3)

      # verify: true finds the next loss without a separate verify.
      gemu.delete_item(gemu.items.find { |i| i.md5 == md5_of("p01.jpg") }.id)
      healed = Photosync.sync(library, to: google, catalog: catalog, verify: true)
      expect([healed.uploaded, healed.healed]).to eq([1, 1])
      expect(gemu.items.map(&:md5).sort).to eq(md5s)
    end
  end

  it "heals through `photosync sync --verify` without a separate verify run; verify exits 2 before, 0 after" do
    md5s = photos(4)
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      run = ->(*args) { Open3.capture3(env, RbConfig.ruby, exe, *args, "--catalog", catalog) }
      to = ["--to", "flickr", "--to", "archive:#{archive_root}"]
      _, err, status = run.call("sync", library, *to)
      expect(status.exitstatus).to eq(0), err
      flickr = Photosync::Flickr.new(**emu.credentials)
      flickr.call("flickr.photos.delete", photo_id: emu.photos.find { |p| p.md5 == md5_of("p01.jpg") }.id)
      File.delete(File.join(archive_root, archived("p02.jpg")))
      File.binwrite(File.join(archive_root, archived("p03.jpg")), "other bytes")

      # A plain sync does not see the losses: the index is incremental.
      out, = run.call("sync", library, *to)
      expect(out).not_to include("made again")
      expect(emu.photos.size).to eq(3)

      out, err, status = run.call("sync", library, *to, "--verify")
      expect(status.exitstatus).to eq(0), out + err
      expect(out).to include("flickr: 1 lost copies made again")
      expect(out).to include("archive:#{archive_root}: 2 lost copies made again")
      expect(out).to include("changed copy moved aside (kept): #{archive_root}/.photosync/changed/")
      expect(emu.photos.map(&:md5).sort).to eq(md5s)

      _, err, status = run.call("verify", "flickr", library)
      expect(status.exitstatus).to eq(0), err
      out, err, status = run.call("verify", "archive:#{archive_root}")
      expect(status.exitstatus).to eq(0), out + err
      _, _, status = run.call("status")
      expect(status.exitstatus).to eq(0)
      expect(copies_count).to eq(3 => 4)
    end
  end

  it "verify exits 2 on each loss and tells what the next sync does" do
    photos(2)
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      env = emu.env.merge("XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"))
      run = ->(*args) { Open3.capture3(env, RbConfig.ruby, exe, *args, "--catalog", catalog) }
      run.call("sync", library, "--to", "flickr", "--to", "archive:#{archive_root}")
      Photosync::Flickr.new(**emu.credentials).call("flickr.photos.delete", photo_id: emu.photos.first.id)
      File.delete(File.join(archive_root, archived("p01.jpg")))
      out, _, status = run.call("verify", "flickr", library)
      expect(status.exitstatus).to eq(2)
      expect(out).to include("1 local photos missing on Flickr")
      expect(out).to include("1 recorded copies are gone from Flickr: forgotten, the next sync uploads them again")
      out, _, status = run.call("verify", "archive:#{archive_root}")
      expect(status.exitstatus).to eq(2)
      expect(out).to include("copies the missing and corrupted ones again")
    end
  end
end
