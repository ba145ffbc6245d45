# frozen_string_literal: true

module Photosync
  # `photosync login` and `whoami` (Flickr's OAuth on a terminal, and who the tokens reach), `version`,
  # and the Flickr client every Flickr command gets from the stored credentials.
  class CLI
    private

    def login(argv)
      return login_gphotos(argv.drop(1)) if argv.first == "gphotos"

      perms = "write"
      parser = OptionParser.new do |o|
        o.banner = "usage: photosync login [--perms read|write|delete]\n" \
                   "needs FLICKRAW_API_KEY and FLICKRAW_SHARED_SECRET (your app's key from Flickr)"
        o.on("--perms P", "what photosync may do: read, write or delete (default write)") do |v|
          perms = Check.choice("--perms", v, %w[read write delete])
        end
      end
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      no_more_arguments(argv)
      creds = Credentials.current
      if creds[:api_key].to_s.empty? || creds[:shared_secret].to_s.empty?
        raise Error, "login needs your app's key: set FLICKRAW_API_KEY and FLICKRAW_SHARED_SECRET " \
                     "(from flickr.com/services/apps/create), then run `photosync login` again"
      end
      flickr = Flickr.new(**creds.slice(:api_key, :shared_secret, :endpoint))
      request = flickr.get_request_token(oauth_callback: "oob")
      @out.puts("Open this page, allow photosync, and paste the code Flickr shows:")
      @out.puts("  #{flickr.get_authorize_url(request['oauth_token'], perms: perms)}")
      @out.print("code: ")
      @out.flush
      verifier = $stdin.gets.to_s.strip
      return fail_with("no code given; nothing stored", 1) if verifier.empty?

      access = flickr.get_access_token(request["oauth_token"], request["oauth_token_secret"], verifier)
      path = Credentials.save(creds.merge(access_token: access["oauth_token"],
                                          access_secret: access["oauth_token_secret"]))
      @out.puts("logged in as #{access['username']} (#{access['user_nsid']}); tokens stored in #{path} (mode 0600)")
      0
    end

    def whoami(argv)
      parser = OptionParser.new("usage: photosync whoami\nshows which Flickr account the stored credentials reach")
      return help(parser) if argv.include?("-h") || argv.include?("--help")

      parser.parse!(argv)
      no_more_arguments(argv)
      creds = Credentials.current
      login = flickr_client.test.login
      @out.puts("#{login.username} (#{login.id}) via #{creds[:endpoint] || 'flickr.com'}, " \
                "api key #{Credentials.mask(creds[:api_key])}, token #{Credentials.mask(creds[:access_token])}")
      0
    end

    def version(argv)
      return help(OptionParser.new("usage: photosync version")) if argv.include?("-h") || argv.include?("--help")

      no_more_arguments(argv)
      @out.puts("photosync #{VERSION}", "md5: #{Photosync.md5_path}")
      0
    end

    # A Flickr client from the stored credentials (or FLICKRAW_*); without them, the way
    # to get them.
    def flickr_client
      creds = Credentials.current
      missing = %i[api_key shared_secret access_token access_secret].select { |k| creds[k].to_s.empty? }
      unless missing.empty?
        raise Error, "not logged in to Flickr (no #{missing.map { |k| k.to_s.tr('_', ' ') }.join(', ')}): " \
                     "run `photosync login`, or set #{missing.map { |k| Credentials::ENV_NAMES[k] }.join(', ')}"
      end
      Flickr.new(**creds)
    end
  end
end
