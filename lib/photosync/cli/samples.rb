# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync samples DIR`: a small generated sample library.
    class Samples < Command
      private

      def options(o)
        @seed = 1
        o.banner = "usage: photosync samples DIR [--seed N]"
        o.on("--seed N", "vary the generated pixels (default 1)") { |v| @seed = Check.int("--seed", v, min: 0) }
      end

      def run(argv)
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        n = Photosync.samples(dir, seed: @seed)
        @out.puts("wrote #{n} files to #{dir}")
        0
      end
    end
  end
end
