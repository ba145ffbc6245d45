//! `Photosync._archive_verify` and `_archive_check_layout`, on the worker thread of
//! background.rs, and the archive's events and report for `_sync_to` (destinations.rs).
//! lib/photosync/archive.rb adds keyword arguments, the Archive class and the report structs.

use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, Value};
use photosync::archive::{self, ArchiveError, ArchiveEvent, Layout};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::scan::Progress;
use std::path::PathBuf;

pub(crate) fn layout(ruby: &Ruby, pattern: &str) -> Result<Layout, Error> {
    Layout::parse(pattern).map_err(|e| Error::new(ruby.exception_arg_error(), e.to_string()))
}

fn check_layout(ruby: &Ruby, pattern: String) -> Result<String, Error> {
    layout(ruby, &pattern).map(|l| l.pattern().to_string())
}

/// An archive's event for the Ruby block, with the archive's name as `destination`.
pub(crate) fn event_hash(ruby: &Ruby, name: String, e: ArchiveEvent) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("destination"), name)?;
    let (kind, path) = match e {
        ArchiveEvent::Planned {
            to_copy,
            already_there,
            duplicates,
            bytes,
        } => {
            h.aset(sym("to_copy"), to_copy)?;
            h.aset(sym("already_there"), already_there)?;
            h.aset(sym("duplicates"), duplicates)?;
            h.aset(sym("bytes"), bytes)?;
            ("planned", None)
        }
        ArchiveEvent::Started { path } => ("started", Some(path)),
        ArchiveEvent::Progress {
            bytes_done,
            bytes_total,
        } => {
            h.aset(sym("bytes_done"), bytes_done)?;
            h.aset(sym("bytes_total"), bytes_total)?;
            ("progress", None)
        }
        ArchiveEvent::Copied { path, dest, bytes } => {
            h.aset(sym("dest"), conv::path_to(ruby, &dest))?;
            h.aset(sym("bytes"), bytes)?;
            ("copied", Some(path))
        }
        ArchiveEvent::Skipped { path, reason } => {
            h.aset(sym("reason"), reason)?;
            ("skipped", Some(path))
        }
        ArchiveEvent::Failed { path, error } => {
            h.aset(sym("error"), error)?;
            ("failed", Some(path))
        }
        ArchiveEvent::Finished => ("finished", None),
    };
    h.aset(sym("kind"), sym(kind))?;
    if let Some(p) = path {
        h.aset(sym("path"), conv::path_to(ruby, &p))?;
    }
    Ok(h)
}

pub(crate) fn archive_report(ruby: &Ruby, r: &archive::ArchiveReport) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("copied"), r.copied)?;
    h.aset(sym("skipped"), r.skipped)?;
    h.aset(sym("failed"), r.failed)?;
    h.aset(sym("bytes"), r.bytes)?;
    h.aset(sym("elapsed"), r.elapsed.as_secs_f64())?;
    h.aset(sym("already_there"), r.already_there)?;
    h.aset(sym("adopted"), r.adopted)?;
    h.aset(sym("cleaned"), r.cleaned)?;
    h.aset(sym("redated"), r.redated)?;
    h.aset(sym("errors"), path_pairs(ruby, &r.errors)?)?;
    conv::set_outcomes(ruby, h, &r.counts, &r.not_taken, &r.refused)?;
    Ok(h)
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
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let result = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Progress) + Send + Sync)| -> Result<archive::VerifyReport, ArchiveError> {
            let cat = Catalog::open_or_memory(catalog.as_deref())?;
            archive::verify(&root, &cat, threads.max(1), &worker_cancel, &mut |p| emit(*p))
        },
        |p: Progress| match &progress {
            Some(block) => block
                .call::<_, Value>((p.files_done, p.files_total, p.bytes_done, p.bytes_total))
                .map(|_| ()),
            None => Ok(()),
        },
    )?;
    let r = result.map_err(|e| errors::archive(ruby, e))?;
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
    Ok(h)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_archive_verify", function!(verify, 4))?;
    m.define_singleton_method("_archive_check_layout", function!(check_layout, 1))?;
    Ok(())
}
