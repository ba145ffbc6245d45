//! `Photosync::NativeGooglePhotos` (a configured Google Photos client and, for `_sync`, its
//! run's options), `_verify_gphotos` and `_gphotos_login` (the loopback consent).
//! lib/photosync/google_photos.rb adds keyword arguments and the reports.

use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::gphotos::api::{
    login, Client, Config, Endpoints, GphotosError, RetryPolicy,
};
use photosync::destinations::gphotos::sync::{
    self as gphotos_sync, Checksum, GphotosSyncError, GphotosSyncOptions,
};
use photosync::library::scan::{self, ScanOptions};
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

pub(crate) fn options(
    ruby: &Ruby,
    h: RHash,
    dir: &std::path::Path,
) -> Result<GphotosSyncOptions, Error> {
    let folders: bool = h.fetch("album_folders")?;
    let checksum = h
        .lookup::<_, Option<String>>("checksum")?
        .unwrap_or_else(|| "description".into());
    let checksum = Checksum::parse(&checksum).ok_or_else(|| {
        Error::new(
            ruby.exception_arg_error(),
            format!("checksum: {checksum} (description or none)"),
        )
    })?;
    Ok(GphotosSyncOptions {
        albums_root: folders.then(|| dir.to_path_buf()),
        concurrency: h.fetch::<_, usize>("concurrency")?.max(1),
        dry_run: h.fetch("dry_run")?,
        daily_quota: h.fetch("daily_quota")?,
        description: h.fetch("description")?,
        checksum,
        resumable_above: h.fetch("resumable_above")?,
        chunk_size: h.fetch::<_, u64>("chunk_size")?.max(1),
        verify: h.lookup::<_, Option<bool>>("verify")?.unwrap_or(false),
        ..GphotosSyncOptions::default()
    })
}

/// Scans `dir`, lists the app's items and checks them against the catalog (rebuilding
/// records from descriptions).
fn verify_gphotos(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    gphotos: &NativeGooglePhotos,
) -> Result<Value, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let client = gphotos.0.clone();
    // No catalog required: this verify rebuilds a lost one from the items' descriptions.
    // Verify forgets the items it finds gone (engine::heal): a write, under the lock.
    let lock = crate::lock::take(ruby, catalog.as_deref(), None)?;
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |_: &(dyn Fn(()) + Send + Sync)| -> Result<gphotos_sync::VerifyReport, Failure> {
            let mut cat = Catalog::open_for_run(catalog.as_deref(), lock, &worker_cancel)
                .map_err(|e| Failure::Scan(e.into()))?;
            scan::scan(
                &dir,
                &mut cat,
                &ScanOptions::default(),
                &worker_cancel,
                &mut |_| {},
            )
            .map_err(Failure::Scan)?;
            gphotos_sync::verify_gphotos(&dir, &mut cat, &client, &worker_cancel)
                .map_err(Failure::Sync)
        },
        |_: ()| Ok(()),
    )?;
    match outcome {
        Ok(r) => conv::to_ruby(ruby, &r),
        Err(Failure::Scan(e)) => Err(errors::scan(ruby, e)),
        Err(Failure::Sync(e)) => Err(errors::gphotos_sync(ruby, e)),
    }
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
    m.define_singleton_method("_gphotos_login", function!(gphotos_login, 5))?;
    m.define_singleton_method("_verify_gphotos", function!(verify_gphotos, 3))?;
    Ok(())
}
