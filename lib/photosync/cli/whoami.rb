# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync whoami`: which Flickr account the stored credentials reach.
    class Whoami < Command
      private

      def options(o)
        o.banner = "usage: photosync whoami\nshows which Flickr account the stored credentials reach"
      end

      def run(argv)
        no_more_arguments(argv)
        creds = Credentials.current
        login = flickr_client.test.login
        @out.puts("#{login.username} (#{login.id}) via #{creds[:endpoint] || 'flickr.com'}, " \
                  "api key #{Credentials.mask(creds[:api_key])}, token #{Credentials.mask(creds[:access_token])}")
        0
      end
    end
  end
end
