//! `Photosync._sync_to`: one scan feeding several destinations (archives, Flickr, Google
//! Photos) through the core's `destinations::sync_all`, on the worker thread of
//! background.rs. lib/photosync/archive.rb adds keyword arguments and SyncReports.

use crate::flickr::NativeFlickr;
use crate::gphotos::NativeGooglePhotos;
use crate::{archive, background, conv, errors, gphotos, sync};
use magnus::{
    function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, TryConvert, Value,
};
use photosync::archive::{ArchiveError, ArchiveOptions};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::rules::Rules;
use photosync::destinations::{self, Destination, Event, MultiReport, Outcome};
use photosync::gphotos_sync::GphotosSyncError;
use photosync::sync::SyncError;
use std::path::PathBuf;

/// `archives`: `[[root, layout, write_dates], ...]`; `archive_opts`: threads, dry_run and
/// date_rules (`[path, required]` or nil: the rules every destination gets corrected dates
/// from); `flickr` and `gphotos`: `[native, opts]` or nil, the options as for `_sync_flickr`
/// and `_sync_gphotos`. Returns
/// `[scan_stats, [[name, report_or_nil, exception_or_nil], ...]]`.
#[allow(clippy::too_many_arguments)]
fn sync_to(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    archives: RArray,
    archive_opts: RHash,
    flickr: Option<(Value, RHash)>,
    gphotos: Option<(Value, RHash)>,
    block: Option<magnus::block::Proc>,
) -> Result<RArray, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let base = ArchiveOptions {
        threads: archive_opts.fetch::<_, usize>("threads")?.max(1),
        dry_run: archive_opts.fetch("dry_run")?,
        verify: archive_opts
            .lookup::<_, Option<bool>>("verify")?
            .unwrap_or(false),
        ..ArchiveOptions::default()
    };
    // Read here, on the Ruby thread: a small file, and a mistake in it stops the run
    // before anything is scanned.
    let rules = match archive_opts.lookup::<_, Option<(RString, bool)>>("date_rules")? {
        Some((path, required)) => {
            Rules::load(&conv::path_from(path), required).map_err(|e| errors::dates(ruby, e))?
        }
        None => Rules::default(),
    };
    let mut targets = Vec::new();
    for triple in archives.into_iter() {
        let (root, pattern, write_dates): (RString, String, bool) =
            TryConvert::try_convert(triple)?;
        let opts = ArchiveOptions {
            layout: archive::layout(ruby, &pattern)?,
            write_dates,
            ..base.clone()
        };
        targets.push(Destination::Archive {
            root: conv::path_from(root),
            opts,
        });
    }
    if let Some((native, opts)) = flickr {
        let native = <&NativeFlickr>::try_convert(native)?;
        targets.push(Destination::Flickr {
            client: native.0.clone(),
            opts: sync::options(ruby, opts, &dir)?,
        });
    }
    if let Some((native, opts)) = gphotos {
        let native = <&NativeGooglePhotos>::try_convert(native)?;
        targets.push(Destination::Gphotos {
            client: native.0.clone(),
            opts: gphotos::options(opts, &dir)?,
        });
    }
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Event) + Send + Sync)| -> Result<MultiReport, photosync::scan::ScanError> {
            let mut cat = Catalog::open_or_memory(catalog.as_deref())?;
            destinations::sync_all(&dir, &mut cat, targets, &rules, &worker_cancel, emit)
        },
        |e: Event| match &block {
            Some(b) => b.call::<_, Value>((event_hash(ruby, e)?,)).map(|_| ()),
            None => Ok(()),
        },
    )?;
    let run = outcome.map_err(|e| errors::scan(ruby, e))?;
    let stats = &run.scan;
    let list = ruby.ary_new_capa(run.outcomes.len());
    for (name, outcome) in run.outcomes {
        let cancelled = |what: &str| {
            errors::error(
                ruby,
                "Cancelled",
                format!("cancelled; finished {what} are recorded"),
            )
        };
        let (report, failure): (Option<RHash>, Option<Error>) = match outcome {
            Outcome::Archive(Ok(r)) => (Some(archive::archive_report(ruby, &r)?), None),
            Outcome::Archive(Err(ArchiveError::Cancelled(r))) => (
                Some(archive::archive_report(ruby, &r)?),
                Some(cancelled("copies")),
            ),
            Outcome::Archive(Err(e)) => (None, Some(errors::archive(ruby, e))),
            Outcome::Flickr(Ok(r)) => (Some(sync::report_hash(ruby, &r, stats)?), None),
            Outcome::Flickr(Err(SyncError::Cancelled(r))) => (
                Some(sync::report_hash(ruby, &r, stats)?),
                Some(cancelled("uploads")),
            ),
            Outcome::Flickr(Err(e)) => (None, Some(errors::sync(ruby, e))),
            Outcome::Gphotos(Ok(r)) => (Some(gphotos::report_hash(ruby, &r, stats)?), None),
            Outcome::Gphotos(Err(GphotosSyncError::Cancelled(r))) => (
                Some(gphotos::report_hash(ruby, &r, stats)?),
                Some(cancelled("uploads")),
            ),
            Outcome::Gphotos(Err(e)) => (None, Some(errors::gphotos_sync(ruby, e))),
        };
        let row = ruby.ary_new_capa(3);
        row.push(name)?;
        row.push(report)?;
        row.push(failure.map(|e| errors::exception(ruby, e)).transpose()?)?;
        list.push(row)?;
    }
    Ok(ruby.ary_new_from_values(&[
        crate::scan::stats_hash(ruby, stats)?.as_value(),
        list.as_value(),
    ]))
}

fn event_hash(ruby: &Ruby, e: Event) -> Result<RHash, Error> {
    let (name, e) = match e {
        Event::Archive(name, e) => return archive::event_hash(ruby, name, e),
        Event::Scanned(stats) => {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("kind"), ruby.to_symbol("scanned"))?;
            h.aset(
                ruby.to_symbol("scan"),
                crate::scan::stats_hash(ruby, &stats)?,
            )?;
            return Ok(h);
        }
        Event::Flickr(e) => ("flickr", e),
        Event::Gphotos(e) => ("gphotos", e),
    };
    let h = sync::event_hash(ruby, e)?;
    h.aset(ruby.to_symbol("destination"), name)?;
    Ok(h)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_sync_to", function!(sync_to, 7))?;
    Ok(())
}
