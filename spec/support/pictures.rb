# frozen_string_literal: true

require "zlib"

# Pictures made in the specs, without an image library: grey scenes with edges
# everywhere, their half-size exports, written as PNGs.
module Pictures
  # A grey picture with edges everywhere: rings and stripes, moved `dx` pixels.
  def scene(width, height, dx = 0)
    Array.new(height) do |y|
      Array.new(width) do |x|
        u = x + dx
        v = 128 + (60 * Math.sin(u / 5.0)) + (50 * Math.cos(y / 7.0)) + (((u - 80)**2) + ((y - 60)**2) < 900 ? 20 : -20)
        v.clamp(0, 255).round
      end
    end
  end

  # Each 2x2 block averaged: what a half-size export holds.
  def halved(rows)
    rows.each_slice(2).map do |pair|
      pair[0].each_slice(2).with_index.map do |_, i|
        (pair[0][2 * i] + pair[0][(2 * i) + 1] + pair[1][2 * i] + pair[1][(2 * i) + 1]) / 4
      end
    end
  end

  def write_png(path, rows)
    FileUtils.mkdir_p(File.dirname(path))
    chunk = ->(type, data) { [data.bytesize].pack("N") + type + data + [Zlib.crc32(type + data)].pack("N") }
    header = [rows.first.size, rows.size, 8, 0, 0, 0, 0].pack("NNCCCCC")
    raw = rows.map { |r| "\0".b + r.pack("C*") }.join
    File.binwrite(path, "\x89PNG\r\n\x1A\n".b + chunk.call("IHDR", header) +
                        chunk.call("IDAT", Zlib::Deflate.deflate(raw)) + chunk.call("IEND", ""))
  end
end

# Whole JPEGs with distinct image data, without an encoder: a fixture with one byte of
# its entropy-coded data changed, at another place in each copy (never an FF, nor the
# byte after one, so every marker stays where it was). `trailer`: bytes after the end
# marker (as cameras append previews), which make a file bigger, not another picture.
module DistinctJpegs
  # n such copies of FIXTURES/jpg/<fixture> as dir/<prefix>NNNN.jpg; returns their paths.
  def distinct_jpegs(dir, n, fixture: "Canon_40D.jpg", prefix: "IMG_", trailer: "")
    FileUtils.mkdir_p(dir)
    bytes = File.binread(File.join(FIXTURES, "jpg", fixture))
    spots = entropy_spots(bytes)
    raise "#{fixture} has room for #{spots.size} distinct copies, not #{n}" if spots.size < n

    Array.new(n) do |i|
      copy = bytes.dup
      copy.setbyte(spots[i], copy.getbyte(spots[i]) ^ 0x01)
      File.join(dir, format("%<p>s%<i>04d.jpg", p: prefix, i: i)).tap { |path| File.binwrite(path, copy + trailer) }
    end
  end

  private

  # Offsets in the scan data after the last SOS header whose byte, the one before and the
  # one it becomes are not FF.
  def entropy_spots(bytes)
    sos = bytes.rindex("\xFF\xDA".b)
    start = sos + 2 + bytes.byteslice(sos + 2, 2).unpack1("n")
    (start + 1...bytes.index("\xFF\xD9".b, start)).select do |at|
      b = bytes.getbyte(at)
      b != 0xFF && b != 0xFE && bytes.getbyte(at - 1) != 0xFF
    end
  end
end
