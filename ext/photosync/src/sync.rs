//! `Photosync._sync`: the one native entry point of every sync, to one destination or
//! several. It turns Ruby's description of the destinations into the core's, runs the
//! core's `engine::run::sync_all` (one scan, the date rules once, each destination in
//! turn) on the worker thread of background.rs, and hands events and reports back in
//! their serde form. lib/photosync/sync.rb adds keyword arguments and the Ruby classes.

use crate::flickr::NativeFlickr;
use crate::gphotos::NativeGooglePhotos;
use crate::{archive, background, conv, errors, gphotos, s3};
use magnus::{
    function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, TryConvert, Value,
};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::rules::Rules;
use photosync::destinations::archive::{Archive, ArchiveError};
use photosync::destinations::flickr::sync::{
    Albums, Flickr, Privacy, SyncError, SyncOptions, TitleTemplate,
};
use photosync::destinations::gphotos::sync::{Gphotos, GphotosSyncError};
use photosync::destinations::s3::{S3Error, S3};
use photosync::engine::run::{self, Event, MultiReport, Outcome, Target};
use photosync::library::scan::ScanError;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `destinations`: `[[kind, target, opts], ...]`, kind "archive" (target: its folder), "s3"
/// (target: its `s3://` address),
/// "flickr" or "gphotos" (target: the native client), opts as lib/photosync/sync.rb builds
/// them; `opts`: `date_rules` (`[path, required]` or nil). Returns
/// `[scan, [[name, report_or_nil, exception_or_nil], ...]]`, in the order the
/// destinations ran.
fn sync(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    list: RArray,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<RArray, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    // Read here, on the Ruby thread: a small file, and a mistake in it stops the run
    // before anything is scanned, whatever the destinations.
    let rules = match opts.lookup::<_, Option<(RString, bool)>>("date_rules")? {
        Some((path, required)) => {
            Rules::load(&conv::path_from(path), required).map_err(|e| errors::dates(ruby, e))?
        }
        None => Rules::default(),
    };
    let cancel = Cancel::new();
    let targets = list
        .into_iter()
        .map(|d| destination(ruby, &dir, d, &cancel))
        .collect::<Result<Vec<_>, _>>()?;
    let lock = crate::lock::take(ruby, catalog.as_deref(), Some(opts))?;
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Event) + Send + Sync)| -> Result<MultiReport, ScanError> {
            let mut cat = Catalog::open_for_run(catalog.as_deref(), lock, &worker_cancel)?;
            run::sync_all(&dir, &mut cat, targets, &rules, &worker_cancel, emit)
        },
        |e: Event| match &block {
            Some(b) => b.call::<_, Value>((event(ruby, e)?,)).map(|_| ()),
            None => Ok(()),
        },
    )?;
    let run = outcome.map_err(|e| errors::scan(ruby, e))?;
    let reports = ruby.ary_new_capa(run.outcomes.len());
    for (name, outcome) in run.outcomes {
        let (report, failure) = match outcome {
            Outcome::Archive(r) => split(ruby, r, errors::archive, |e| match e {
                ArchiveError::Cancelled(r) => Some(r.as_ref()),
                _ => None,
            }),
            Outcome::Flickr(r) => split(ruby, r, errors::sync, |e| match e {
                SyncError::Cancelled(r) => Some(r.as_ref()),
                _ => None,
            }),
            Outcome::Gphotos(r) => split(ruby, r, errors::gphotos_sync, |e| match e {
                GphotosSyncError::Cancelled(r) => Some(r.as_ref()),
                _ => None,
            }),
            Outcome::S3(r) => split(ruby, r, errors::s3, |e| match e {
                S3Error::Cancelled(r) => Some(r.as_ref()),
                _ => None,
            }),
        }?;
        reports.push((name, report, failure))?;
    }
    let scan: Value = conv::to_ruby(ruby, &run.scan)?;
    Ok(ruby.ary_new_from_values(&[scan, reports.as_value()]))
}

/// One destination's report (a cancelled run's partial one too) and its exception.
fn split<R: Serialize, E>(
    ruby: &Ruby,
    result: Result<R, E>,
    error: fn(&Ruby, E) -> Error,
    partial: impl Fn(&E) -> Option<&R>,
) -> Result<(Option<Value>, Option<Value>), Error> {
    match result {
        Ok(r) => Ok((Some(conv::to_ruby(ruby, &r)?), None)),
        Err(e) => {
            let report = partial(&e).map(|r| conv::to_ruby(ruby, r)).transpose()?;
            Ok((report, Some(errors::exception(ruby, error(ruby, e))?)))
        }
    }
}

