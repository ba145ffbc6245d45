# frozen_string_literal: true

require "spec_helper"
require "stringio"
require "photosync/progress_bar"

RSpec.describe Photosync::ProgressBar do
  def terminal
    io = StringIO.new
    def io.tty? = true
    io
  end

  it "shows files, bytes, rate, ETA and the retries so far on a terminal" do
    io = terminal
    bar = described_class.new(io, "sync")
    bar.update(3, 10, 3_000_000, 10_000_000, retries: 2)
    line = io.string.split("\r").last
    expect(line).to match(%r{\Async \[#+ *\] 3/10 files  3\.0 MB/10\.0 MB  .*/s  ETA \S+  2 retries\e\[K\z})
  end

  it "leaves the retries out while there are none, and prints nothing when not on a terminal" do
    io = terminal
    described_class.new(io, "sync").update(10, 10, 5, 5)
    expect(io.string).not_to include("retr")
    plain = StringIO.new
    described_class.new(plain, "sync").update(1, 2, 3, 4, retries: 1)
    expect(plain.string).to be_empty
  end
end

RSpec.describe Photosync::ProgressBar, "without sizes ahead" do
  it "goes by files and shows the bytes so far" do
    io = StringIO.new
    def io.tty? = true
    described_class.new(io, "restore").update(5, 10, 2_000_000, nil)
    line = io.string.split("\r").last
    expect(line).to match(%r{\Arestore \[#{'#' * 12} {12}\] 5/10 files  2\.0 MB  })
  end
end
