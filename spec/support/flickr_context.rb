# frozen_string_literal: true

require "photosync/flickraw"

# An emulator per example with a Flickr client for it, a library folder and a catalog,
# for the sync specs; `old_script` is a FlickRaw client as the old backup script used.
# An example tagged `search_lag: 0` gets a search that sees uploads at once (the
# emulator's default lags, as Flickr's does): for examples that search right after
# uploading.
RSpec.shared_context "a library synced to the emulator" do
  around do |example|
    Photosync::Emulator.start(calls_per_hour: 1_000_000, **example.metadata.slice(:search_lag)) do |emu|
      @emu = emu
      example.run
    end
  end

  let(:emu) { @emu }
  let(:flickr) { Photosync::Flickr.new(**emu.credentials) }
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }
  let(:old_script) do
    FlickRaw::Flickr.new(emu.api_key, emu.shared_secret, access_token: emu.access_token,
                                                         access_secret: emu.access_secret, endpoint: emu.endpoint)
  end
end