fn destination(ruby: &Ruby, dir: &Path, d: Value, cancel: &Cancel) -> Result<Target, Error> {
    let (kind, target, opts): (String, Value, RHash) = TryConvert::try_convert(d)?;
    Ok(match kind.as_str() {
        "archive" => {
            let root = conv::path_from(RString::try_convert(target)?);
            Target::Archive(Archive::new(&root, archive::options(ruby, opts)?, cancel))
        }
        "s3" => {
            let url = String::try_convert(target)?;
            Target::S3(S3::new(s3::options(ruby, &url, opts)?, cancel))
        }
        "flickr" => {
            let client = &<&NativeFlickr>::try_convert(target)?.0;
            let opts = flickr_options(ruby, opts, dir)?;
            Target::Flickr(Flickr::new(client, opts, cancel).map_err(|e| errors::sync(ruby, e))?)
        }
        "gphotos" => {
            let client = &<&NativeGooglePhotos>::try_convert(target)?.0;
            let opts = gphotos::options(ruby, opts, dir)?;
            let dest = Gphotos::new(client, opts, cancel);
            Target::Gphotos(dest.map_err(|e| errors::gphotos_sync(ruby, e))?)
        }
        other => {
            return Err(Error::new(
                ruby.exception_arg_error(),
                format!("unknown destination kind {other:?}"),
            ))
        }
    })
}

/// An event for the Ruby block: the core's event with `destination` (its report's name)
/// added, or the scan's `{kind: "scanned", scan: counts}`.
fn event(ruby: &Ruby, e: Event) -> Result<RHash, Error> {
    let (name, h): (String, RHash) = match e {
        Event::Scanned(stats) => {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("kind"), "scanned")?;
            h.aset(
                ruby.to_symbol("scan"),
                conv::to_ruby::<_, Value>(ruby, &stats)?,
            )?;
            return Ok(h);
        }
        Event::Archive(name, e) => (name, conv::to_ruby(ruby, &e)?),
        Event::Flickr(e) => ("flickr".into(), conv::to_ruby(ruby, &e)?),
        Event::Gphotos(e) => ("gphotos".into(), conv::to_ruby(ruby, &e)?),
        Event::S3(name, e) => (name, conv::to_ruby(ruby, &e)?),
    };
    h.aset(ruby.to_symbol("destination"), name)?;
    Ok(h)
}

fn flickr_options(ruby: &Ruby, h: RHash, dir: &Path) -> Result<SyncOptions, Error> {
    let privacy: String = h.fetch("privacy")?;
    let privacy = Privacy::parse(&privacy).ok_or_else(|| {
        errors::error(ruby, "Error", format!("unknown privacy {privacy:?}; use private, family, friends, friends_and_family or public"))
    })?;
    let title: String = h.fetch("title")?;
    let title = TitleTemplate::parse(&title)
        .map_err(|e| Error::new(ruby.exception_arg_error(), e.to_string()))?;
    let albums = match h.fetch::<_, String>("albums")?.as_str() {
        "none" => Albums::None,
        "folders" => Albums::Folders {
            root: dir.to_path_buf(),
        },
        other => {
            return Err(Error::new(
                ruby.exception_arg_error(),
                format!("albums must be none or folders, not {other:?}"),
            ))
        }
    };
    Ok(SyncOptions {
        title,
        albums,
        async_uploads: h.fetch("async")?,
        concurrency: h.fetch::<_, usize>("concurrency")?.max(1),
        dry_run: h.fetch("dry_run")?,
        privacy,
        extra_tags: h.fetch("tags")?,
        calls_per_hour: h.fetch::<_, u32>("calls_per_hour")?.max(1),
        set_dates: h.fetch("set_dates")?,
        replace_edited: h.fetch("replace_edited")?,
        verify: h.lookup::<_, Option<bool>>("verify")?.unwrap_or(false),
        ..SyncOptions::default()
    })
}

/// `Photosync._check_title(template)`: ArgumentError naming the fault, for the CLI to
/// check `--title` before any work.
fn check_title(ruby: &Ruby, template: String) -> Result<(), Error> {
    TitleTemplate::parse(&template)
        .map(|_| ())
        .map_err(|e| Error::new(ruby.exception_arg_error(), e.to_string()))
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_sync", function!(sync, 5))?;
    m.define_singleton_method("_check_title", function!(check_title, 1))?;
    Ok(())
}
