# frozen_string_literal: true

require "spec_helper"
require_relative "support/library_context"
require_relative "support/cli_context"
require "json"

# Photosync.restore from an archive and `photosync restore --from archive:PATH` end to
# end: a library synced to an archive comes back byte for byte after it is deleted, a
# flipped byte in the archive is reported and kept under a marked name, an interrupted
# restore goes on, and --only-missing brings back just what a folder lost.
RSpec.describe "Restoring from an archive" do
  include_context "a library in the temporary folder"
  include_context "the CLI"
  let(:back) { File.join(tmpdir, "restored") }
  let(:archive) { Photosync::Archive.new(FileUtils.mkdir_p(File.join(tmpdir, "archive")).first) }

  def archived_library
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
    Photosync.samples(File.join(library, "generated"))
    report = Photosync.sync(library, to: archive, catalog: catalog)
    expect(report.failed).to eq(0)
    md5s_under(archive.path)
  end

  # The library as it was, path => MD5, for the photos the archive holds (not its litter).
  def library_as_archived(archived)
    md5s_under(library).select { |_, md5| archived.value?(md5) }
  end

  it "brings a deleted library back byte for byte at its original paths, both copies of a duplicate, case kept" do
    archived = archived_library
    was = library_as_archived(archived)
    expect(was.values.tally.values.max).to eq(2)
    expect(was.keys.grep(/\.JPG\z/)).not_to be_empty
    FileUtils.rm_rf(library)

    events = []
    report = Photosync.restore(back, from: archive, catalog: catalog) { |e| events << e.kind }
    expect([report.downloaded, report.failed, report.mismatched, report.unverified]).to eq([archived.size, 0, 0, 0])
    expect(md5s_under(back)).to eq(was)
    expect(md5s_under(back)).to include("jpg/Canon_40D.jpg")
    expect(events).to include(:planned, :downloaded, :finished)

    again = Photosync.restore(back, from: archive, catalog: catalog)
    expect([again.downloaded, again.skipped]).to eq([0, archived.size])
    expect(md5s_under(back)).to eq(was)
  end

  it "into the library's own folder, gives every file back where it was" do
    archived = archived_library
    was = library_as_archived(archived)
    FileUtils.rm_rf(library)
    report = Photosync.restore(library, from: archive, catalog: catalog)
    expect(report.failed).to eq(0)
    expect(md5s_under(library)).to eq(was)
  end

  it "with the library and its catalog both lost, gives the library back at its paths from the archive alone" do
    archived = archived_library
    was = library_as_archived(archived)
    expect(File.file?(File.join(archive.path, Photosync::ARCHIVE_CATALOG_COPY))).to be(true)
    FileUtils.rm_rf(library)
    File.delete(catalog)
    out, err, status = run_cli("restore", "--from", "archive:#{archive.path}", back, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("became the catalog")
    expect(md5s_under(back)).to eq(was)
    expect(File.file?(catalog)).to be(true)
    expect(Photosync.restore(back, from: archive, catalog: catalog).catalog_from).to be_nil
  end

  it "restores an archive this catalog never recorded (and without a catalog copy), its files counted as unchecked" do
    archived = archived_library
    File.delete(File.join(archive.path, Photosync::ARCHIVE_CATALOG_COPY))
    report = Photosync.restore(back, from: archive, catalog: File.join(tmpdir, "new-machine.sqlite3"))
    expect([report.downloaded, report.unverified]).to eq([archived.size, archived.size])
    expect(md5s_under(back)).to eq(archived)
  end

  it "reports a flipped byte in the archive and keeps those bytes under a marked name, never as the photo" do
    archived = archived_library
    victim = "2008/05/30/Canon_40D.jpg"
    path = File.join(archive.path, victim)
    bytes = File.binread(path)
    bytes.setbyte(bytes.bytesize / 2, bytes.getbyte(bytes.bytesize / 2) ^ 0xff)
    File.binwrite(path, bytes)

    events = []
    report = Photosync.restore(back, from: archive, catalog: catalog) { |e| events << e if e.kind == :mismatch }
    expect([report.downloaded, report.mismatched]).to eq([archived.size - 1, 1])
    expect(report.ok?).to be(false)
    expect(events.map { |e| [e.expected, e.actual, e.error] })
      .to eq([[archived[victim], Digest::MD5.hexdigest(bytes), "MD5 #{Digest::MD5.hexdigest(bytes)}, tag says #{archived[victim]}"]])
    expect(report.errors.map(&:last).join).to include(archived[victim], "kept as")
    restored = md5s_under(back)
    expect(restored).not_to include("jpg/Canon_40D.jpg")
    marked = restored.keys.grep(/MISMATCH/)
    expect(marked.size).to eq(1)
    expect(marked.first).to start_with("jpg/Canon_40D.MISMATCH-")
    expect(restored[marked.first]).to eq(Digest::MD5.hexdigest(bytes))

    again = Photosync.restore(back, from: archive, catalog: catalog)
    expect([again.downloaded, again.mismatched]).to eq([0, 1])
  end

  it "goes on where an interrupted restore stopped, leaving no temporary behind" do
    archived = archived_library
    was = library_as_archived(archived)
    FileUtils.rm_rf(library)
    Photosync.restore(back, from: archive, catalog: catalog)
    lost = md5s_under(back).select { |_, md5| was.values.count(md5) == 1 }.keys.first(3)
    lost.each { |rel| File.delete(File.join(back, rel)) }
    part = File.join(back, "jpg/.cafebabe#{Photosync::PART_SUFFIX}")
    File.binwrite(part, "half a photo")

    report = Photosync.restore(back, from: archive, catalog: catalog)
    expect(report.downloaded).to eq(3)
    expect(File.exist?(part)).to be(false)
    expect(md5s_under(back)).to eq(was)
  end

  it "from the CLI: --only-missing restores what the library lost, --albums is refused with the reason" do
    archived_library
    gone = %w[jpg/Nikon_D70.jpg jpg/exif-org/sanyo-vpcsx550.jpg].to_h do |rel|
      [Digest::MD5.file(File.join(library, rel)).hexdigest, File.delete(File.join(library, rel))]
    end
    out, err, status = run_cli("restore", "--from", "archive:#{archive.path}", back, "--only-missing", library,
                               "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(0), err
    report = JSON.parse(out.lines.last)
    expect([report["downloaded"], report["failed"]]).to eq([2, 0])
    expect(md5s_under(back).values.sort).to eq(gone.keys.sort)

    _, err, status = run_cli("restore", "--from", "archive:#{archive.path}", back, "--albums", "--catalog", catalog)
    expect(status.exitstatus).not_to eq(0)
    expect(err).to match(/an archive has no albums/)
  end
end
