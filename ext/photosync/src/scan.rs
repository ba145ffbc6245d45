//! `Photosync._scan`, `Photosync._md5` and `Photosync.md5_path`: the scanner from Ruby. Keyword arguments
//! and the Progress struct are added by lib/photosync/scan.rb.

use crate::{background, conv, errors, gvl, photo::RbPhoto};
use magnus::{function, prelude::*, Error, RArray, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::library::scan::{self, Progress, ScanError, ScanOptions, ScanReport};
use std::path::PathBuf;

/// Hands a scan's progress to the Ruby block, if there is one (on the Ruby thread).
pub(crate) fn tell_progress(block: &Option<magnus::block::Proc>, p: Progress) -> Result<(), Error> {
    match block {
        Some(b) => b
            .call::<_, Value>((p.files_done, p.files_total, p.bytes_done, p.bytes_total))
            .map(|_| ()),
        None => Ok(()),
    }
}

fn scan_dir(
    ruby: &Ruby,
    root: RString,
    catalog: Option<RString>,
    threads: usize,
    progress: Option<magnus::block::Proc>,
) -> Result<RArray, Error> {
    let root = conv::path_from(root);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let result = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Progress) + Send + Sync)| -> Result<ScanReport, ScanError> {
            let mut cat = Catalog::open_or_memory(catalog.as_deref())?;
            let opts = ScanOptions {
                threads,
                ..ScanOptions::default()
            };
            scan::scan(&root, &mut cat, &opts, &worker_cancel, &mut |p| emit(*p))
        },
        |p: Progress| tell_progress(&progress, p),
    )?;
    let report = result.map_err(|e| errors::scan(ruby, e))?;
    let photos = ruby.ary_new_capa(report.photos.len());
    for p in report.photos {
        photos.push(RbPhoto(p))?;
    }
    let stats: Value = conv::to_ruby(ruby, &report.stats)?;
    Ok(ruby.ary_new_from_values(&[photos.as_value(), stats]))
}

fn md5(ruby: &Ruby, path: RString) -> Result<String, Error> {
    let path = conv::path_from(path);
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let out = gvl::without_gvl(
        ruby,
        move || {
            photosync::library::hash::digest_file(&path, 0, &worker_cancel, &mut |_| {})
                .map(|d| d.md5_hex())
        },
        || cancel.cancel(),
    )?;
    match out {
        Some(r) => r.map_err(|e| errors::hash(ruby, e)),
        None => Err(errors::error(ruby, "Cancelled", "cancelled".into())),
    }
}

/// The MD5 path the scanner uses on this CPU: "scalar", "avx2" or "avx512".
fn md5_path() -> &'static str {
    photosync::library::md5x::Md5Path::detected().name()
}

fn default_catalog_path(ruby: &Ruby) -> RString {
    conv::path_to(ruby, &Catalog::default_path())
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_scan", function!(scan_dir, 4))?;
    m.define_singleton_method("_md5", function!(md5, 1))?;
    m.define_singleton_method("md5_path", function!(md5_path, 0))?;
    m.define_singleton_method("_default_catalog_path", function!(default_catalog_path, 0))?;
    Ok(())
}
