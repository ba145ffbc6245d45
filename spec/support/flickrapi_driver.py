"""Drives Debian's python3-flickrapi (a Flickr client no one here wrote) against the
photosync emulator, for spec/flickrapi_spec.rb.

Usage: /usr/bin/python3 flickrapi_driver.py ENDPOINT API_KEY SHARED_SECRET PHOTO_PATH MD5

It talks to the spec on stdout/stdin, one JSON object per line:
  -> {"step": "authorize", "url": ...}      the OAuth page the spec opens itself
  <- VERIFIER                               the nnn-nnn-nnn code the spec read off it
  -> {"step": "access", ...}                the access token's user
  -> {"step": "login", ...}                 flickr.test.login, signed with that token
  -> {"step": "echo", ...}                  flickr.test.echo in XML (etree), non-ASCII
  -> {"step": "upload", "photo_id": ...}    the upload (tags with the md5 machine tag)
  -> {"step": "bad_signature", ...}         a call signed with a wrong token secret
  -> {"step": "done"}
A failure prints {"step": "error", ...} and exits 1; the traceback goes to stderr.
"""

import json
import sys
import traceback


def say(**fields):
    print(json.dumps(fields), flush=True)


def main():
    endpoint, key, secret, photo, md5 = sys.argv[1:6]

    import flickrapi
    from flickrapi import auth

    flickrapi.FlickrAPI.REST_URL = endpoint + "/services/rest/"
    flickrapi.FlickrAPI.UPLOAD_URL = endpoint + "/services/upload/"
    flickrapi.FlickrAPI.REPLACE_URL = endpoint + "/services/replace/"
    auth.OAuthFlickrInterface.REQUEST_TOKEN_URL = endpoint + "/services/oauth/request_token"
    auth.OAuthFlickrInterface.AUTHORIZE_URL = endpoint + "/services/oauth/authorize"
    auth.OAuthFlickrInterface.ACCESS_TOKEN_URL = endpoint + "/services/oauth/access_token"

    flickr = flickrapi.FlickrAPI(key, secret, format="parsed-json", store_token=False)

    # 1. OAuth, out of band: the spec opens the page and hands back the verifier.
    flickr.get_request_token(oauth_callback="oob")
    say(step="authorize", url=flickr.auth_url(perms="write"))
    verifier = sys.stdin.readline().strip()
    flickr.get_access_token(verifier)
    token = flickr.token_cache.token
    say(step="access", verifier=verifier, user_nsid=token.user_nsid,
        username=token.username, access_level=token.access_level)

    # 2. Signed REST calls (flickrapi signs REST in the query string of a POST).
    login = flickr.test.login()
    say(step="login", stat=login["stat"], user_id=login["user"]["id"],
        username=login["user"]["username"]["_content"])

    echo = flickr.test.echo(format="etree", greeting="grüezi")
    say(step="echo", stat=echo.get("stat"), greeting=echo.findtext("greeting"))

    # 3. An upload (flickrapi signs it in the Authorization header, photo excluded).
    uploaded = flickr.upload(
        filename=photo,
        title="Über den Wolken",
        tags='checksum:md5=%s "two words" vacation' % md5,
        is_public=0,
        is_family=1,
        format="etree",
    )
    say(step="upload", stat=uploaded.get("stat"), photo_id=uploaded.findtext("photoid"))

    found = flickr.photos.search(user_id="me", machine_tags="checksum:md5=" + md5,
                                 extras="machine_tags")
    say(step="search", ids=[p["id"] for p in found["photos"]["photo"]],
        machine_tags=[p.get("machine_tags") for p in found["photos"]["photo"]])

    # 4. The emulator checks signatures: the right token with a wrong secret fails.
    forged = flickrapi.FlickrAPI(key, secret, format="parsed-json", store_token=False,
                                 token=auth.FlickrAccessToken(token.token, "not-the-secret", "write"))
    try:
        forged.test.login()
        say(step="bad_signature", code=None)
    except flickrapi.FlickrError as error:
        say(step="bad_signature", code=error.code, message=str(error))

    say(step="done")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported to the spec, which shows stderr too
        traceback.print_exc()
        say(step="error", error="%s: %s" % (type(error).__name__, error))
        sys.exit(1)
