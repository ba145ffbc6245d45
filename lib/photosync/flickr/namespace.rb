# frozen_string_literal: true

module Photosync
  class Flickr
    # One level of flickraw's method tree: `flickr.photos` is the namespace
    # "flickr.photos"; its methods call Flickr (`flickr.photos.search(user_id: "me")`)
    # and its sub-namespaces are namespaces (`flickr.photos.upload.checkTickets`).
    # Arguments are flickraw's: a Hash, keyword arguments, or both. An unknown name
    # raises NoMethodError, as in flickraw.
    class Namespace
      def initialize(client, node)
        @client = client
        @node = node
        @children = {}
      end

      # The namespace's full name, "flickr.photos".
      def flickr_path
        @node.path
      end

      # Names of the Flickr methods of this namespace ("search", "getInfo", ...).
      def flickr_methods
        @node.method_names.keys
      end

      # Names of the sub-namespaces ("comments", "upload", ...).
      def flickr_objects
        @node.children.keys
      end

      def inspect
        "#<#{self.class.name} #{@node.path}>"
      end

      def methods(regular = true)
        regular ? super | (flickr_methods + flickr_objects).map(&:to_sym) : super
      end

      private

      # Called by method_missing here and on the client (for the top level).
      def dispatch(name, args, kwargs, block)
        key = name.name
        if @node.method_names.key?(key)
          @client.call("#{@node.path}.#{key}", *args, **kwargs, &block)
        elsif args.empty? && kwargs.empty? && (child = @node.children[key])
          @children[key] ||= Namespace.new(@client, child)
        else
          yield
        end
      end

      def method_missing(name, *args, **kwargs, &block)
        dispatch(name, args, kwargs, block) { super }
      end

      def respond_to_missing?(name, include_private)
        @node.entry?(name.name) || super
      end
    end
  end
end
