//! `Photosync::NativeGooglePhotos` (a configured Google Photos client), `_sync_gphotos` (scan
//! a folder, then back it up to Google Photos on a worker thread) and `_gphotos_login` (the
//! loopback consent). lib/photosync/google_photos.rb adds keyword arguments and the report.

use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::gphotos::{login, Client, Config, Endpoints, GphotosError, RetryPolicy};
use photosync::gphotos_sync::{self, GphotosReport, GphotosSyncError, GphotosSyncOptions};
use photosync::scan::{self, ScanOptions, ScanStats};
use photosync::sync::SyncEvent;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[magnus::wrap(class = "Photosync::NativeGooglePhotos", free_immediately, size)]
pub struct NativeGooglePhotos(pub(crate) Arc<Client>);

fn seconds(ruby: &Ruby, s: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(s)
        .map_err(|_| Error::new(ruby.exception_arg_error(), format!("{s} is not a duration")))
}

fn gphotos_error(ruby: &Ruby, e: GphotosError) -> Error {
    match e {
        GphotosError::Cancelled => errors::error(ruby, "Cancelled", e.to_string()),
        GphotosError::Revoked(_) | GphotosError::Login(_) => {
            errors::error(ruby, "LoginError", e.to_string())
        }
        other => errors::error(ruby, "NetworkError", other.to_string()),
    }
}

impl NativeGooglePhotos {
    fn new(
        ruby: &Ruby,
        client_id: String,
        client_secret: String,
        refresh_token: String,
        endpoint: Option<String>,
        policy: RHash,
    ) -> Result<Self, Error> {
        let policy = RetryPolicy {
            max_attempts: policy.fetch::<_, u32>("max_attempts")?.max(1),
            rate_limit_wait: seconds(ruby, policy.fetch("rate_limit_wait")?)?,
            backoff: seconds(ruby, policy.fetch("backoff")?)?,
        };
        let config = Config {
            client_id,
            client_secret,
            refresh_token,
            endpoints: Endpoints::for_endpoint(endpoint.as_deref()),
        };
        Client::new(config, policy)
            .map(|c| NativeGooglePhotos(Arc::new(c)))
            .map_err(|e| gphotos_error(ruby, e))
    }

    fn client_id(&self) -> String {
        self.0.config().client_id.clone()
    }

    fn api_endpoint(&self) -> String {
        self.0.config().endpoints.api.clone()
    }
}

enum Failure {
    Scan(scan::ScanError),
    Sync(GphotosSyncError),
}

pub(crate) fn options(h: RHash, dir: &std::path::Path) -> Result<GphotosSyncOptions, Error> {
    let folders: bool = h.fetch("album_folders")?;
    Ok(GphotosSyncOptions {
        albums_root: folders.then(|| dir.to_path_buf()),
        concurrency: h.fetch::<_, usize>("concurrency")?.max(1),
        dry_run: h.fetch("dry_run")?,
        daily_quota: h.fetch("daily_quota")?,
        description: h.fetch("description")?,
        resumable_above: h.fetch("resumable_above")?,
        chunk_size: h.fetch::<_, u64>("chunk_size")?.max(1),
        ..GphotosSyncOptions::default()
    })
}

fn sync_gphotos(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    gphotos: &NativeGooglePhotos,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<RHash, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let opts = options(opts, &dir)?;
    let client = gphotos.0.clone();
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(SyncEvent) + Send + Sync)| -> Result<(GphotosReport, ScanStats), Failure> {
            let mut cat = Catalog::open_or_memory(catalog.as_deref())
            .map_err(|e| Failure::Scan(e.into()))?;
            let scanned = scan::scan(&dir, &mut cat, &ScanOptions::default(), &worker_cancel, &mut |_| {})
                .map_err(Failure::Scan)?;
            let report = gphotos_sync::sync_gphotos(&scanned.photos, &mut cat, &client, &opts, &worker_cancel, emit)
                .map_err(Failure::Sync)?;
            Ok((report, scanned.stats))
        },
        |e: SyncEvent| match &block {
            Some(b) => b
                .call::<_, Value>((crate::sync::event_hash(ruby, e)?,))
                .map(|_| ()),
            None => Ok(()),
        },
    )?;
    match outcome {
        Ok((report, stats)) => report_hash(ruby, &report, &stats),
        Err(Failure::Scan(e)) => Err(errors::scan(ruby, e)),
        Err(Failure::Sync(e)) => Err(errors::gphotos_sync(ruby, e)),
    }
}

