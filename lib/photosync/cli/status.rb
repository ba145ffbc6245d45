# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync status [DIR]`: how many independent copies each photo has.
    class Status < Command
      private

      def options(o)
        @opts = { catalog: :default, min_copies: nil, json: false }
        o.banner = "usage: photosync status [DIR] [--min-copies N] [--catalog PATH] [--json]"
        number_option(o, @opts, "--min-copies N", :min_copies,
                      "list photos with fewer copies; exit 2 when there are any", whole: 1..1000)
        catalog_option(o, @opts)
        o.on("--json", "print every photo with its copies as JSON") { @opts[:json] = true }
      end

      def run(argv)
        root = argv.shift
        no_more_arguments(argv)
        # The summary needs the counts and the short photos only, not a Ruby object per photo.
        below = @opts[:json] ? nil : @opts[:min_copies].to_i
        s = Photosync.status(root: root, catalog: @opts[:catalog], below: below)
        short = @opts[:min_copies] ? s.below(@opts[:min_copies]) : []
        @opts[:json] ? @out.puts(JSON.generate(s.to_h)) : print_status(s, short, @opts[:min_copies])
        short.empty? ? 0 : 2
      end

      def print_status(s, short, min)
        three = s.by_copies.select { |k, _| k >= 3 }.values.sum
        none = s.by_copies[0] ? ", #{s.by_copies[0]} with none" : ""
        @out.puts("#{s.total} photos: #{three} with 3+ copies, #{s.by_copies[2] || 0} with 2, " \
                  "#{s.by_copies[1] || 0} with 1#{none}#{damaged_count(s.damaged.size)}")
        s.damaged.first(20).each { |d| @out.puts("  damaged: #{d[:path]}: #{d[:reason]}") }
        @out.puts("  ... and #{s.damaged.size - 20} more damaged (--json lists all)") if s.damaged.size > 20
        print_short(short, min) if min
      end

      # The photos with fewer than min copies, and where their copies are.
      def print_short(short, min)
        @out.puts("#{short.size} photos with fewer than #{min} copies")
        short.first(50).each do |p|
          where = (p.local.first(1) + p.remote.map { |c| c[:backend] }).join(", ")
          @out.puts("  #{p.md5} (#{p.copies}): #{where}")
        end
        @out.puts("  ... and #{short.size - 50} more (--json lists all)") if short.size > 50
      end
    end
  end
end
