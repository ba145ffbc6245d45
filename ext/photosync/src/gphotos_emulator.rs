//! `Photosync::NativeGooglePhotosEmulator`: the Google Photos emulator from Ruby
//! (lib/photosync/google_photos_emulator.rb adds keyword arguments and item objects). It runs
//! on its own Rust threads, so nothing here holds the GVL for longer than a lookup.

use crate::emulator_args::{self, rate, seconds};
use crate::errors;
use magnus::{function, method, prelude::*, Error, RArray, RHash, RModule, Ruby};
use photosync::emulators::gphotos::{
    BadToken, FaultKind, GooglePhotosConfig, GooglePhotosEmulator,
};
use std::cell::RefCell;

#[magnus::wrap(
    class = "Photosync::NativeGooglePhotosEmulator",
    free_immediately,
    size
)]
struct NativeGooglePhotosEmulator(RefCell<Option<GooglePhotosEmulator>>);

impl NativeGooglePhotosEmulator {
    #[allow(clippy::too_many_arguments)]
    fn start(
        ruby: &Ruby,
        port: u16,
        latency: f64,
        fault_rate: f64,
        seed: u64,
        daily_quota: u64,
        testing: bool,
        page_repeat_rate: f64,
        bad_token: String,
    ) -> Result<Self, Error> {
        let bad_token = BadToken::parse(&bad_token).ok_or_else(|| {
            errors::error(
                ruby,
                "Error",
                format!("bad_token: {bad_token} (whole_call or per_item)"),
            )
        })?;
        let config = GooglePhotosConfig {
            port,
            latency: seconds(ruby, latency)?,
            fault_rate,
            seed,
            daily_quota,
            testing,
            page_repeat_rate,
            bad_token,
            ..GooglePhotosConfig::default()
        };
        GooglePhotosEmulator::start(config)
            .map(|e| NativeGooglePhotosEmulator(RefCell::new(Some(e))))
            .map_err(|e| errors::gphotos_emulator(ruby, e))
    }

    fn with<T>(
        ruby: &Ruby,
        rb_self: &Self,
        f: impl FnOnce(&GooglePhotosEmulator) -> T,
    ) -> Result<T, Error> {
        emulator_args::running(ruby, &rb_self.0, f)
    }

