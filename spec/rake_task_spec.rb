# frozen_string_literal: true

require "spec_helper"
require "photosync/rake_task"
require "stringio"

RSpec.describe Photosync::RakeTask do
  around do |example|
    Photosync::Emulator.start(calls_per_hour: 1_000_000) do |emu|
      @emu = emu
      Rake.application = Rake::Application.new
      Rake::TaskManager.record_task_metadata = true # as `rake -T` does, so descriptions are kept
      example.run
    end
  end

  it "defines a task that backs the folder up with the environment's credentials" do
    library = File.join(tmpdir, "library")
    copy_fixtures(["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"], library)
    out = StringIO.new
    described_class.new(:backup) do |t|
      t.dir = library
      t.concurrency = 8
      t.catalog = File.join(tmpdir, "catalog.sqlite3")
      t.calls_per_hour = 1_000_000
      t.output = out
    end
    old = ENV.to_h
    ENV.update(@emu.env)
    begin
      Rake::Task[:backup].invoke
    ensure
      ENV.replace(old)
    end
    expect(out.string).to start_with("photosync: 2 uploaded, 0 skipped, 0 failed")
    expect(@emu.photos.size).to eq(2)
    expect(Rake::Task[:backup].comment).to include(library)
  end

  it "fails with a clear error when no folder is set" do
    described_class.new(:backup) { |t| t.flickr = Photosync::Flickr.new(**@emu.credentials) }
    expect { Rake::Task[:backup].invoke }.to raise_error(Photosync::Error, /set t.dir/)
  end
end
