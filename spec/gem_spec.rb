# frozen_string_literal: true

require "spec_helper"
require "open3"
require "bundler"

# The gem as users get it: `gem build`, then `gem install` compiles the extension through
# ext/photosync/extconf.rb, and a fresh ruby process (no -Ilib, no bundler) loads it.
RSpec.describe "the packaged gem" do
  let(:root) { File.expand_path("..", __dir__) }

  it "builds, installs into a fresh GEM_HOME, compiles, and loads in a new process" do
    gem_home = File.join(tmpdir, "gems")
    gem_file = File.join(tmpdir, "photosync.gem")
    Bundler.with_unbundled_env do
      _out, err, status = Open3.capture3("gem", "build", "photosync.gemspec", "--output", gem_file, chdir: root)
      expect(status).to be_success, err

      env = { "GEM_HOME" => gem_home, "GEM_PATH" => gem_home,
              # Reuse compiled dependencies; the gem's own crates still compile from its sources.
              "PHOTOSYNC_CARGO_TARGET_DIR" => File.join(root, "target") }
      _out, err, status = Open3.capture3(env, "gem", "install", "--local", "--no-document", gem_file)
      expect(status).to be_success, err

      canon = File.join(FIXTURES, "jpg/Canon_40D.jpg")
      script = 'require "photosync"; puts Photosync.md5(ARGV[0]); puts $LOADED_FEATURES.grep(/photosync\.so/)'
      out, err, status = Open3.capture3(env, RbConfig.ruby, "-e", script, canon, chdir: tmpdir)
      expect(status).to be_success, err
      md5, so = out.lines(chomp: true)
      expect(md5).to eq(Digest::MD5.file(canon).hexdigest)
      expect(so).to start_with(gem_home)

      out, _err, status = Open3.capture3(env, File.join(gem_home, "bin/photosync"), "version")
      expect(status).to be_success
      expect(out).to eq("photosync #{Photosync::VERSION}\nmd5: #{Photosync.md5_path}\n")
    end
  end

  it "loads from its source tree in irb (bundle exec irb -Ilib) with no 'extensions are not built' warning" do
    out, status = Open3.capture2e("bundle", "exec", "irb", "-Ilib", "--noecho", "--noprompt",
                                  stdin_data: "require 'photosync'\nputs Photosync::VERSION\nrequire 'set'\n",
                                  chdir: root)
    expect(status).to be_success, out
    expect(out).to include(Photosync::VERSION)
    expect(out).not_to include("Ignoring")
  end
end