    fn endpoint(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.endpoint())
    }
    fn authorize_url(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.authorize_url())
    }
    fn token_url(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.token_url())
    }
    fn revoke_url(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.revoke_url())
    }
    fn client_id(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.client_id())
    }
    fn client_secret(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.client_secret())
    }
    fn other_client(ruby: &Ruby, rb_self: &Self) -> Result<(String, String), Error> {
        Self::with(ruby, rb_self, |e| e.other_client())
    }

    fn refresh_token(ruby: &Ruby, rb_self: &Self, scopes: Vec<String>) -> Result<String, Error> {
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        Self::with(ruby, rb_self, |e| e.refresh_token(&scopes))
    }

    fn advance_clock(ruby: &Ruby, rb_self: &Self, s: f64) -> Result<(), Error> {
        let d = seconds(ruby, s)?;
        Self::with(ruby, rb_self, |e| e.advance_clock(d))
    }

    fn set_latency(ruby: &Ruby, rb_self: &Self, s: f64) -> Result<(), Error> {
        let d = seconds(ruby, s)?;
        Self::with(ruby, rb_self, |e| e.set_latency(d))
    }

    fn set_fault_rate(ruby: &Ruby, rb_self: &Self, r: f64) -> Result<(), Error> {
        let r = rate(ruby, "fault_rate", r)?;
        Self::with(ruby, rb_self, |e| e.set_fault_rate(r))
    }

    fn set_page_repeat_rate(ruby: &Ruby, rb_self: &Self, r: f64) -> Result<(), Error> {
        let r = rate(ruby, "page_repeat_rate", r)?;
        Self::with(ruby, rb_self, |e| e.set_page_repeat_rate(r))
    }

    fn set_daily_quota(ruby: &Ruby, rb_self: &Self, n: u64) -> Result<(), Error> {
        Self::with(ruby, rb_self, |e| e.set_daily_quota(n))
    }

    fn set_fault_kinds(ruby: &Ruby, rb_self: &Self, names: Vec<String>) -> Result<(), Error> {
        let known: Vec<&str> = FaultKind::ALL.iter().map(|k| k.as_str()).collect();
        let kinds = emulator_args::fault_kinds(ruby, &names, FaultKind::parse, &known)?;
        Self::with(ruby, rb_self, |e| e.set_fault_kinds(&kinds))
    }

    fn items(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let items = Self::with(ruby, rb_self, |e| e.items())?;
        let out = ruby.ary_new_capa(items.len());
        for i in items {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("id"), i.id)?;
            h.aset(ruby.to_symbol("filename"), i.filename)?;
            h.aset(ruby.to_symbol("description"), i.description)?;
            h.aset(ruby.to_symbol("md5"), i.md5)?;
            h.aset(ruby.to_symbol("size"), i.size)?;
            h.aset(ruby.to_symbol("mime_type"), i.mime_type)?;
            h.aset(ruby.to_symbol("creation_time"), i.creation_time)?;
            h.aset(ruby.to_symbol("app"), i.app)?;
            h.aset(ruby.to_symbol("albums"), ruby.ary_from_vec(i.albums))?;
            out.push(h)?;
        }
        Ok(out)
    }

    fn add_foreign_item(
        ruby: &Ruby,
        rb_self: &Self,
        path: std::path::PathBuf,
        filename: Option<String>,
    ) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| {
            e.add_foreign_item(&path, filename.as_deref())
        })?
        .map_err(|e| errors::error(ruby, "Error", e.to_string()))
    }

    fn delete_item(ruby: &Ruby, rb_self: &Self, id: String) -> Result<bool, Error> {
        Self::with(ruby, rb_self, |e| e.delete_item(&id))
    }

    fn albums(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let albums = Self::with(ruby, rb_self, |e| e.albums())?;
        let out = ruby.ary_new_capa(albums.len());
        for a in albums {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("id"), a.id)?;
            h.aset(ruby.to_symbol("title"), a.title)?;
            h.aset(ruby.to_symbol("app"), a.app)?;
            h.aset(ruby.to_symbol("items"), ruby.ary_from_vec(a.items))?;
            out.push(h)?;
        }
        Ok(out)
    }

    fn call_counts(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        let counts = Self::with(ruby, rb_self, |e| e.call_counts())?;
        let h = ruby.hash_new();
        for (k, v) in counts {
            h.aset(k, v)?;
        }
        Ok(h)
    }

    fn quota_used(ruby: &Ruby, rb_self: &Self) -> Result<u64, Error> {
        Self::with(ruby, rb_self, |e| e.quota_used())
    }

    fn upload_tokens_used(ruby: &Ruby, rb_self: &Self) -> Result<(Option<i64>, u64), Error> {
        Self::with(ruby, rb_self, |e| e.upload_tokens_used())
    }

    fn reset(ruby: &Ruby, rb_self: &Self) -> Result<(), Error> {
        Self::with(ruby, rb_self, |e| e.reset())
    }

    fn stop(&self) {
        if let Some(e) = self.0.borrow_mut().take() {
            e.stop();
        }
    }

    fn is_running(&self) -> bool {
        self.0.borrow().is_some()
    }
}

pub fn init(ruby: &Ruby, m: RModule) -> Result<(), Error> {
    type E = NativeGooglePhotosEmulator;
    let c = m.define_class("NativeGooglePhotosEmulator", ruby.class_object())?;
    c.define_singleton_method("start", function!(E::start, 8))?;
    c.define_method("endpoint", method!(E::endpoint, 0))?;
    c.define_method("authorize_url", method!(E::authorize_url, 0))?;
    c.define_method("token_url", method!(E::token_url, 0))?;
    c.define_method("revoke_url", method!(E::revoke_url, 0))?;
    c.define_method("client_id", method!(E::client_id, 0))?;
    c.define_method("client_secret", method!(E::client_secret, 0))?;
    c.define_method("other_client", method!(E::other_client, 0))?;
    c.define_method("_refresh_token", method!(E::refresh_token, 1))?;
    c.define_method("advance_clock", method!(E::advance_clock, 1))?;
    c.define_method("latency=", method!(E::set_latency, 1))?;
    c.define_method("fault_rate=", method!(E::set_fault_rate, 1))?;
    c.define_method("fault_kinds=", method!(E::set_fault_kinds, 1))?;
    c.define_method("page_repeat_rate=", method!(E::set_page_repeat_rate, 1))?;
    c.define_method("daily_quota=", method!(E::set_daily_quota, 1))?;
    c.define_method("_items", method!(E::items, 0))?;
    c.define_method("_albums", method!(E::albums, 0))?;
    c.define_method("delete_item", method!(E::delete_item, 1))?;
    c.define_method("_add_foreign_item", method!(E::add_foreign_item, 2))?;
    c.define_method("call_counts", method!(E::call_counts, 0))?;
    c.define_method("quota_used", method!(E::quota_used, 0))?;
    c.define_method("_upload_tokens_used", method!(E::upload_tokens_used, 0))?;
    c.define_method("reset", method!(E::reset, 0))?;
    c.define_method("stop", method!(E::stop, 0))?;
    c.define_method("running?", method!(E::is_running, 0))?;
    Ok(())
}
