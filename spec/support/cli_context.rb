# frozen_string_literal: true

require "open3"

# The CLI's path (`exe`) and `run_cli`, which runs it with a configuration home of its own
# in the example's temporary folder and the settings in `cli_env` (none unless set).
RSpec.shared_context "the CLI" do
  let(:exe) { File.expand_path("../../exe/photosync", __dir__) }
  let(:cli_env) { {} }

  def run_cli(*args)
    Open3.capture3({ "XDG_CONFIG_HOME" => File.join(tmpdir, "cfg") }.merge(cli_env), RbConfig.ruby, exe, *args)
  end
end
