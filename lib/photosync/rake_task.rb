# frozen_string_literal: true

require "rake"
require "rake/tasklib"
require "photosync"
require "photosync/credentials"

module Photosync
  # A Rake task that backs a folder up to Flickr:
  #
  #   require "photosync/rake_task"
  #   Photosync::RakeTask.new(:backup) do |t|
  #     t.dir = "~/Pictures"
  #     t.concurrency = 8
  #   end
  #
  # Credentials come from FLICKRAW_* (and PHOTOSYNC_FLICKR_ENDPOINT), else from the file
  # `photosync login` wrote. The task fails (raises) when a file could not be uploaded.
  class RakeTask < Rake::TaskLib
    attr_accessor :name, :dir, :concurrency, :privacy, :catalog, :dry_run, :tags, :calls_per_hour, :flickr, :output,
                  :albums, :title, :async

    def initialize(name = :photosync)
      super()
      @name = name
      @concurrency = 4
      @privacy = :family
      @catalog = :default
      @dry_run = false
      @tags = []
      @calls_per_hour = 3600
      @albums = :none
      @title = "{stem}"
      @async = false
      @output = $stdout
      yield self if block_given?
      define
    end

    private

    def define
      desc "Back #{dir || 'the photo folder'} up to Flickr (photosync)"
      task(name) { run }
    end

    def run
      raise Photosync::Error, "#{name}: set t.dir to the folder to back up" unless dir

      client = flickr || Photosync::Flickr.new(**Credentials.current)
      report = Photosync.sync(File.expand_path(dir), to: client, concurrency: concurrency, privacy: privacy,
                                                     catalog: catalog, dry_run: dry_run, tags: tags,
                                                     calls_per_hour: calls_per_hour, albums: albums,
                                                     title: title, async: async)
      output.puts("photosync: #{report.uploaded} uploaded, #{report.skipped} skipped, #{report.failed} failed " \
                  "in #{report.elapsed.round(1)} s")
      report.errors.each { |path, msg| output.puts("  error: #{path}: #{msg}") }
      raise Photosync::Error, "#{report.failed} files could not be uploaded" unless report.ok?

      report
    end
  end
end
