//! `Photosync::NativeFlickr`: the Rust Flickr client for lib/photosync/flickr.rb, which
//! adds the flickraw-style namespaces and responses. Parameters arrive as Hashes of
//! Strings; answers leave as JSON text for Ruby's JSON to parse.

use crate::{conv, errors, runtime};
use magnus::{function, method, prelude::*, Error, RArray, RHash, RModule, RString, Ruby};
use photosync::destinations::flickr::api::{method_names, Client, Credentials, Endpoints, Perms};

#[magnus::wrap(class = "Photosync::NativeFlickr", free_immediately, size)]
pub struct NativeFlickr(pub Client);

fn pairs(params: RHash) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::with_capacity(params.len());
    params.foreach(|k: String, v: String| {
        out.push((k, v));
        Ok(magnus::r_hash::ForEach::Continue)
    })?;
    Ok(out)
}

impl NativeFlickr {
    fn new(
        ruby: &Ruby,
        api_key: String,
        shared_secret: String,
        access_token: Option<String>,
        access_secret: Option<String>,
        endpoint: Option<String>,
    ) -> Result<Self, Error> {
        let creds = Credentials {
            api_key,
            shared_secret,
            access_token,
            access_secret,
        };
        Client::new(creds, Endpoints::from_option(endpoint.as_deref()))
            .map(NativeFlickr)
            .map_err(|e| errors::flickr(ruby, e))
    }

    fn call(ruby: &Ruby, rb_self: &Self, method: String, params: RHash) -> Result<String, Error> {
        let params = pairs(params)?;
        let client = rb_self.0.clone();
        let answer = runtime::block_on(ruby, async move { client.call(&method, &params).await })?;
        answer
            .map(|json| json.to_string())
            .map_err(|e| errors::flickr(ruby, e))
    }

    fn upload(
        ruby: &Ruby,
        rb_self: &Self,
        path: RString,
        params: RHash,
        replace: bool,
    ) -> Result<String, Error> {
        let path = conv::path_from(path);
        let params = pairs(params)?;
        let client = rb_self.0.clone();
        let answer =
            runtime::block_on(
                ruby,
                async move { client.upload(&path, &params, replace).await },
            )?;
        answer
            .map(|a| a.id().to_string())
            .map_err(|e| errors::flickr(ruby, e))
    }

    fn request_token(
        ruby: &Ruby,
        rb_self: &Self,
        callback: String,
    ) -> Result<(String, String), Error> {
        let client = rb_self.0.clone();
        runtime::block_on(ruby, async move { client.request_token(&callback).await })?
            .map_err(|e| errors::flickr(ruby, e))
    }

    fn authorize_url(
        ruby: &Ruby,
        rb_self: &Self,
        token: String,
        perms: String,
    ) -> Result<String, Error> {
        let perms = Perms::parse(&perms).ok_or_else(|| {
            errors::error(
                ruby,
                "Error",
                format!("perms must be read, write or delete, not {perms:?}"),
            )
        })?;
        Ok(rb_self.0.authorize_url(&token, perms))
    }

    fn access_token(
        ruby: &Ruby,
        rb_self: &Self,
        token: String,
        secret: String,
        verifier: String,
    ) -> Result<RHash, Error> {
        let client = rb_self.0.clone();
        let access = runtime::block_on(ruby, async move {
            client.access_token(&token, &secret, &verifier).await
        })?
        .map_err(|e| errors::flickr(ruby, e))?;
        let h = ruby.hash_new();
        h.aset("oauth_token", access.token)?;
        h.aset("oauth_token_secret", access.secret)?;
        h.aset("user_nsid", access.user_nsid)?;
        h.aset("username", access.username)?;
        h.aset("fullname", access.fullname)?;
        Ok(h)
    }

    fn access_token_pair(&self) -> Option<(String, String)> {
        let c = self.0.credentials();
        c.access_token.zip(c.access_secret)
    }

    fn method_names(ruby: &Ruby) -> RArray {
        ruby.ary_from_iter(method_names())
    }
}

pub fn init(ruby: &Ruby, m: RModule) -> Result<(), Error> {
    let c = m.define_class("NativeFlickr", ruby.class_object())?;
    c.define_singleton_method("new", function!(NativeFlickr::new, 5))?;
    c.define_singleton_method("method_names", function!(NativeFlickr::method_names, 0))?;
    c.define_method("call", method!(NativeFlickr::call, 2))?;
    c.define_method("upload", method!(NativeFlickr::upload, 3))?;
    c.define_method("request_token", method!(NativeFlickr::request_token, 1))?;
    c.define_method("authorize_url", method!(NativeFlickr::authorize_url, 2))?;
    c.define_method("access_token", method!(NativeFlickr::access_token, 3))?;
    c.define_method(
        "access_token_pair",
        method!(NativeFlickr::access_token_pair, 0),
    )?;
    Ok(())
}
