# frozen_string_literal: true

require "spec_helper"

# exif-py's orientation names.
ORIENTATIONS = {
  "Horizontal (normal)" => 1, "Mirrored horizontal" => 2, "Rotated 180" => 3, "Mirrored vertical" => 4,
  "Mirrored horizontal then rotated 90 CCW" => 5, "Rotated 90 CW" => 6,
  "Mirrored horizontal then rotated 90 CW" => 7, "Rotated 90 CCW" => 8
}.freeze

# Where exif-py and photosync disagree, exiftool decides; each case says why.
EXCEPTIONS = {
  # exif-py prints "No EXIF" for these two, but both carry an EXIF block with only
  # Orientation = 1, which exiftool reads too (`exiftool -Orientation# FILE` => 1).
  "heic/mobile/HMD_Nokia_8.3_5G.heif" => { orientation: 1 },
  "jpg/xmp/no_exif.jpg" => { orientation: 1 }
}.freeze

# Fixtures the dump lists under another name, or not at all (values then from exiftool).
ALIASES = { "heic/mobile/iphone_13_pro_max.HEIC" => "heic/mobile/iphone_13_pro_max.heif" }.freeze

FROM_EXIFTOOL = {
  "heic/IMG_5195.HEIC" => { date_time_original: [2021, 4, 11, 15, 47, 53], make: "Apple",
                            model: "iPhone 11 Pro Max", orientation: nil }
}.freeze

# Every fixture photo read through the native extension, against the reference reading
# by exif-py in exif-py-dump.txt.
RSpec.describe "EXIF of the fixture photos, against exif-py's reference dump" do
  def self.dump
    @dump ||= File.read(File.join(FIXTURES, "exif-py-dump.txt")).split(/^Opening: /).drop(1).to_h do |block|
      name, *lines = block.lines(chomp: true)
      fields = lines.filter_map { |l| l.match(/\A(\w+ \w+) \([^)]*\): (.*)\z/)&.captures }.to_h
      [name, fields]
    end
  end

  def expected_for(name)
    return FROM_EXIFTOOL.fetch(name) if FROM_EXIFTOOL.key?(name)

    fields = self.class.dump.fetch(ALIASES.fetch(name, name))
    {
      date_time_original: fields["EXIF DateTimeOriginal"]&.then { |v| parse_date(v) },
      make: fields["Image Make"]&.strip&.then { |v| v.empty? ? nil : v },
      model: fields["Image Model"]&.strip&.then { |v| v.empty? ? nil : v },
      orientation: fields["Image Orientation"]&.then { |v| ORIENTATIONS[v] || Integer(v, exception: false) }
    }.merge(EXCEPTIONS.fetch(name, {}))
  end

  def parse_date(value)
    m = value.match(/\A(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/) or return nil
    parts = m.captures.map(&:to_i)
    parts.first.zero? ? nil : parts
  end

  it "has a reference reading for every fixture photo" do
    expect(FIXTURE_IMAGES - dump_names - ALIASES.keys - FROM_EXIFTOOL.keys).to eq([])
  end

  def dump_names = self.class.dump.keys

  FIXTURE_IMAGES.each do |name|
    it "reads #{name} as exif-py does" do
      exif = Photosync::Exif.read(File.join(FIXTURES, name))
      want = expected_for(name)
      got = {
        date_time_original: exif&.date_time_original&.then { |t| [t.year, t.month, t.day, t.hour, t.min, t.sec] },
        make: exif&.make, model: exif&.model, orientation: exif&.orientation
      }
      expect(got).to eq(want)
    end
  end
end
