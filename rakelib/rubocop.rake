# frozen_string_literal: true

# Debian's rubocop (bin/setup installs it) over the whole repository; .rubocop.yml says
# what it covers and its few deliberate exceptions. It is not in the Gemfile (the bundle
# holds what the gem and its specs need), so it runs outside the bundle's environment.
desc "Check the Ruby code with rubocop (.rubocop.yml)"
task :rubocop do
  Bundler.with_unbundled_env do
    sh "rubocop", "--format", "quiet" do |ok, status|
      next if ok

      abort "rake rubocop: rubocop is not installed (bin/setup installs it; apt-get install rubocop)" \
        if status.exitstatus == 127
      abort "rake rubocop: offences above (`rubocop -a --only COP` corrects one cop at a time; review the diff)"
    end
  end
end
