# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync version`: the version, and which MD5 code path this machine uses.
    class Version < Command
      # Its arguments are not parsed as options: any is unexpected.
      def call(argv)
        return help(OptionParser.new("usage: photosync version")) if argv.include?("-h") || argv.include?("--help")

        no_more_arguments(argv)
        @out.puts("photosync #{VERSION}", "md5: #{Photosync.md5_path}")
        0
      end
    end
  end
end
