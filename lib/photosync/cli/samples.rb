# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync samples DIR`: a small generated sample library.
    class Samples < Command
      private

      def options(o)
        @opts = { seed: 1 }
        o.banner = "usage: photosync samples DIR [--seed N]"
        number_option(o, @opts, "--seed N", :seed, "vary the generated pixels (default 1)", whole: 0..4_294_967_295)
      end

      def run(argv)
        dir = argv.shift or raise Usage, "missing DIR"
        no_more_arguments(argv)
        n = Photosync.samples(dir, seed: @opts[:seed])
        @out.puts("wrote #{n} files to #{dir}")
        0
      end
    end
  end
end
