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

  it "never promises an ETA shorter than the pacing allows: a fast start in the burst is not the pace" do
    io = terminal
    bar = described_class.new(io, "sync", seconds_per_file: 1.0)
    sleep 0.01
    # 10 of 3,610 files in a hundredth of a second: the bytes alone would say "0:04".
    bar.update(10, 3610, 10_000_000, 3_610_000_000)
    expect(io.string.split("\r").last).to include("ETA 1:00:00")
    unpaced = terminal
    described_class.new(unpaced, "sync").tap { sleep 0.01 }.update(10, 3610, 10_000_000, 3_610_000_000)
    expect(unpaced.string).not_to include("ETA 1:00:00")
  end

  it "leaves the retries out while there are none, and prints nothing on a short run when not on a terminal" do
    io = terminal
    described_class.new(io, "sync").update(10, 10, 5, 5)
    expect(io.string).not_to include("retr")
    plain = StringIO.new
    bar = described_class.new(plain, "sync")
    bar.update(1, 2, 3, 4, retries: 1)
    bar.update(2, 2, 4, 4)
    bar.finish
    expect(plain.string).to be_empty
  end

  it "writes plain lines, at most one per interval, when not on a terminal (a log, cron's mail)" do
    plain = StringIO.new
    every_time = described_class.new(plain, "sync", every: 0)
    quiet = described_class.new(plain, "sync", every: 3600)
    (1..4).each do |n|
      every_time.update(n, 4, n * 1_000_000, 4_000_000)
      quiet.update(n, 4, n * 1_000_000, 4_000_000)
    end
    [every_time, quiet].each(&:finish)
    lines = plain.string.lines
    expect(lines.size).to eq(4)
    expect(lines).to all(match(%r{\Async \[#* *\] \d/4 files  .* ETA \S+\n\z}))
    expect(plain.string).not_to include("\r", "\e")
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
