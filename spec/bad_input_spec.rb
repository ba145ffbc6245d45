# frozen_string_literal: true

require "spec_helper"
require "timeout"
require "open3"
require "json"

# Broken, hostile and odd files give a per-file error (or a clear note) and never stop
# the scan or lose another file's result. Inputs are made here from the fixtures.
RSpec.describe "Bad input to the scanner" do
  let(:library) { File.join(tmpdir, "library") }
  let(:canon) { File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) }

  before { FileUtils.mkdir_p(library) }

  def write(name, bytes)
    File.binwrite(File.join(library, name), bytes)
  end

  def scan
    Timeout.timeout(60) { Photosync.scan(library, catalog: nil) }
  end

  def photo(result, name)
    result.find { |p| p.path.b.end_with?("/#{name}".b) } or raise "no photo #{name}"
  end

  it "reports a zero-byte file and still gives its MD5" do
    write("empty.jpg", "")
    write("good.jpg", canon)
    r = scan
    expect(photo(r, "empty.jpg").error).to eq("empty file")
    expect(photo(r, "empty.jpg").md5).to eq("d41d8cd98f00b204e9800998ecf8427e")
    expect(photo(r, "good.jpg").error).to be_nil
  end

  it "reports random bytes named .jpg" do
    write("noise.jpg", Random.new(3).bytes(5000))
    p = photo(scan, "noise.jpg")
    expect(p.error).to match(/not a jpeg file/)
    expect(p.md5).to eq(Digest::MD5.hexdigest(File.binread(p.path)))
  end

  it "survives a JPEG truncated at any offset, with the right MD5 for each" do
    offsets = (0...600).step(7).to_a + (600...canon.bytesize).step(997).to_a
    offsets.each { |n| write(format("cut%06d.jpg", n), canon.byteslice(0, n)) }
    r = scan
    expect(r.size).to eq(offsets.size)
    r.each do |p|
      expect(p.md5).to eq(Digest::MD5.hexdigest(File.binread(p.path)))
      expect(p.taken_at).to be_a(Time)
    end
    expect(photo(r, "cut000000.jpg").error).to eq("empty file")
  end

  # The TIFF structure inside the APP1 segment: where it starts, its byte order.
  def tiff_start(bytes)
    bytes.index("Exif\0\0".b) + 6
  end

  def u32_format(bytes, tiff) = bytes.byteslice(tiff, 2) == "II" ? "V" : "N"
  def u16_format(bytes, tiff) = bytes.byteslice(tiff, 2) == "II" ? "v" : "n"

  it "reports EXIF whose IFD offset points outside the file" do
    bytes = canon.dup
    tiff = tiff_start(bytes)
    bytes[tiff + 4, 4] = [0x7FFF_FF00].pack(u32_format(bytes, tiff))
    write("outside.jpg", bytes)
    write("good.jpg", canon)
    r = scan
    expect(photo(r, "outside.jpg").error).to match(/EXIF/)
    expect(photo(r, "outside.jpg").md5).to eq(Digest::MD5.hexdigest(bytes))
    expect(photo(r, "good.jpg").make).to eq("Canon")
  end

  it "does not loop on EXIF whose next-IFD pointer points back at itself" do
    bytes = canon.dup
    tiff = tiff_start(bytes)
    ifd0 = bytes.byteslice(tiff + 4, 4).unpack1(u32_format(bytes, tiff))
    count = bytes.byteslice(tiff + ifd0, 2).unpack1(u16_format(bytes, tiff))
    bytes[tiff + ifd0 + 2 + count * 12, 4] = [ifd0].pack(u32_format(bytes, tiff))
    write("loop.jpg", bytes)
    p = photo(scan, "loop.jpg")
    expect(p.md5).to eq(Digest::MD5.hexdigest(bytes))
    # Either the loop is reported, or the fields before it are kept: never a hang.
    expect(p.error.to_s + p.make.to_s).to match(/EXIF|Canon/)
  end

  it "keeps file names that are not valid UTF-8, byte for byte" do
    name = "caf\xE9 \xFF.jpg".b
    File.binwrite(File.join(library.b, name), canon)
    p = scan.first
    expect(p.path.b).to end_with(name)
    expect(File.binread(p.path)).to eq(canon)
    expect(p.md5).to eq(Digest::MD5.hexdigest(canon))

    # --json: the text for reading, the exact bytes in base64 (docs/cli.md).
    exe = File.expand_path("../exe/photosync", __dir__)
    db = File.join(tmpdir, "odd.sqlite3")
    out, err, status = Open3.capture3(exe, "scan", library, "--json", "--catalog", db)
    expect(status.exitstatus).to eq(0), err
    row = JSON.parse(out.lines.first)
    expect(row["path"]).to end_with("caf\uFFFD \uFFFD.jpg")
    expect(row["path_b64"].unpack1("m0")).to eq(p.path.b)
    out, = Open3.capture3(exe, "status", library, "--json", "--catalog", db)
    photo = JSON.parse(out)["photos"].first
    expect(photo["local_b64"].map { |b| b.unpack1("m0") }).to eq([p.path.b])
  end

  it "reports a file that grows while it is read, and gives it no MD5" do
    big = File.join(library, "growing.mp4")
    File.open(big, "wb") { |f| f.truncate(3 * 1024**3) }
    grown = false
    r = Photosync.scan(library, catalog: nil) do |prog|
      next if grown || prog.bytes_done.zero?

      File.open(big, "ab") { |f| f.write("more") }
      grown = true
    end
    expect(grown).to be(true)
    p = photo(r, "growing.mp4")
    expect(p.error).to match(/changed while being read/)
    expect(p.md5).to be_nil
  end

  it "reports a file it has no permission to read and goes on" do
    write("locked.jpg", canon)
    write("open.jpg", canon)
    File.chmod(0o000, File.join(library, "locked.jpg"))
    FileUtils.chmod(0o755, [tmpdir, library])
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      # Root reads every file: drop to nobody so permissions apply, as for a user.
      Process::Sys.setresgid(65_534, 65_534, 65_534) if Process.uid.zero?
      Process::Sys.setresuid(65_534, 65_534, 65_534) if Process.uid.zero?
      r = Photosync.scan(library, catalog: nil)
      Marshal.dump(r.map { |p| [File.basename(p.path), p.md5, p.error] }, writer)
      exit!(0)
    end
    writer.close
    rows = Marshal.load(reader.read)
    Process.wait(pid)
    locked = rows.find { |n, _, _| n == "locked.jpg" }
    expect(locked[1]).to be_nil
    expect(locked[2]).to match(/locked\.jpg.*[Pp]ermission denied/)
    expect(rows.find { |n, _, _| n == "open.jpg" }[1]).to eq(Digest::MD5.hexdigest(canon))
  end
end
