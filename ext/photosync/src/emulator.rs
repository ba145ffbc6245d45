//! `Photosync::NativeEmulator`: the Flickr emulator from Ruby (lib/photosync/emulator.rb
//! adds keyword arguments and photo objects). It runs on its own Rust threads, so
//! nothing here holds the GVL for longer than a lookup.

use crate::emulator_args::{self, rate, seconds};
use crate::{conv, errors};
use magnus::{function, method, prelude::*, Error, RArray, RHash, RModule, Ruby};
use photosync::emulators::flickr::{Emulator, EmulatorConfig, FaultKind};
use std::cell::RefCell;
use std::path::PathBuf;

#[magnus::wrap(class = "Photosync::NativeEmulator", free_immediately, size)]
struct NativeEmulator(RefCell<Option<Emulator>>);

impl NativeEmulator {
    #[allow(clippy::too_many_arguments)]
    fn start(
        ruby: &Ruby,
        port: u16,
        latency: f64,
        fault_rate: f64,
        seed: u64,
        calls_per_hour: u32,
        data_dir: Option<String>,
        service: RHash,
    ) -> Result<Self, Error> {
        let defaults = EmulatorConfig::default();
        let get_f64 = |key: &str, default: f64| -> Result<f64, Error> {
            Ok(service.lookup::<_, Option<f64>>(key)?.unwrap_or(default))
        };
        let config = EmulatorConfig {
            port,
            latency: seconds(ruby, latency)?,
            fault_rate,
            seed,
            calls_per_hour,
            data_dir: data_dir.map(PathBuf::from),
            search_lag: seconds(
                ruby,
                get_f64("search_lag", defaults.search_lag.as_secs_f64())?,
            )?,
            unstable_paging: rate(
                ruby,
                "unstable_paging",
                get_f64("unstable_paging", defaults.unstable_paging)?,
            )?,
            pro: service.lookup::<_, Option<bool>>("pro")?.unwrap_or(true),
            max_videos: service
                .lookup::<_, Option<usize>>("max_videos")?
                .unwrap_or(defaults.max_videos),
            dedup_check: service
                .lookup::<_, Option<bool>>("dedup_check")?
                .unwrap_or(false),
            upload_wait: seconds(ruby, get_f64("upload_wait", 0.0)?)?,
            ..defaults
        };
        Emulator::start(config)
            .map(|e| NativeEmulator(RefCell::new(Some(e))))
            .map_err(|e| errors::error(ruby, "Error", e.to_string()))
    }

    fn with<T>(ruby: &Ruby, rb_self: &Self, f: impl FnOnce(&Emulator) -> T) -> Result<T, Error> {
        emulator_args::running(ruby, &rb_self.0, f)
    }

    fn endpoint(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.endpoint())
    }
    fn api_key(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.api_key())
    }
    fn shared_secret(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.shared_secret())
    }
    fn access_token(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.access_token())
    }
    fn access_secret(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.access_secret())
    }
    fn user_nsid(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Self::with(ruby, rb_self, |e| e.user_nsid())
    }

    fn set_latency(ruby: &Ruby, rb_self: &Self, s: f64) -> Result<(), Error> {
        let d = seconds(ruby, s)?;
        Self::with(ruby, rb_self, |e| e.set_latency(d))
    }

    fn set_fault_rate(ruby: &Ruby, rb_self: &Self, rate: f64) -> Result<(), Error> {
        let rate = emulator_args::rate(ruby, "fault_rate", rate)?;
        Self::with(ruby, rb_self, |e| e.set_fault_rate(rate))
    }

    fn set_fault_kinds(ruby: &Ruby, rb_self: &Self, names: Vec<String>) -> Result<(), Error> {
        let known: Vec<&str> = FaultKind::ALL.iter().map(|k| k.as_str()).collect();
        let kinds = emulator_args::fault_kinds(ruby, &names, FaultKind::parse, &known)?;
        Self::with(ruby, rb_self, |e| e.set_fault_kinds(&kinds))
    }

    fn photos(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let photos = Self::with(ruby, rb_self, |e| e.photos())?;
        let out = ruby.ary_new_capa(photos.len());
        for p in photos {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("id"), p.id)?;
            h.aset(ruby.to_symbol("title"), p.title)?;
            h.aset(ruby.to_symbol("description"), p.description)?;
            h.aset(ruby.to_symbol("tags"), ruby.ary_from_vec(p.tags))?;
            h.aset(
                ruby.to_symbol("machine_tags"),
                ruby.ary_from_vec(p.machine_tags),
            )?;
            h.aset(ruby.to_symbol("md5"), p.md5)?;
            h.aset(ruby.to_symbol("date_taken"), p.date_taken)?;
            h.aset(ruby.to_symbol("date_upload"), p.date_upload)?;
            h.aset(ruby.to_symbol("is_public"), p.is_public)?;
            h.aset(ruby.to_symbol("is_friend"), p.is_friend)?;
            h.aset(ruby.to_symbol("is_family"), p.is_family)?;
            h.aset(
                ruby.to_symbol("original_path"),
                conv::path_to(ruby, &p.original_path),
            )?;
            h.aset(ruby.to_symbol("original_size"), p.original_size)?;
            out.push(h)?;
        }
        Ok(out)
    }

    fn albums(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let albums = Self::with(ruby, rb_self, |e| e.albums())?;
        let out = ruby.ary_new_capa(albums.len());
        for a in albums {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("id"), a.id)?;
            h.aset(ruby.to_symbol("title"), a.title)?;
            h.aset(ruby.to_symbol("photo_ids"), ruby.ary_from_vec(a.photo_ids))?;
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
    let c = m.define_class("NativeEmulator", ruby.class_object())?;
    c.define_singleton_method("start", function!(NativeEmulator::start, 7))?;
    c.define_method("endpoint", method!(NativeEmulator::endpoint, 0))?;
    c.define_method("api_key", method!(NativeEmulator::api_key, 0))?;
    c.define_method("shared_secret", method!(NativeEmulator::shared_secret, 0))?;
    c.define_method("access_token", method!(NativeEmulator::access_token, 0))?;
    c.define_method("access_secret", method!(NativeEmulator::access_secret, 0))?;
    c.define_method("user_nsid", method!(NativeEmulator::user_nsid, 0))?;
    c.define_method("latency=", method!(NativeEmulator::set_latency, 1))?;
    c.define_method("fault_rate=", method!(NativeEmulator::set_fault_rate, 1))?;
    c.define_method("fault_kinds=", method!(NativeEmulator::set_fault_kinds, 1))?;
    c.define_method("_photos", method!(NativeEmulator::photos, 0))?;
    c.define_method("_albums", method!(NativeEmulator::albums, 0))?;
    c.define_method("call_counts", method!(NativeEmulator::call_counts, 0))?;
    c.define_method("reset", method!(NativeEmulator::reset, 0))?;
    c.define_method("stop", method!(NativeEmulator::stop, 0))?;
    c.define_method("running?", method!(NativeEmulator::is_running, 0))?;
    Ok(())
}
