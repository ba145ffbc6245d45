# frozen_string_literal: true

require "spec_helper"
require "support/s3_server"
require "open3"
require "json"
require "yaml"

# Photosync::S3 as a sync destination, through the extension and the CLI, against a real
# S3 server: each distinct photo uploaded once under the layout's key with its MD5 in the
# metadata, a second sync sends nothing, restore --from s3:// brings the bytes back,
# verify compares the listing with the catalog without downloading, and an object
# deleted behind photosync's back is uploaded again by the next sync.
RSpec.describe "An S3 bucket as a destination" do
  include_context "an S3 server"

  def photos
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/exif-org/sanyo-vpcsx550.jpg"], library)
    FileUtils.cp(File.join(library, "jpg/Canon_40D.jpg"), File.join(library, "same-bytes.jpg"))
    md5s_under(library)
  end

  it "uploads each distinct photo once, byte for byte, under the layout, and a second sync sends nothing" do
    local = photos
    bucket = server.destination("backup")
    events = []
    report = Photosync.sync(library, to: bucket, catalog: catalog) { |e| events << e }
    expect(report).to be_a(Photosync::S3Report)
    expect([report.uploaded, report.failed, report.skipped]).to eq([3, 0, 1])
    stored = File.binread(server.object_file("backup/2008/05/30/Canon_40D.jpg"))
    expect(Digest::MD5.hexdigest(stored)).to eq(local["jpg/Canon_40D.jpg"])
    expect(events.select { |e| e.kind == :uploaded }.map(&:destination).uniq).to eq(["s3://photos/backup"])
    expect(events.map(&:photo_id)).to include("backup/2008/05/30/Canon_40D.jpg")

    again = Photosync.sync(library, to: bucket, catalog: catalog)
    expect([again.uploaded, again.already_there, again.bytes]).to eq([0, 3, 0])
    expect(bucket.inspect).not_to include(S3Server::SECRET)
  end

  it "syncs, verifies, heals and restores through the CLI with the standard AWS settings" do
    local = photos
    url = "s3://#{S3Server::BUCKET}/cli"
    out, err, status = run_cli("sync", library, "--to", url, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("#{url}: 3 uploaded")

    out, _, status = run_cli("verify", url, "--catalog", catalog)
    expect([status.exitstatus, out]).to match([0, /3 objects listed .*all intact/])

    File.delete(server.object_file("cli/2008/05/30/Canon_40D.jpg"))
    out, _, status = run_cli("verify", url, "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(2)
    expect(JSON.parse(out)["missing"]).to eq(["#{url}/2008/05/30/Canon_40D.jpg"])

    out, err, status = run_cli("sync", library, "--to", url, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("#{url}: 1 uploaded").and include("1 lost copies made again")

    back = File.join(tmpdir, "restored")
    out, err, status = run_cli("restore", "--from", url, back, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("3 downloaded")
    expect(md5s_under(back)).to eq(local)
  end

  it "finds with --read-data the bytes that changed in the store behind an intact listing" do
    photos
    url = "s3://#{S3Server::BUCKET}/rot"
    _, err, status = run_cli("sync", library, "--to", url, "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    victim = server.object_file("rot/2008/05/30/Canon_40D.jpg")
    bytes = File.binread(victim)
    bytes.setbyte(4000, bytes.getbyte(4000) ^ 0xff)
    File.binwrite(victim, bytes)

    _, _, status = run_cli("verify", url, "--catalog", catalog)
    expect(status.exitstatus).to eq(0)
    out, _, status = run_cli("verify", url, "--read-data", "--catalog", catalog)
    expect(status.exitstatus).to eq(2)
    expect(out).to include("changed: #{url}/2008/05/30/Canon_40D.jpg").and include("1 changed")
  end

  it "restores byte for byte through the API, in the bucket's layout, to a catalog that never saw it (no copy)" do
    local = photos
    Photosync.sync(library, to: server.destination("api"), catalog: catalog)
    File.delete(server.object_file("api/#{Photosync::ARCHIVE_CATALOG_COPY}"))
    back = File.join(tmpdir, "restored")
    report = Photosync.restore(back, from: server.destination("api"), catalog: File.join(tmpdir, "new.sqlite3"))
    expect([report.downloaded, report.failed, report.mismatched, report.catalog_from]).to eq([3, 0, 0, nil])
    expect(md5s_under(back).values.sort).to eq(local.values.uniq.sort)
    expect(md5s_under(back).keys).to all(match(%r{\A\d{4}/\d\d/\d\d/}))
  end

  it "runs beside an archive in one scan, after it, and plans without sending on --dry-run" do
    photos
    url = "s3://#{S3Server::BUCKET}/both"
    archive = FileUtils.mkdir_p(File.join(tmpdir, "archive")).first
    out, err, status = run_cli("sync", library, "--to", url, "--to", "archive:#{archive}", "--catalog", catalog,
                               "--dry-run")
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("#{url}: would upload 3")
    expect(Dir.exist?(server.object_file("both"))).to be(false)

    out, err, status = run_cli("sync", library, "--to", url, "--to", "archive:#{archive}", "--catalog", catalog, "--json")
    expect(status.exitstatus).to eq(0), err
    names = JSON.parse(out)["destinations"].keys
    expect(names).to eq(["archive:#{File.realpath(archive)}", url])
    expect(JSON.parse(out)["destinations"][url]["uploaded"]).to eq(3)
  end

  it "takes the keys from the s3 section of the credentials file, and the endpoint from PHOTOSYNC_S3_ENDPOINT" do
    photos
    config = File.join(tmpdir, "cfg")
    FileUtils.mkdir_p(File.join(config, "photosync"))
    File.write(File.join(config, "photosync", "credentials.yml"),
               { "s3" => { "access_key_id" => S3Server::KEY_ID, "secret_access_key" => S3Server::SECRET } }.to_yaml)
    env = { "XDG_CONFIG_HOME" => config, "AWS_ACCESS_KEY_ID" => "", "AWS_SECRET_ACCESS_KEY" => "",
            "AWS_ENDPOINT_URL" => "", "PHOTOSYNC_S3_ENDPOINT" => server.endpoint }
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--to", "s3://photos/file",
                                      "--catalog", catalog)
    expect(status.exitstatus).to eq(0), err
    expect(out).to include("s3://photos/file: 3 uploaded")
  end

  it "says which names to set when there are no credentials, in one line" do
    photos
    env = { "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg"), "AWS_ACCESS_KEY_ID" => "", "AWS_SECRET_ACCESS_KEY" => "",
            "AWS_ENDPOINT_URL" => server.endpoint }
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, "sync", library, "--to", "s3://photos/x",
                                      "--catalog", catalog)
    expect(status.exitstatus).to eq(2)
    expect(out + err).to include("AWS_ACCESS_KEY_ID")
    expect(err).not_to include("backtrace", ".rb:")
  end

  it "refuses a malformed address as a usage error" do
    _, err, status = run_cli("sync", library, "--to", "s3://", "--catalog", catalog)
    expect(status.exitstatus).to eq(1)
    expect(err).to include("s3://bucket")
  end
end
