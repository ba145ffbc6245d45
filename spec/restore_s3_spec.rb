# frozen_string_literal: true

require "spec_helper"
require "support/s3_server"
require "open3"

# Photosync.restore from a bucket and `photosync restore --from s3://...` end to end,
# against a real S3 server: like an archive, a bucket gives every photo back at the
# paths the library held it at (both copies of a duplicate, name case kept), not in the
# bucket's date layout; with the catalog lost too, from the catalog's copy each sync
# leaves in the bucket.
RSpec.describe "Restoring from an S3 bucket" do
  include_context "an S3 server"
  let(:back) { File.join(tmpdir, "restored") }

  # The library as synced to the bucket at prefix, path => MD5.
  def synced_library(prefix)
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
    FileUtils.cp(File.join(library, "jpg/Canon_40D.jpg"), File.join(library, "Same-Bytes.JPG"))
    report = Photosync.sync(library, to: server.destination(prefix), catalog: catalog)
    expect([report.uploaded, report.failed, report.catalog_copied]).to eq([3, 0, true])
    md5s_under(library)
  end

  it "brings a deleted library back byte for byte at its original paths, both copies of a duplicate, case kept" do
    was = synced_library("orig")
    expect(was.values.tally.values.max).to eq(2)
    FileUtils.rm_rf(library)

    report = Photosync.restore(back, from: server.destination("orig"), catalog: catalog)
    expect([report.downloaded, report.failed, report.mismatched]).to eq([3, 0, 0])
    expect(md5s_under(back)).to eq(was)
    expect(md5s_under(back)).to include("Same-Bytes.JPG", "jpg/Canon_40D.jpg")

    again = Photosync.restore(back, from: server.destination("orig"), catalog: catalog)
    expect([again.downloaded, again.skipped]).to eq([0, 3])
  end

  it "into the library's own folder through the CLI (--thaw: nothing to thaw), gives every file back where it was" do
    was = synced_library("cli")
    FileUtils.rm_rf(library)
    out, err, status = run_cli("restore", "--from", "s3://#{S3Server::BUCKET}/cli", library, "--catalog", catalog,
                               "--thaw")
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("3 downloaded")
    expect(out).not_to include("need a thaw")
    expect(md5s_under(library)).to eq(was)
  end

  it "with the library and its catalog both lost, gives the library back at its paths from the bucket alone" do
    was = synced_library("lost")
    expect(File.file?(server.object_file("lost/#{Photosync::ARCHIVE_CATALOG_COPY}"))).to be(true)
    FileUtils.rm_rf(library)
    File.delete(catalog)
    url = "s3://#{S3Server::BUCKET}/lost"
    out, err, status = run_cli("restore", "--from", url, back, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("#{url}/.photosync/catalog.sqlite3 became the catalog").and include("3 downloaded")
    expect(md5s_under(back)).to eq(was)
    expect(Photosync.restore(back, from: server.destination("lost"), catalog: catalog).catalog_from).to be_nil
  end
end
