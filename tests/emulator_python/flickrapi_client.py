"""Drives Debian's python3-flickrapi (a client no one here wrote) against the emulator:
the OAuth out-of-band flow, signed REST calls in JSON and XML, an upload with a non-ASCII
title and quoted tags, a search by machine tag, and a replace.

Usage: flickrapi_client.py ENDPOINT API_KEY SHARED_SECRET PHOTO_PATH
Prints one "name: value" line per result for the Rust test to check.
"""

import sys

import flickrapi
import requests
from flickrapi import auth

endpoint, key, secret, photo = sys.argv[1:5]

flickrapi.FlickrAPI.REST_URL = endpoint + "/services/rest/"
flickrapi.FlickrAPI.UPLOAD_URL = endpoint + "/services/upload/"
flickrapi.FlickrAPI.REPLACE_URL = endpoint + "/services/replace/"
auth.OAuthFlickrInterface.REQUEST_TOKEN_URL = endpoint + "/services/oauth/request_token"
auth.OAuthFlickrInterface.AUTHORIZE_URL = endpoint + "/services/oauth/authorize"
auth.OAuthFlickrInterface.ACCESS_TOKEN_URL = endpoint + "/services/oauth/access_token"

flickr = flickrapi.FlickrAPI(key, secret, format="parsed-json", store_token=False)
flickr.get_request_token(oauth_callback="oob")
page = requests.get(flickr.auth_url(perms="delete")).text
verifier = page.split('<span id="Main">')[1].split("<")[0]
flickr.get_access_token(verifier)
print("verifier:", verifier)

login = flickr.test.login()
print("login:", login["stat"], login["user"]["id"])

xml = flickr.test.echo(format="etree", greeting="grüezi")
print("echo:", xml.findtext("greeting"))

uploaded = flickr.upload(
    filename=photo,
    title="Über den Wolken",
    tags='checksum:md5=0123456789abcdef0123456789abcdef "two words"',
    is_public=0,
    is_family=1,
    format="etree",
)
photo_id = uploaded.findtext("photoid")
print("uploaded:", photo_id)

found = flickr.photos.search(
    user_id="me",
    machine_tags="checksum:md5=0123456789abcdef0123456789abcdef",
    extras="machine_tags,date_upload",
)
print("found:", ",".join(p["id"] for p in found["photos"]["photo"]))

info = flickr.photos.getInfo(photo_id=photo_id)
print("title:", info["photo"]["title"]["_content"])

replaced = flickr.replace(filename=photo, photo_id=photo_id, format="etree")
print("replaced:", replaced.findtext("photoid"))

try:
    flickr.photos.getInfo(photo_id="1")
except flickrapi.FlickrError as error:
    print("error:", error.code)
