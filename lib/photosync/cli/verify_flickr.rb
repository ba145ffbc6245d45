# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync verify flickr [DIR]`: the Flickr copy checked (missing, duplicated,
    # untagged, changed photos), and with --delete-duplicates the extra copies merged away.
    class VerifyFlickr < Command
      private

      def options(o)
        @opts = { catalog: :default, read_data: false, sample: 100, json: false, dedupe: false, yes: false }
        o.banner = "usage: photosync verify flickr [DIR] [--read-data [--sample PERCENT]] " \
                   "[--delete-duplicates [--yes [--no-wait]]] [--catalog PATH] [--json]"
        o.on("--read-data", "download the originals and re-hash them") { @opts[:read_data] = true }
        o.on("--sample PERCENT", "with --read-data: read this share of them (e.g. 5%)") do |v|
          @opts[:sample] = Check.percent("--sample", v)
        end
        o.on("--delete-duplicates", "keep the oldest copy of each MD5, merge the others into it; " \
                                    "shows the plan, acts only with --yes") { @opts[:dedupe] = true }
        o.on("--yes", "with --delete-duplicates: carry the plan out") { @opts[:yes] = true }
        catalog_option(o, @opts)
        o.on("--json", "print the report as JSON") { @opts[:json] = true }
        no_wait_option(o, @opts)
      end

      def run(argv)
        root = argv.shift
        no_more_arguments(argv)
        require_catalog(@opts)
        flickr = flickr_client
        dedupe = @opts[:dedupe] && Photosync.delete_duplicates(flickr, yes: @opts[:yes], catalog: @opts[:catalog],
                                                                       wait: @opts.fetch(:wait, true))
        print_dedupe(dedupe) if dedupe && !@opts[:json]
        r = Photosync.verify(flickr, root: root, read_data: @opts[:read_data], sample: @opts[:sample],
                                     catalog: @opts[:catalog])
        if @opts[:json]
          @out.puts(JSON.generate(dedupe ? r.to_h.merge(delete_duplicates: dedupe.to_h) : r.to_h))
        else
          print_flickr_verify(r)
        end
        r.ok? && (!dedupe || dedupe.ok?) ? 0 : 2
      end

      def print_dedupe(d)
        @out.puts("#{d.plan.sum { |m| m.delete.size }} duplicate copies to delete (#{d.plan.size} MD5s):")
        d.plan.each { |m| print_merge(m) }
        @out.puts(d.applied ? "#{d.deleted} deleted" : "nothing changed; run again with --yes to do this")
        d.errors.each { |md5, msg| @out.puts("  error: #{md5}: #{msg} (its copies are all kept)") }
      end

      # One MD5's copies: the one kept, the others, and what the kept one takes from them.
      def print_merge(m)
        @out.puts("  #{m.md5}: keep photo #{m.keeper}, delete #{m.delete.join(', ')}")
        @out.puts("    add tags: #{m.add_tags.join(' ')}") unless m.add_tags.empty?
        @out.puts("    add to albums: #{m.add_to_albums.map(&:last).join(', ')}") unless m.add_to_albums.empty?
        @out.puts("    set title: #{m.title}") if m.title
        @out.puts("    set description: #{m.description}") if m.description
      end

      def print_flickr_verify(r)
        @out.puts("#{r.photos_on_flickr} photos on Flickr, #{r.local_photos} local; #{r.api_calls} API calls")
        @out.puts("#{r.missing_on_flickr.size} local photos missing on Flickr (photosync sync uploads them)")
        r.missing_on_flickr.first(20).each { |p| @out.puts("  #{p}") }
        if r.forgotten.to_i.positive?
          @out.puts("#{r.forgotten} recorded copies are gone from Flickr: forgotten, the next sync uploads them again")
        end
        print_flickr_extras(r)
        @out.puts("#{r.read} originals read back, #{r.corrupted.size} differ from their tag") if r.read.positive?
        r.corrupted.each { |id, tag, actual| @out.puts("  photo #{id}: tag #{tag}, bytes #{actual}") }
        r.notes.each { |n| @out.puts("note: #{n}") }
        @out.puts(r.ok? ? "OK" : "PROBLEMS FOUND")
      end

      # What Flickr holds that the library does not ask for: duplicates, untagged photos,
      # photos only there.
      def print_flickr_extras(r)
        @out.puts("#{r.duplicates.size} MD5s on Flickr more than once")
        r.duplicates.first(20).each { |md5, ids| @out.puts("  #{md5}: photos #{ids.join(', ')}") }
        @out.puts("#{r.untagged.size} Flickr photos without a checksum tag (photosync adopt flickr tags them)")
        @out.puts("#{r.only_on_flickr.size} Flickr photos not in the local library " \
                  "(photosync restore brings them back)")
      end
    end
  end
end
