//! `Photosync._archive_verify` and `_archive_check_layout`, on the worker thread of
//! background.rs, and an archive's options for `_sync` (sync.rs).
//! lib/photosync/archive.rb adds keyword arguments, the Archive class and the report structs.

use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::archive::{self, ArchiveError, ArchiveOptions, Layout};
use photosync::library::scan::Progress;
use std::path::PathBuf;

pub(crate) fn layout(ruby: &Ruby, pattern: &str) -> Result<Layout, Error> {
    Layout::parse(pattern).map_err(|e| Error::new(ruby.exception_arg_error(), e.to_string()))
}

fn check_layout(ruby: &Ruby, pattern: String) -> Result<String, Error> {
    layout(ruby, &pattern).map(|l| l.pattern().to_string())
}

/// One archive's options for `_sync`: layout, write_dates, threads, dry_run.
pub(crate) fn options(ruby: &Ruby, h: RHash) -> Result<ArchiveOptions, Error> {
    Ok(ArchiveOptions {
        layout: layout(ruby, &h.fetch::<_, String>("layout")?)?,
        write_dates: h.fetch("write_dates")?,
        threads: h.fetch::<_, usize>("threads")?.max(1),
        dry_run: h.fetch("dry_run")?,
        verify: h.lookup::<_, Option<bool>>("verify")?.unwrap_or(false),
        ..ArchiveOptions::default()
    })
}

fn path_pairs(ruby: &Ruby, pairs: &[(PathBuf, String)]) -> Result<RArray, Error> {
    let a = ruby.ary_new_capa(pairs.len());
    for (path, msg) in pairs {
        a.push((conv::path_to(ruby, path), msg.as_str()))?;
    }
    Ok(a)
}

fn paths(ruby: &Ruby, list: &[PathBuf]) -> Result<RArray, Error> {
    let a = ruby.ary_new_capa(list.len());
    for p in list {
        a.push(conv::path_to(ruby, p))?;
    }
    Ok(a)
}

fn verify(
    ruby: &Ruby,
    root: RString,
    catalog: Option<RString>,
    threads: usize,
    progress: Option<magnus::block::Proc>,
) -> Result<RHash, Error> {
    let root = conv::path_from(root);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    crate::lock::require_catalog(ruby, catalog.as_deref())?;
    // Verify forgets the copies it finds lost (engine::heal): a write, under the lock.
    let lock = crate::lock::take(ruby, catalog.as_deref(), None)?;
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let result = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Progress) + Send + Sync)| -> Result<archive::VerifyReport, ArchiveError> {
            let mut cat = Catalog::open_for_run(catalog.as_deref(), lock, &worker_cancel)?;
            archive::verify(&root, &mut cat, threads.max(1), &worker_cancel, &mut |p| emit(*p))
        },
        |p: Progress| crate::scan::tell_progress(&progress, p),
    )?;
    let r = result.map_err(|e| errors::archive(ruby, e))?;
    verify_hash(ruby, &r)
}

/// A verify's report as `_archive_verify` and `_s3_verify` give it to Ruby.
pub(crate) fn verify_hash(ruby: &Ruby, r: &archive::VerifyReport) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("checked"), r.checked)?;
    h.aset(sym("bytes"), r.bytes)?;
    h.aset(sym("elapsed"), r.elapsed.as_secs_f64())?;
    h.aset(sym("missing"), paths(ruby, &r.missing)?)?;
    h.aset(sym("unknown"), paths(ruby, &r.unknown)?)?;
    h.aset(sym("temporaries"), paths(ruby, &r.temporaries)?)?;
    h.aset(sym("unreadable"), path_pairs(ruby, &r.unreadable)?)?;
    let corrupted = ruby.ary_new_capa(r.corrupted.len());
    for c in &r.corrupted {
        corrupted.push((
            conv::path_to(ruby, &c.path),
            c.expected.as_str(),
            c.found.as_str(),
        ))?;
    }
    h.aset(sym("corrupted"), corrupted)?;
    h.aset(sym("forgotten"), r.forgotten)?;
    Ok(h)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_archive_verify", function!(verify, 4))?;
    m.define_singleton_method("_archive_check_layout", function!(check_layout, 1))?;
    Ok(())
}
