//! `Photosync._verify_flickr`, `_adopt_flickr` and `_dedupe_flickr`: the Flickr account against
//! the catalog, on a worker thread. lib/photosync/account.rb adds keyword arguments
//! and the report structs.

use crate::flickr::NativeFlickr;
use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, Value};
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

fn pairs<A: magnus::IntoValue, B: magnus::IntoValue>(
    ruby: &Ruby,
    items: impl IntoIterator<Item = (A, B)>,
) -> Result<RArray, Error> {
    let out = ruby.ary_new();
    for (a, b) in items {
        out.push((a, b))?;
    }
    Ok(out)
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
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("ok"), r.ok())?;
    h.aset(sym("photos_on_flickr"), r.photos_on_flickr)?;
    h.aset(sym("local_photos"), r.local_photos)?;
    let missing = ruby.ary_new();
    for p in &r.missing_on_flickr {
        missing.push(conv::path_to(ruby, p))?;
    }
    h.aset(sym("missing_on_flickr"), missing)?;
    let dups = ruby.hash_new();
    for (md5, ids) in r.duplicates {
        dups.aset(md5, ruby.ary_from_vec(ids))?;
    }
    h.aset(sym("duplicates"), dups)?;
    h.aset(sym("untagged"), ruby.ary_from_vec(r.untagged))?;
    h.aset(sym("only_on_flickr"), pairs(ruby, r.only_on_flickr)?)?;
    h.aset(sym("read"), r.read)?;
    let corrupted = ruby.ary_new();
    for (id, tag, actual) in r.corrupted {
        corrupted.push((id, tag, actual))?;
    }
    h.aset(sym("corrupted"), corrupted)?;
    h.aset(sym("api_calls"), r.api_calls)?;
    h.aset(sym("forgotten"), r.forgotten)?;
    h.aset(sym("notes"), ruby.ary_from_vec(r.notes))?;
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
            Some(b) => b.call::<_, Value>((adopt_event(ruby, e)?,)).map(|_| ()),
            None => Ok(()),
        },
    )?;
    let r = outcome.map_err(|e| errors::account(ruby, e))?;
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("adopted"), r.adopted)?;
    h.aset(sym("already_tagged"), r.already_tagged)?;
    h.aset(sym("failed"), r.failed)?;
    h.aset(sym("api_calls"), r.api_calls)?;
    h.aset(sym("errors"), pairs(ruby, r.errors)?)?;
    Ok(h)
}

fn adopt_event(ruby: &Ruby, e: AdoptEvent) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    let kind = match e {
        AdoptEvent::Planned { untagged, tagged } => {
            h.aset(sym("untagged"), untagged)?;
            h.aset(sym("tagged"), tagged)?;
            "planned"
        }
        AdoptEvent::Adopted { photo_id, md5 } => {
            h.aset(sym("photo_id"), photo_id)?;
            h.aset(sym("md5"), md5)?;
            "adopted"
        }
        AdoptEvent::Failed { photo_id, error } => {
            h.aset(sym("photo_id"), photo_id)?;
            h.aset(sym("error"), error)?;
            "failed"
        }
    };
    h.aset(sym("kind"), sym(kind))?;
    Ok(h)
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
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    let plan = ruby.ary_new();
    for m in r.plan {
        let mh = ruby.hash_new();
        mh.aset(sym("md5"), m.md5)?;
        mh.aset(sym("keeper"), m.keeper)?;
        mh.aset(sym("delete"), ruby.ary_from_vec(m.delete))?;
        mh.aset(sym("add_tags"), ruby.ary_from_vec(m.add_tags))?;
        mh.aset(sym("add_to_albums"), pairs(ruby, m.add_to_albums)?)?;
        mh.aset(sym("title"), m.title)?;
        mh.aset(sym("description"), m.description)?;
        plan.push(mh)?;
    }
    h.aset(sym("plan"), plan)?;
    h.aset(sym("applied"), r.applied)?;
    h.aset(sym("deleted"), r.deleted)?;
    h.aset(sym("errors"), pairs(ruby, r.errors)?)?;
    h.aset(sym("api_calls"), r.api_calls)?;
    Ok(h)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_dedupe_flickr", function!(dedupe_flickr, 4))?;
    m.define_singleton_method("_verify_flickr", function!(verify_flickr, 3))?;
    m.define_singleton_method("_adopt_flickr", function!(adopt_flickr, 4))?;
    Ok(())
}
