//! `Photosync._s3_check_url`, `_s3_verify`, `_restore_s3` and `_s3_fetch_catalog`, and a bucket's options for
//! `_sync` (sync.rs). lib/photosync/s3.rb adds keyword arguments and the S3 class.

use crate::restore::Emit;
use crate::{archive, background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::s3::{self, Connection, S3Error, S3Options, S3Url};
use photosync::restore;
use std::path::PathBuf;

fn url(ruby: &Ruby, url: &str) -> Result<S3Url, Error> {
    S3Url::parse(url).map_err(|e| errors::s3(ruby, e))
}

/// `s3://bucket/prefix` as photosync names it, or ArgumentError.
fn check_url(ruby: &Ruby, text: String) -> Result<String, Error> {
    url(ruby, &text).map(|u| u.to_string())
}

/// endpoint, region and the keys, each nil to take the environment's.
fn connection(h: RHash) -> Result<Connection, Error> {
    Ok(Connection {
        endpoint: h.lookup("endpoint")?,
        region: h.lookup("region")?,
        access_key_id: h.lookup("access_key_id")?,
        secret_access_key: h.lookup("secret_access_key")?,
        session_token: h.lookup("session_token")?,
    })
}

/// One bucket's options for `_sync`: its connection, storage_class, layout,
/// concurrency, dry_run.
pub(crate) fn options(ruby: &Ruby, address: &str, h: RHash) -> Result<S3Options, Error> {
    let mut opts = S3Options::new(url(ruby, address)?);
    opts.connection = connection(h)?;
    opts.storage_class = h.lookup("storage_class")?;
    opts.layout = archive::layout(ruby, &h.fetch::<_, String>("layout")?)?;
    opts.concurrency = h.fetch::<_, usize>("concurrency")?.max(1);
    opts.dry_run = h.fetch("dry_run")?;
    Ok(opts)
}

/// `read_data`: the percentage of objects to download and hash, or nil.
fn verify(
    ruby: &Ruby,
    address: String,
    conn: RHash,
    catalog: Option<RString>,
    read_data: Option<f64>,
) -> Result<RHash, Error> {
    let url = url(ruby, &address)?;
    let conn = connection(conn)?;
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    crate::lock::require_catalog(ruby, catalog.as_deref())?;
    // Verify forgets the copies it finds lost (engine::heal): a write, under the lock.
    let lock = crate::lock::take(ruby, catalog.as_deref(), None)?;
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let result = background::run(
        ruby,
        &cancel,
        move |_: &(dyn Fn(()) + Send + Sync)| -> Result<_, S3Error> {
            let mut cat = Catalog::open_for_run(catalog.as_deref(), lock, &worker_cancel)?;
            s3::verify(&url, &conn, &mut cat, read_data, &worker_cancel)
        },
        |()| Ok(()),
    )?;
    let report = result.map_err(|e| errors::s3(ruby, e))?;
    archive::verify_hash(ruby, &report)
}

fn restore_s3(
    ruby: &Ruby,
    dest: RString,
    catalog: Option<RString>,
    address: String,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<Value, Error> {
    let url = url(ruby, &address)?;
    let conn = connection(opts)?;
    crate::restore::run(
        ruby,
        dest,
        catalog,
        opts,
        block,
        move |dest, cat, opts, cancel, emit: Emit| {
            restore::restore_s3(&url, &conn, dest, cat, opts, cancel, emit)
        },
    )
}

/// Downloads the bucket's catalog copy to `to`: its address, or nil when it holds none.
fn fetch_catalog(
    ruby: &Ruby,
    address: String,
    conn: RHash,
    to: RString,
) -> Result<Option<String>, Error> {
    let url = url(ruby, &address)?;
    let conn = connection(conn)?;
    s3::fetch_catalog(&url, &conn, &conv::path_from(to)).map_err(|e| errors::s3(ruby, e))
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_s3_check_url", function!(check_url, 1))?;
    m.define_singleton_method("_s3_verify", function!(verify, 4))?;
    m.define_singleton_method("_restore_s3", function!(restore_s3, 5))?;
    m.define_singleton_method("_s3_fetch_catalog", function!(fetch_catalog, 3))?;
    // Days a thawed object stays readable, for the CLI's line about it.
    m.const_set("S3_THAW_DAYS", s3::THAW_DAYS)?;
    Ok(())
}
