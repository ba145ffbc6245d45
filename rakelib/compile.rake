# frozen_string_literal: true

require "rake/extensiontask"

Rake::ExtensionTask.new("photosync") do |ext|
  ext.lib_dir = "lib/photosync"
  ext.ext_dir = "ext/photosync"
end
