//! `Photosync._restore_flickr`, `_restore_archive` and `_restore_gphotos`: a Flickr
//! account, an archive or (lossy) Google Photos back into a folder, on a worker thread; events reach the Ruby block on the Ruby
//! thread. lib/photosync/restore.rb adds keyword arguments and the event and report
//! structs.

use crate::flickr::NativeFlickr;
use crate::gphotos::NativeGooglePhotos;
use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::Pacing;
use photosync::restore::{self, RestoreError, RestoreEvent, RestoreOptions, RestoreReport};
use std::path::PathBuf;

fn options(h: RHash) -> Result<RestoreOptions, Error> {
    let only: Option<RString> = h.fetch("only_missing")?;
    Ok(RestoreOptions {
        concurrency: h.fetch::<_, usize>("concurrency")?.max(1),
        albums: h.fetch("albums")?,
        only_missing: only.map(conv::path_from),
        pacing: Pacing {
            calls_per_hour: h.fetch::<_, u32>("calls_per_hour")?.max(1),
            ..Pacing::default()
        },
        thaw: h.lookup::<_, Option<bool>>("thaw")?.unwrap_or(false),
    })
}

fn restore_flickr(
    ruby: &Ruby,
    dest: RString,
    catalog: Option<RString>,
    flickr: &NativeFlickr,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<Value, Error> {
    let client = flickr.0.clone();
    run(
        ruby,
        dest,
        catalog,
        opts,
        block,
        move |dest, cat, opts, cancel, emit| {
            restore::restore_flickr(dest, cat, &client, opts, cancel, emit)
        },
    )
}

fn restore_archive(
    ruby: &Ruby,
    dest: RString,
    catalog: Option<RString>,
    archive: RString,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<Value, Error> {
    let root = conv::path_from(archive);
    run(
        ruby,
        dest,
        catalog,
        opts,
        block,
        move |dest, cat, opts, cancel, emit| {
            restore::restore_archive(&root, dest, cat, opts, cancel, emit)
        },
    )
}

fn restore_gphotos(
    ruby: &Ruby,
    dest: RString,
    catalog: Option<RString>,
    gphotos: &NativeGooglePhotos,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<Value, Error> {
    let client = gphotos.0.clone();
    let accept_lossy: bool = opts.fetch("accept_lossy")?;
    run(
        ruby,
        dest,
        catalog,
        opts,
        block,
        move |dest, cat, opts, cancel, emit| {
            restore::restore_gphotos(dest, cat, &client, opts, accept_lossy, cancel, emit)
        },
    )
}

/// Why Google Photos is refused as a source without accept_lossy, for the CLI to say
/// before it asks for a login.
fn gphotos_refusal() -> String {
    RestoreError::Lossy.to_string()
}

pub(crate) type Emit<'a> = &'a (dyn Fn(RestoreEvent) + Send + Sync);

/// Runs one restore on a worker thread with the catalog opened there; events reach
/// the block on the Ruby thread.
pub(crate) fn run(
    ruby: &Ruby,
    dest: RString,
    catalog: Option<RString>,
    opts: RHash,
    block: Option<magnus::block::Proc>,
    restore: impl FnOnce(
            &std::path::Path,
            &mut Catalog,
            &RestoreOptions,
            &Cancel,
            Emit,
        ) -> Result<RestoreReport, RestoreError>
        + Send
        + 'static,
) -> Result<Value, Error> {
    let dest = conv::path_from(dest);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let run = opts;
    let opts = options(opts)?;
    // What DIR2 held once is known from the catalog only.
    if opts.only_missing.is_some() {
        crate::lock::require_catalog(ruby, catalog.as_deref())?;
    }
    let lock = crate::lock::take(ruby, catalog.as_deref(), Some(run))?;
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: Emit| -> Result<RestoreReport, RestoreError> {
            let mut cat = Catalog::open_for_run(catalog.as_deref(), lock, &worker_cancel)?;
            restore(&dest, &mut cat, &opts, &worker_cancel, emit)
        },
        |e: RestoreEvent| match &block {
            Some(b) => b
                .call::<_, Value>((conv::to_ruby::<_, Value>(ruby, &e)?,))
                .map(|_| ()),
            None => Ok(()),
        },
    )?;
    match outcome {
        Ok(report) => conv::to_ruby(ruby, &report),
        Err(e) => Err(errors::restore(ruby, e)),
    }
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_restore_flickr", function!(restore_flickr, 5))?;
    m.define_singleton_method("_restore_archive", function!(restore_archive, 5))?;
    m.define_singleton_method("_restore_gphotos", function!(restore_gphotos, 5))?;
    m.define_singleton_method("_gphotos_restore_refusal", function!(gphotos_refusal, 0))?;
    Ok(())
}
