# frozen_string_literal: true

require "spec_helper"

RSpec.describe Photosync::Emulator do
  let(:jpeg) { File.join(FIXTURES, "jpg/Canon_40D.jpg") }

  it "keeps its photos across a restart with data:" do
    data = File.join(tmpdir, "emulator-data")
    id = described_class.start(data: data, seed: 3) do |emu|
      Photosync::Flickr.new(**emu.credentials).upload_photo(jpeg, title: "kept", tags: "checksum:md5=abc")
    end
    described_class.start(data: data, seed: 3) do |emu|
      expect(emu.photos.map(&:id)).to eq([id])
      expect(emu.photos.first.md5).to eq(Digest::MD5.file(jpeg).hexdigest)
      found = Photosync::Flickr.new(**emu.credentials).photos.search(user_id: "me", machine_tags: "checksum:md5=abc")
      expect(found.map(&:id)).to eq([id])
    end
  end

  it "counts calls per method and forgets everything on reset" do
    described_class.start do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      flickr.upload_photo(jpeg)
      2.times { flickr.test.echo }
      expect(emu.call_counts).to include("flickr.test.echo" => 2, "upload" => 1)
      emu.reset
      expect(emu.photos).to be_empty
      expect(emu.call_counts.values.sum).to eq(0)
    end
  end

  it "is deterministic for a seed: same credentials, same fault sequence" do
    outcomes = 2.times.map do
      described_class.start(seed: 42, fault_rate: 0.5, faults: %w[http503 flickr105]) do |emu|
        flickr = Photosync::Flickr.new(**emu.credentials)
        [emu.api_key, 12.times.map do
          flickr.test.echo
          :ok
        rescue Photosync::Error => e
          e.class.name
        end]
      end
    end
    expect(outcomes[0]).to eq(outcomes[1])
    expect(outcomes[0][1].uniq.size).to be > 1
  end

  it "refuses a fault rate outside 0..1 and an unknown fault kind, clearly" do
    described_class.start do |emu|
      expect { emu.fault_rate = 2 }.to raise_error(Photosync::Error, /between 0 and 1/)
      expect { emu.fault_kinds = ["gremlins"] }.to raise_error(Photosync::Error, /unknown fault "gremlins"/)
    end
  end

  it "lets a slow call be interrupted: Thread#raise stops it at once, the GVL is free meanwhile" do
    described_class.start(latency: 30) do |emu|
      flickr = Photosync::Flickr.new(**emu.credentials)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      ticks = ticks_during do
        caller = Thread.new do
          flickr.test.login
          :finished
        rescue RuntimeError => e
          e.message
        end
        sleep 0.5
        caller.raise(RuntimeError, "stop waiting")
        expect(caller.value).to eq("stop waiting")
      end
      expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 10
      expect(ticks).to be > 10
    end
  end
end
