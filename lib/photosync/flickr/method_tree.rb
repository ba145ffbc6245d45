# frozen_string_literal: true

module Photosync
  class Flickr
    # Flickr's method names ("flickr.photos.upload.checkTickets") as a tree of
    # namespaces, from the list shipped in the native extension
    # (Photosync::NativeFlickr.method_names): built on first use, no network call.
    # Names that are not dotted identifiers are left out, as flickraw does.
    class MethodTree
      # One namespace: its full name ("flickr.photos"), its sub-namespaces by name and
      # its methods (name => true).
      Node = Struct.new(:path, :children, :method_names) do
        def entry?(name)
          method_names.key?(name) || children.key?(name)
        end
      end

      PART = /\A[A-Za-z_][A-Za-z0-9_]*\z/
      LOCK = Mutex.new
      @trees = {}.compare_by_identity
      @extra = []

      class << self
        # The tree for the native class's method list (built once per class).
        def for(native_class)
          LOCK.synchronize do
            @trees[native_class] ||= new(Array(native_class.method_names) + @extra)
          end
        end

        # Adds method names to every tree, now and later (FlickRaw::Flickr.build).
        def add(names)
          names = names.map(&:to_s)
          LOCK.synchronize do
            @extra |= names
            @trees.each_value { |tree| names.each { |n| tree.add(n) } }
          end
        end
      end

      attr_reader :root

      def initialize(names)
        @root = Node.new("flickr", {}, {})
        names.each { |n| add(n.to_s) }
      end

      def add(name)
        first, *parts = name.split(".", -1)
        return unless first == "flickr" && !parts.empty? && parts.all? { |p| PART.match?(p) }

        node = parts[0..-2].reduce(@root) do |n, part|
          n.children[part] ||= Node.new("#{n.path}.#{part}", {}, {})
        end
        node.method_names[parts.last] = true
      end

      # Every method name in the tree, sorted.
      def method_names
        walk(@root).sort
      end

      private

      def walk(node)
        node.method_names.keys.map { |m| "#{node.path}.#{m}" } + node.children.values.flat_map { |c| walk(c) }
      end
    end
  end
end
