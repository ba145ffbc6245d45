# frozen_string_literal: true

# Writes a Makefile that builds the Rust extension with cargo (the rb_sys gem is not
# installable here, and its create_rust_makefile compiles no C anyway). Used by both
# `rake compile` (rake-compiler) and `gem install` (RubyGems). Every path is built from
# __dir__ because rake-compiler runs this from tmp/<arch>/photosync/<ruby>/.
require "mkmf"
require "rbconfig"

ext_dir = File.expand_path(__dir__)
root = File.expand_path("../..", ext_dir)
# RubyGems runs extconf.rb from inside ext/photosync; rake-compiler runs it elsewhere.
gem_install = File.expand_path(Dir.pwd) == ext_dir
# PHOTOSYNC_CARGO_TARGET_DIR lets a build reuse compiled dependencies (the gem-install
# spec points it at the checkout's target/); a gem install's own target/ is removed after.
shared_target = ENV.fetch("PHOTOSYNC_CARGO_TARGET_DIR", "")
target_dir = shared_target.empty? ? File.join(root, "target") : File.expand_path(shared_target)
dlext = RbConfig::CONFIG["DLEXT"]
built = File.join(target_dir, "release", "libphotosync_ext.so")
ruby = File.join(RbConfig::CONFIG["bindir"], RbConfig::CONFIG["ruby_install_name"] + RbConfig::CONFIG["EXEEXT"])
cleanup = gem_install && shared_target.empty? ? "\t-$(RM_RF) #{target_dir}\n" : ""

makefile = +""
makefile << configuration(ext_dir).join
makefile << <<~MAKE
  target_prefix = /photosync
  RUBYARCHDIR = $(sitearchdir)$(target_prefix)
  DLLIB = photosync.#{dlext}
  CARGO ?= cargo
  export RUBY = #{ruby}

  .PHONY: all install clean distclean FORCE
  all: $(DLLIB)

  FORCE:

  $(DLLIB): FORCE
  \t$(CARGO) build --manifest-path #{File.join(ext_dir, 'Cargo.toml')} --lib --release --target-dir #{target_dir}
  \t$(COPY) #{built} $(DLLIB)

  install: $(DLLIB)
  \t$(MAKEDIRS) $(RUBYARCHDIR)
  \t$(INSTALL_PROG) $(DLLIB) $(RUBYARCHDIR)
  #{cleanup}
  clean:
  \t-$(RM) $(DLLIB)

  distclean: clean
  \t-$(RM) Makefile
MAKE
File.write("Makefile", makefile)
