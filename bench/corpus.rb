# frozen_string_literal: true

require "fileutils"
require "json"

module Bench
  # Generated trees for `rake bench`: JPEG heads cut from the EXIF fixtures, followed
  # by a start-of-scan segment, random entropy-coded bytes (no 0xFF, so no markers) and
  # EOI: well-formed enough that the scanner's image-data hash walks the whole file, as
  # it does on a camera's JPEG. Each tree is written once and reused while its manifest (written
  # last, next to the tree) still matches the spec it was made from.
  module Corpus
    VERSION = 2
    MIB = 1024 * 1024
    GIB = 1024 * MIB
    # A baseline JPEG's start of scan: one component, Huffman tables 0/0, full spectrum.
    SOS = "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00".b

    module_function

    # The fixtures: next to the project in CI (../shared), overridable for other setups.
    def fixtures_dir(root)
      ENV.fetch("PHOTOSYNC_FIXTURES") { File.expand_path("../shared/fixtures/exif-samples", root) }
    end

    # The bytes of each fixture JPEG up to the end of its EXIF APP1 segment (at most
    # 64 KiB), so every generated file has a real EXIF block and random bytes after it.
    def heads(fixtures)
      found = Dir[File.join(fixtures, "jpg", "**", "*.jpg")].sort.filter_map { |f| exif_head(f) }
      raise "no JPEG with EXIF under #{fixtures} (set PHOTOSYNC_FIXTURES)" if found.empty?

      found
    end

    def exif_head(path, cap = 64 * 1024)
      data = File.binread(path, cap)
      pos = 2
      return nil unless data.start_with?("\xFF\xD8".b)

      while pos + 4 <= data.bytesize && data.getbyte(pos) == 0xFF && data.getbyte(pos + 1) != 0xDA
        seg_end = pos + 2 + data.byteslice(pos + 2, 2).unpack1("n")
        exif = data.getbyte(pos + 1) == 0xE1 && data.byteslice(pos + 4, 4) == "Exif"
        return data.byteslice(0, seg_end) if exif && seg_end <= data.bytesize

        pos = seg_end
      end
      nil
    end

    # Big files (2-8 MiB each) adding up to at least `bytes`, in a few folders.
    def photos(dir, heads:, bytes:, seed: 1)
      spec = { kind: "photos", bytes: bytes, seed: seed, heads: heads.map(&:bytesize) }
      ensure_tree(dir, spec) do
        rng = Random.new(seed)
        total = 0
        i = 0
        while total < bytes
          size = rng.rand(2 * MIB..8 * MIB)
          write(File.join(dir, format("%04d-%02d", 2015 + (i % 8), 1 + (i % 12)), format("IMG_%05d.jpg", i)),
                heads[rng.rand(heads.size)], size, rng)
          total += size
          i += 1
        end
        { files: i, bytes: total }
      end
    end

    # `count` small files (1-4 KiB, a fixture head each) in folders of `per_folder`.
    def small(dir, heads:, count:, per_folder: 1000, seed: 2)
      spec = { kind: "small", count: count, per_folder: per_folder, seed: seed, heads: heads.map(&:bytesize) }
      ensure_tree(dir, spec) do
        rng = Random.new(seed)
        fitting = heads.select { |h| h.bytesize <= 3 * 1024 }
        total = 0
        count.times do |i|
          size = rng.rand(1024..4096)
          head = fitting.select { |h| h.bytesize < size }.then { |fit| fit[rng.rand(fit.size)] }
          write(File.join(dir, format("%03d", i / per_folder), format("IMG_%06d.jpg", i)), head, size, rng)
          total += size
        end
        { files: count, bytes: total }
      end
    end

    # One sparse file of `bytes` that starts with a fixture head (the memory test).
    def sparse(dir, head:, bytes:)
      spec = { kind: "sparse", bytes: bytes, head: head.bytesize }
      ensure_tree(dir, spec) do
        path = File.join(dir, "PANO_2GiB.jpg")
        File.open(path, "wb") do |f|
          f.write(head)
          f.truncate(bytes)
        end
        { files: 1, bytes: bytes }
      end
    end

    # One sparse video of `bytes` (an MP4 `ftyp` box, then zeros): one long stream.
    def video(dir, bytes:)
      spec = { kind: "video", bytes: bytes }
      ensure_tree(dir, spec) do
        File.open(File.join(dir, "MVI_0001.mp4"), "wb") do |f|
          f.write("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2".b)
          f.truncate(bytes)
        end
        { files: 1, bytes: bytes }
      end
    end

    def write(path, head, size, rng)
      FileUtils.mkdir_p(File.dirname(path))
      File.open(path, "wb") do |f|
        f.write(head)
        f.write(SOS)
        f.write(rng.bytes([size - head.bytesize - SOS.bytesize - 2, 0].max).tr("\xFF".b, "\xFE".b))
        f.write("\xFF\xD9".b)
      end
    end

    # Yields to (re)build the tree unless dir's manifest matches spec; returns the
    # manifest (spec plus what the block reported: files, bytes).
    def ensure_tree(dir, spec)
      manifest_path = "#{dir}.manifest.json"
      spec = JSON.parse(JSON.generate(spec.merge(version: VERSION)))
      if File.directory?(dir) && File.exist?(manifest_path)
        manifest = JSON.parse(File.read(manifest_path))
        return manifest if manifest["spec"] == spec
      end

      FileUtils.rm_rf([dir, manifest_path])
      FileUtils.mkdir_p(dir)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      made = yield
      warn format("  generated %s: %d files, %.1f MiB in %.1f s", dir, made[:files], made[:bytes].fdiv(MIB),
                  Process.clock_gettime(Process::CLOCK_MONOTONIC) - started)
      manifest = { "spec" => spec, "files" => made[:files], "bytes" => made[:bytes] }
      File.write(manifest_path, JSON.pretty_generate(manifest))
      manifest
    end
  end
end
