//! `Photosync._verify_flickr`, `_adopt_flickr` and `_dedupe_flickr`: the Flickr account against
//! the catalog, on a worker thread; reports and events go to Ruby in their serde form.
//! lib/photosync/account.rb adds keyword arguments and the report classes.

use crate::flickr::NativeFlickr;
use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::account::adopt::{self, AdoptEvent};
use photosync::destinations::flickr::account::dedupe;
use photosync::destinations::flickr::account::verify::{self, VerifyOptions};
use photosync::destinations::flickr::account::{AccountError, AccountOptions};
use photosync::destinations::flickr::api::Client;
use photosync::destinations::flickr::sync::Pacing;
use photosync::engine::RunLock;

/// The catalog, holding the run lock `lock` when the call writes.
fn open(
    catalog: &Option<std::path::PathBuf>,
    lock: Option<RunLock>,
    cancel: &Cancel,
) -> Result<Catalog, AccountError> {
    Ok(match lock {
        Some(lock) => Catalog::open_for_run(catalog.as_deref(), Some(lock), cancel)?,
        None => Catalog::open_or_memory(catalog.as_deref())?,
    })
}

fn account_options(h: RHash) -> Result<AccountOptions, Error> {
    Ok(AccountOptions {
        concurrency: h.fetch::<_, usize>("concurrency")?.max(1),
        pacing: Pacing {
            calls_per_hour: h.fetch::<_, u32>("calls_per_hour")?.max(1),
            ..Pacing::default()
        },
    })
}

/// Runs `work` on a worker thread with the catalog opened there (holding the run lock
/// when it `writes`); it sends no events.
fn quietly<T: Send + 'static>(
    ruby: &Ruby,
    catalog: Option<RString>,
    flickr: &NativeFlickr,
    opts: RHash,
    writes: bool,
    work: impl FnOnce(&mut Catalog, &Client, &AccountOptions, &Cancel) -> Result<T, AccountError>
        + Send
        + 'static,
) -> Result<T, Error> {
    let catalog = catalog.map(conv::path_from);
    let account = account_options(opts)?;
    let lock = match writes {
        true => crate::lock::take(ruby, catalog.as_deref(), Some(opts))?,
        false => None,
    };
    let client = flickr.0.clone();
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |_: &(dyn Fn(()) + Send + Sync)| {
            let mut cat = open(&catalog, lock, &worker_cancel)?;
            work(&mut cat, &client, &account, &worker_cancel)
        },
        |_: ()| Ok(()),
    )?;
    outcome.map_err(|e| errors::account(ruby, e))
}

fn verify_flickr(
    ruby: &Ruby,
    catalog: Option<RString>,
    flickr: &NativeFlickr,
    opts: RHash,
) -> Result<RHash, Error> {
    let root: Option<RString> = opts.fetch("root")?;
    let verify_opts = VerifyOptions {
        read_data: opts.fetch("read_data")?,
        sample_percent: opts.fetch("sample")?,
        root: root.map(conv::path_from),
    };
    let path = catalog.map(conv::path_from);
    crate::lock::require_catalog(ruby, path.as_deref())?;
    let r = quietly(
        ruby,
        catalog,
        flickr,
        opts,
        // Verify forgets the copies it finds lost (engine::heal): a write, under the lock.
        true,
        move |cat, client, account, cancel| {
            verify::verify_flickr(cat, client, account, &verify_opts, cancel)
        },
    )?;
    // `ok` is the core's judgement, not a field: added for Ruby's `ok?`.
    let h: RHash = conv::to_ruby(ruby, &r)?;
    h.aset(ruby.to_symbol("ok"), r.ok())?;
    Ok(h)
}

fn adopt_flickr(
    ruby: &Ruby,
    catalog: Option<RString>,
    flickr: &NativeFlickr,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<RHash, Error> {
    let catalog = catalog.map(conv::path_from);
    let account = account_options(opts)?;
    let lock = crate::lock::take(ruby, catalog.as_deref(), Some(opts))?;
    let client = flickr.0.clone();
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(AdoptEvent) + Send + Sync)| {
            let mut cat = open(&catalog, lock, &worker_cancel)?;
            adopt::adopt_flickr(&mut cat, &client, &account, &worker_cancel, emit)
        },
        |e: AdoptEvent| match &block {
            Some(b) => b
                .call::<_, Value>((conv::to_ruby::<_, RHash>(ruby, &e)?,))
                .map(|_| ()),
            None => Ok(()),
        },
    )?;
    let r = outcome.map_err(|e| errors::account(ruby, e))?;
    conv::to_ruby(ruby, &r)
}

fn dedupe_flickr(
    ruby: &Ruby,
    catalog: Option<RString>,
    flickr: &NativeFlickr,
    opts: RHash,
    yes: bool,
) -> Result<RHash, Error> {
    let r = quietly(
        ruby,
        catalog,
        flickr,
        opts,
        yes,
        move |cat, client, account, cancel| {
            dedupe::dedupe_flickr(cat, client, account, yes, cancel)
        },
    )?;
    conv::to_ruby(ruby, &r)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_dedupe_flickr", function!(dedupe_flickr, 4))?;
    m.define_singleton_method("_verify_flickr", function!(verify_flickr, 3))?;
    m.define_singleton_method("_adopt_flickr", function!(adopt_flickr, 4))?;
    Ok(())
}
