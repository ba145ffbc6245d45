//! `Photosync._sync_flickr`: scan a folder, then back it up to Flickr, on a worker
//! thread; events reach the Ruby block on the Ruby thread. lib/photosync/sync.rb adds
//! keyword arguments and the event and report structs.

use crate::flickr::NativeFlickr;
use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::{review, rules::Rules, DatesError};
use photosync::scan::{self, ScanOptions, ScanStats};
use photosync::sync::{
    self, Albums, Privacy, SyncError, SyncEvent, SyncOptions, SyncReport, TitleTemplate,
};
use std::path::PathBuf;

enum Failure {
    Scan(scan::ScanError),
    Sync(SyncError),
    Dates(DatesError),
}

pub(crate) fn options(ruby: &Ruby, h: RHash, dir: &std::path::Path) -> Result<SyncOptions, Error> {
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
        ..SyncOptions::default()
    })
}

fn sync_flickr(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    flickr: &NativeFlickr,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<RHash, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    // (path, required): the user's date rules give new uploads their corrected dates.
    let date_rules: Option<(PathBuf, bool)> = opts
        .lookup::<_, Option<(RString, bool)>>("date_rules")?
        .map(|(p, required)| (conv::path_from(p), required));
    let opts = options(ruby, opts, &dir)?;
    let client = flickr.0.clone();
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(SyncEvent) + Send + Sync)| -> Result<(SyncReport, ScanStats), Failure> {
            let mut cat = Catalog::open_or_memory(catalog.as_deref())
            .map_err(|e| Failure::Scan(e.into()))?;
            let mut scanned = scan::scan(&dir, &mut cat, &ScanOptions::default(), &worker_cancel, &mut |_| {})
                .map_err(Failure::Scan)?;
            if let Some((path, required)) = &date_rules {
                let rules = Rules::load(path, *required).map_err(Failure::Dates)?;
                let root = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
                review::correct(&mut scanned.photos, &root, &rules);
            }
            let report = sync::sync_flickr(&scanned.photos, &mut cat, &client, &opts, &worker_cancel, emit)
                .map_err(Failure::Sync)?;
            Ok((report, scanned.stats))
        },
        |e: SyncEvent| match &block {
            Some(b) => b.call::<_, Value>((event_hash(ruby, e)?,)).map(|_| ()),
            None => Ok(()),
        },
    )?;
    match outcome {
        Ok((report, stats)) => report_hash(ruby, &report, &stats),
        Err(Failure::Scan(e)) => Err(errors::scan(ruby, e)),
        Err(Failure::Sync(e)) => Err(errors::sync(ruby, e)),
        Err(Failure::Dates(e)) => Err(errors::dates(ruby, e)),
    }
}

pub(crate) fn event_hash(ruby: &Ruby, e: SyncEvent) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    let (kind, path) = match e {
        SyncEvent::Planned {
            to_upload,
            already_there,
            duplicates,
            bytes,
        } => {
            h.aset(sym("to_upload"), to_upload)?;
            h.aset(sym("already_there"), already_there)?;
            h.aset(sym("duplicates"), duplicates)?;
            h.aset(sym("bytes"), bytes)?;
            ("planned", None)
        }
        SyncEvent::Started { path } => ("started", Some(path)),
        SyncEvent::Uploaded {
            path,
            photo_id,
            bytes,
        } => {
            h.aset(sym("photo_id"), photo_id)?;
            h.aset(sym("bytes"), bytes)?;
            ("uploaded", Some(path))
        }
        SyncEvent::Skipped { path, reason } => {
            h.aset(sym("reason"), reason)?;
            ("skipped", Some(path))
        }
        SyncEvent::NotTaken { path, reason } => {
            h.aset(sym("reason"), reason)?;
            ("not_taken", Some(path))
        }
        SyncEvent::Refused { path, reason } => {
            h.aset(sym("reason"), reason)?;
            ("refused", Some(path))
        }
        SyncEvent::RefusedBefore { path, reason } => {
            h.aset(sym("reason"), reason)?;
            ("refused_before", Some(path))
        }
        SyncEvent::Retried {
            path,
            attempt,
            error,
        } => {
            h.aset(sym("attempt"), attempt)?;
            h.aset(sym("error"), error)?;
            ("retried", Some(path))
        }
        SyncEvent::Failed { path, error } => {
            h.aset(sym("error"), error)?;
            ("failed", Some(path))
        }
        SyncEvent::Album {
            path,
            album,
            photo_id,
        } => {
            h.aset(sym("album"), album)?;
            h.aset(sym("photo_id"), photo_id)?;
            ("album", Some(path))
        }
        SyncEvent::Edited {
            path,
            photo_id,
            replaced,
        } => {
            h.aset(sym("photo_id"), photo_id)?;
            h.aset(sym("replaced"), replaced)?;
            ("edited", Some(path))
        }
        SyncEvent::Finished => ("finished", None),
    };
    h.aset(sym("kind"), sym(kind))?;
    if let Some(p) = path {
        h.aset(sym("path"), conv::path_to(ruby, &p))?;
    }
    Ok(h)
}

pub(crate) fn report_hash(ruby: &Ruby, r: &SyncReport, s: &ScanStats) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(sym("uploaded"), r.uploaded)?;
    h.aset(sym("skipped"), r.skipped)?;
    h.aset(sym("failed"), r.failed)?;
    h.aset(sym("bytes"), r.bytes)?;
    h.aset(sym("elapsed"), r.elapsed.as_secs_f64())?;
    h.aset(sym("api_calls"), r.api_calls)?;
    h.aset(sym("index_calls"), r.index_calls)?;
    h.aset(sym("remote_only"), r.remote_only)?;
    h.aset(sym("album_adds"), r.album_adds)?;
    h.aset(sym("albums_created"), r.albums_created)?;
    h.aset(sym("edited_updated"), r.edited_updated)?;
    h.aset(sym("edited_replaced"), r.edited_replaced)?;
    h.aset(sym("imgmd5_tagged"), r.imgmd5_tagged)?;
    let errors = ruby.ary_new_capa(r.errors.len());
    for (path, msg) in &r.errors {
        errors.push((conv::path_to(ruby, path), msg.as_str()))?;
    }
    h.aset(sym("errors"), errors)?;
    conv::set_outcomes(ruby, h, &r.counts, &r.not_taken, &r.refused)?;
    let stats = crate::scan::stats_hash(ruby, s)?;
    h.aset(sym("scan_stats"), stats)?;
    Ok(h)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_sync_flickr", function!(sync_flickr, 5))?;
    Ok(())
}
