# frozen_string_literal: true

require_relative "photosync/version"

# Loads the native extension: first where precompiled gems put it, then the plain
# place `rake compile` and `gem install` use. Only a missing versioned path falls
# through; any other LoadError (an undefined symbol) is real and is raised.
begin
  require "photosync/#{RUBY_VERSION[/\d+\.\d+/]}/photosync"
rescue LoadError => e
  raise unless e.path == "photosync/#{RUBY_VERSION[/\d+\.\d+/]}/photosync"

  require "photosync/photosync"
end

module Photosync
end
