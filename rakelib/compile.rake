# frozen_string_literal: true

require "rake/extensiontask"

Rake::ExtensionTask.new("photosync") do |ext|
  ext.lib_dir = "lib/photosync"
  ext.ext_dir = "ext/photosync"
end

# The mark RubyGems looks for before it loads a gem with extensions from its source tree
# (see extension_dir in the gemspec).
Rake::Task["compile"].enhance do
  FileUtils.mkdir_p("tmp/extension")
  FileUtils.touch("tmp/extension/gem.build_complete")
end
