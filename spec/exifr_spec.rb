# frozen_string_literal: true

require "spec_helper"
require "photosync/exifr"
require "stringio"

# An old script's EXIFR calls, unchanged, on photosync's parser.
RSpec.describe "EXIFR facade (require 'photosync/exifr')" do
  let(:canon) { File.join(FIXTURES, "jpg/Canon_40D.jpg") }

  it "reads the taken-date, camera and exposure as exifr does" do
    jpeg = EXIFR::JPEG.new(canon)
    expect(jpeg.exif?).to be(true)
    expect(jpeg.date_time_original).to eq(Time.local(2008, 5, 30, 15, 56, 1))
    expect(jpeg.date_time).to eq(Time.local(2008, 7, 31, 10, 38, 11))
    expect(jpeg.make).to eq("Canon")
    expect(jpeg.model).to eq("Canon EOS 40D")
    expect(jpeg.exposure_time).to eq(Rational(1, 160))
    expect(jpeg.f_number).to eq(Rational(71, 10))
    expect(jpeg.iso_speed_ratings).to eq(100)
    expect(jpeg.orientation.to_i).to eq(1)
    expect(jpeg.orientation.to_sym).to eq(:TopLeft)
  end

  it "takes width and height from the JPEG frame header" do
    jpeg = EXIFR::JPEG.new(canon)
    expect([jpeg.width, jpeg.height]).to eq([100, 68])
    expect(jpeg.to_hash).to include(width: 100, height: 68, make: "Canon")
  end

  it "reads from an IO or StringIO as well as a path" do
    File.open(canon, "rb") { |io| expect(EXIFR::JPEG.new(io).model).to eq("Canon EOS 40D") }
    expect(EXIFR::JPEG.new(StringIO.new(File.binread(canon))).model).to eq("Canon EOS 40D")
  end

  it "gives nil for EXIF fields of a JPEG without EXIF, and NoMethodError for unknown ones" do
    bare = File.join(tmpdir, "bare.jpg")
    # SOI, then the frame header and the rest of the image without the APP1 segment.
    bytes = File.binread(canon)
    app1 = bytes.index("\xFF\xE1".b)
    len = bytes.byteslice(app1 + 2, 2).unpack1("n")
    File.binwrite(bare, bytes.byteslice(0, app1) + bytes.byteslice(app1 + 2 + len..))
    jpeg = EXIFR::JPEG.new(bare)
    expect(jpeg.exif?).to be(false)
    expect(jpeg.date_time_original).to be_nil
    expect(jpeg.width).to eq(100)
    expect { jpeg.no_such_tag }.to raise_error(NoMethodError)
  end

  it "raises EXIFR::MalformedJPEG for what is not a JPEG, as exifr does" do
    expect { EXIFR::JPEG.new(StringIO.new("")) }.to raise_error(EXIFR::MalformedJPEG)
    expect { EXIFR::JPEG.new(StringIO.new("djibberish")) }.to raise_error(EXIFR::MalformedImage)
  end

  it "reads TIFF files through EXIFR::TIFF and refuses others" do
    tiff = EXIFR::TIFF.new(File.join(FIXTURES, "tiff/Arbitro.tiff"))
    expect(tiff.width).to eq(174)
    expect { EXIFR::TIFF.new(canon) }.to raise_error(EXIFR::MalformedTIFF)
  end

  it "gives GPS as decimal degrees" do
    gps_file = FIXTURE_IMAGES.find { |n| n.start_with?("jpg/gps/") }
    jpeg = EXIFR::JPEG.new(File.join(FIXTURES, gps_file))
    expect(jpeg.gps.latitude).to be_a(Float)
    expect(jpeg.gps.longitude).to be_a(Float)
  end
end
