# frozen_string_literal: true

require "spec_helper"

RSpec.describe "Photosync.md5" do
  it "equals Ruby's Digest::MD5 for every fixture" do
    FIXTURE_IMAGES.each do |name|
      path = File.join(FIXTURES, name)
      expect(Photosync.md5(path)).to eq(Digest::MD5.file(path).hexdigest), name
    end
  end

  it "is the empty MD5 for a zero-byte file" do
    path = File.join(tmpdir, "empty.jpg")
    File.write(path, "")
    expect(Photosync.md5(path)).to eq("d41d8cd98f00b204e9800998ecf8427e")
  end

  it "accepts a Pathname and hashes a file larger than any buffer" do
    path = File.join(tmpdir, "big.bin")
    File.binwrite(path, Random.new(7).bytes(3 * 1024 * 1024 + 17))
    expect(Photosync.md5(Pathname(path))).to eq(Digest::MD5.file(path).hexdigest)
  end

  it "raises Photosync::FileError naming a missing file" do
    expect { Photosync.md5(File.join(tmpdir, "nope.jpg")) }
      .to raise_error(Photosync::FileError, /nope\.jpg/)
  end
end
