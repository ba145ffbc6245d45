# frozen_string_literal: true

module Photosync
  class CLI
    # `photosync login`: Flickr's OAuth on a terminal; the tokens are stored (mode 0600).
    class Login < Command
      private

      def options(o)
        @perms = "write"
        o.banner = "usage: photosync login [--perms read|write|delete]\n" \
                   "needs FLICKRAW_API_KEY and FLICKRAW_SHARED_SECRET (your app's key from Flickr)"
        o.on("--perms P", "what photosync may do: read, write or delete (default write)") do |v|
          @perms = Check.choice("--perms", v, %w[read write delete])
        end
      end

      def run(argv)
        no_more_arguments(argv)
        creds = Credentials.current
        if creds[:api_key].to_s.empty? || creds[:shared_secret].to_s.empty?
          raise Error, "login needs your app's key: set FLICKRAW_API_KEY and FLICKRAW_SHARED_SECRET " \
                       "(from flickr.com/services/apps/create), then run `photosync login` again"
        end
        flickr = Flickr.new(**creds.slice(:api_key, :shared_secret, :endpoint))
        access = authorize(flickr)
        return fail_with("no code given; nothing stored", 1) unless access

        path = Credentials.save(creds.merge(access_token: access["oauth_token"],
                                            access_secret: access["oauth_token_secret"]))
        @out.puts("logged in as #{access['username']} (#{access['user_nsid']}); tokens stored in #{path} (mode 0600)")
        0
      end

      # The access token from the code Flickr shows the person; nil without a code.
      def authorize(flickr)
        request = flickr.get_request_token(oauth_callback: "oob")
        @out.puts("Open this page, allow photosync, and paste the code Flickr shows:")
        @out.puts("  #{flickr.get_authorize_url(request['oauth_token'], perms: @perms)}")
        @out.print("code: ")
        @out.flush
        verifier = $stdin.gets.to_s.strip
        return nil if verifier.empty?

        flickr.get_access_token(request["oauth_token"], request["oauth_token_secret"], verifier)
      end
    end
  end
end
