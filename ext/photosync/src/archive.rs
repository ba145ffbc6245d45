//! `Photosync._sync_to` (scan once, then feed every destination: archives, then
//! Flickr), `Photosync._archive_verify` and `_archive_check_layout`, on the worker
//! thread of background.rs. lib/photosync/archive.rb adds keyword arguments, the
//! Archive class and the report structs.

use crate::flickr::NativeFlickr;
use crate::{background, conv, errors, sync};
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, Value};
use photosync::archive::{self, ArchiveError, ArchiveEvent, ArchiveOptions, Layout};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::{review, rules::Rules};
use photosync::scan::{self, Progress, ScanOptions, ScanStats};
use photosync::sync::{SyncError, SyncEvent};
use std::path::PathBuf;

enum Event {
    Flickr(SyncEvent),
    Archive(String, ArchiveEvent),
}

/// One destination's outcome: its report, or why the run could not go on.
enum Outcome {
    Flickr(Result<photosync::sync::SyncReport, SyncError>),
    Archive(Result<archive::ArchiveReport, ArchiveError>),
}

fn layout(ruby: &Ruby, pattern: &str) -> Result<Layout, Error> {
    Layout::parse(pattern).map_err(|e| Error::new(ruby.exception_arg_error(), e.to_string()))
}

fn check_layout(ruby: &Ruby, pattern: String) -> Result<String, Error> {
    layout(ruby, &pattern).map(|l| l.pattern().to_string())
}

/// `archives`: `[[root, layout, write_dates], ...]`; `archive_opts`: threads, dry_run and
/// date_rules (`[path, required]` or nil: the rules every destination gets corrected
/// dates from); `flickr_opts` as for `_sync_flickr`. Returns
/// `[scan_stats, [[name, report_or_nil, error_class_or_nil, message_or_nil], ...]]`.
#[allow(clippy::too_many_arguments)]
fn sync_to(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    archives: RArray,
    archive_opts: RHash,
    flickr: Option<&NativeFlickr>,
    flickr_opts: Option<RHash>,
    block: Option<magnus::block::Proc>,
) -> Result<RArray, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let mut targets = Vec::new();
    for pair in archives.into_iter() {
        let (root, pattern, write_dates): (RString, String, bool) =
            magnus::TryConvert::try_convert(pair)?;
        targets.push((conv::path_from(root), layout(ruby, &pattern)?, write_dates));
    }
    // Read here, on the Ruby thread: a small file, and a mistake in it stops the run
    // before anything is scanned.
    let rules = match archive_opts.lookup::<_, Option<(RString, bool)>>("date_rules")? {
        Some((path, required)) => {
            Rules::load(&conv::path_from(path), required).map_err(|e| errors::dates(ruby, e))?
        }
        None => Rules::default(),
    };
    let base = ArchiveOptions {
        threads: archive_opts.fetch::<_, usize>("threads")?.max(1),
        dry_run: archive_opts.fetch("dry_run")?,
        ..ArchiveOptions::default()
    };
    let flickr = match (flickr, flickr_opts) {
        (Some(f), Some(o)) => Some((f.0.clone(), sync::options(ruby, o, &dir)?)),
        _ => None,
    };
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Event) + Send + Sync)| -> Result<(ScanStats, Vec<(String, Outcome)>), scan::ScanError> {
            let mut cat = match &catalog {
                Some(p) => Catalog::open(p)?,
                None => Catalog::in_memory()?,
            };
            let mut scanned = scan::scan(&dir, &mut cat, &ScanOptions::default(), &worker_cancel, &mut |_| {})?;
            let library = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            review::correct(&mut scanned.photos, &library, &rules);
            let mut outcomes = Vec::new();
            for (root, layout, write_dates) in targets {
                let name = archive::open_root(&root)
                    .map(|r| archive::backend_name(&r))
                    .unwrap_or_else(|_| format!("archive:{}", root.display()));
                let opts = ArchiveOptions { layout, write_dates, ..base.clone() };
                let tag = name.clone();
                let emit_archive = move |e| emit(Event::Archive(tag.clone(), e));
                let r = archive::archive_photos(&scanned.photos, &root, &mut cat, &opts, &worker_cancel, &emit_archive);
                outcomes.push((name, Outcome::Archive(r)));
                if worker_cancel.is_cancelled() {
                    return Ok((scanned.stats, outcomes));
                }
            }
            if let Some((client, opts)) = flickr {
                let r = photosync::sync::sync_flickr(&scanned.photos, &mut cat, &client, &opts, &worker_cancel, &|e| emit(Event::Flickr(e)));
                outcomes.push(("flickr".to_string(), Outcome::Flickr(r)));
            }
            Ok((scanned.stats, outcomes))
        },
        |e: Event| match &block {
            Some(b) => b.call::<_, Value>((event_hash(ruby, e)?,)).map(|_| ()),
            None => Ok(()),
        },
    )?;
    let (stats, outcomes) = outcome.map_err(|e| errors::scan(ruby, e))?;
    let list = ruby.ary_new_capa(outcomes.len());
    for (name, outcome) in outcomes {
        let (report, failure): (Option<RHash>, Option<Error>) = match outcome {
            Outcome::Archive(Ok(r)) => (Some(archive_report(ruby, &r)?), None),
            Outcome::Archive(Err(ArchiveError::Cancelled(r))) => (
                Some(archive_report(ruby, &r)?),
                Some(errors::error(
                    ruby,
                    "Cancelled",
                    "cancelled; finished copies are recorded".into(),
                )),
            ),
            Outcome::Archive(Err(e)) => (None, Some(errors::archive(ruby, e))),
            Outcome::Flickr(Ok(r)) => (Some(sync::report_hash(ruby, &r, &stats)?), None),
            Outcome::Flickr(Err(SyncError::Cancelled(r))) => (
                Some(sync::report_hash(ruby, &r, &stats)?),
                Some(errors::error(
                    ruby,
                    "Cancelled",
                    "cancelled; finished uploads are recorded".into(),
                )),
            ),
            Outcome::Flickr(Err(e)) => {
                (None, Some(errors::error(ruby, "SyncError", e.to_string())))
            }
        };
        let row = ruby.ary_new_capa(3);
        row.push(name)?;
        row.push(report)?;
        row.push(failure.map(|e| errors::exception(ruby, e)).transpose()?)?;
        list.push(row)?;
    }
    Ok(ruby.ary_new_from_values(&[
        crate::scan::stats_hash(ruby, &stats)?.as_value(),
        list.as_value(),
    ]))
}

fn event_hash(ruby: &Ruby, e: Event) -> Result<RHash, Error> {
    let (name, e) = match e {
        Event::Flickr(e) => return sync::event_hash(ruby, e),
        Event::Archive(name, e) => (name, e),
    };
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

fn archive_report(ruby: &Ruby, r: &archive::ArchiveReport) -> Result<RHash, Error> {
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
            let cat = match &catalog {
                Some(p) => Catalog::open(p)?,
                None => Catalog::in_memory()?,
            };
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
    m.define_singleton_method("_sync_to", function!(sync_to, 7))?;
    m.define_singleton_method("_archive_verify", function!(verify, 4))?;
    m.define_singleton_method("_archive_check_layout", function!(check_layout, 1))?;
    Ok(())
}