pub(crate) fn report_hash(ruby: &Ruby, r: &GphotosReport, s: &ScanStats) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("uploaded"), r.uploaded)?;
    h.aset(sym("reused_tokens"), r.reused_tokens)?;
    h.aset(sym("skipped"), r.skipped)?;
    h.aset(sym("failed"), r.failed)?;
    h.aset(sym("bytes"), r.bytes)?;
    h.aset(sym("bytes_sent"), r.bytes_sent)?;
    h.aset(sym("resumed"), r.resumed)?;
    h.aset(sym("elapsed"), r.elapsed.as_secs_f64())?;
    h.aset(sym("api_calls"), r.api_calls)?;
    h.aset(sym("batch_create_calls"), r.batch_create_calls)?;
    h.aset(sym("left"), r.left)?;
    h.aset(sym("album_adds"), r.album_adds)?;
    h.aset(sym("albums_created"), r.albums_created)?;
    h.aset(sym("stopped"), r.stopped.clone())?;
    let errors = ruby.ary_new_capa(r.errors.len());
    for (path, msg) in &r.errors {
        errors.push((conv::path_to(ruby, path), msg.as_str()))?;
    }
    h.aset(sym("errors"), errors)?;
    conv::set_outcomes(ruby, h, &r.counts, &r.not_taken, &r.refused)?;
    h.aset(sym("scan_stats"), crate::scan::stats_hash(ruby, s)?)?;
    Ok(h)
}

/// Scans `dir`, lists the app's items and checks them against the catalog (rebuilding
/// records from descriptions).
fn verify_gphotos(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    gphotos: &NativeGooglePhotos,
) -> Result<RHash, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let client = gphotos.0.clone();
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |_: &(dyn Fn(()) + Send + Sync)| -> Result<gphotos_sync::VerifyReport, Failure> {
            let mut cat =
                Catalog::open_or_memory(catalog.as_deref()).map_err(|e| Failure::Scan(e.into()))?;
            let scanned = scan::scan(
                &dir,
                &mut cat,
                &ScanOptions::default(),
                &worker_cancel,
                &mut |_| {},
            )
            .map_err(Failure::Scan)?;
            gphotos_sync::verify_gphotos(&scanned.photos, &mut cat, &client, &worker_cancel)
                .map_err(Failure::Sync)
        },
        |_: ()| Ok(()),
    )?;
    let r = match outcome {
        Ok(r) => r,
        Err(Failure::Scan(e)) => return Err(errors::scan(ruby, e)),
        Err(Failure::Sync(e)) => return Err(errors::gphotos_sync(ruby, e)),
    };
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("items"), r.items)?;
    h.aset(sym("rebuilt"), r.rebuilt)?;
    let missing = ruby.ary_new_capa(r.missing.len());
    for p in &r.missing {
        missing.push(conv::path_to(ruby, p))?;
    }
    h.aset(sym("missing"), missing)?;
    h.aset(sym("lost_checksum"), r.lost_checksum.clone())?;
    h.aset(sym("unknown"), r.unknown.clone())?;
    Ok(h)
}

/// The loopback consent: the block gets the URL to open (on the Ruby thread) while the
/// worker waits for the browser; returns the refresh token.
fn gphotos_login(
    ruby: &Ruby,
    client_id: String,
    client_secret: String,
    endpoint: Option<String>,
    timeout: f64,
    block: magnus::block::Proc,
) -> Result<String, Error> {
    let endpoints = Endpoints::for_endpoint(endpoint.as_deref());
    let timeout = seconds(ruby, timeout)?;
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(String) + Send + Sync)| -> Result<String, GphotosError> {
            let request = login::begin(&client_id, &client_secret, &endpoints)?;
            emit(request.url.clone());
            request.finish(&worker_cancel, timeout)
        },
        |url: String| block.call::<_, Value>((url,)).map(|_| ()),
    )?;
    outcome.map_err(|e| gphotos_error(ruby, e))
}

pub fn init(ruby: &Ruby, m: RModule) -> Result<(), Error> {
    let class = m.define_class("NativeGooglePhotos", ruby.class_object())?;
    class.define_singleton_method("new", function!(NativeGooglePhotos::new, 5))?;
    class.define_method(
        "client_id",
        magnus::method!(NativeGooglePhotos::client_id, 0),
    )?;
    class.define_method(
        "api_endpoint",
        magnus::method!(NativeGooglePhotos::api_endpoint, 0),
    )?;
    m.define_singleton_method("_sync_gphotos", function!(sync_gphotos, 5))?;
    m.define_singleton_method("_gphotos_login", function!(gphotos_login, 5))?;
    m.define_singleton_method("_verify_gphotos", function!(verify_gphotos, 3))?;
    Ok(())
}
