//! The copies into the library: the archive's checked copy
//! ([`crate::destinations::archive::copy`]: temporary in the final folder, fsync, read
//! back from the disk, MD5 compared, renamed into place without replacing anything),
//! each under the watchdog, on a few threads. Each finished copy is recorded at once on
//! the calling thread: the library file in the catalog's scan cache (the next sync backs
//! it up without reading it) and its provenance in `imports`. A killed run leaves at most
//! a temporary (removed here before copying into its folder) or a copy renamed into
//! place but not recorded (found by the next run's library scan: not copied again).

use super::read::SourceFile;
use super::watch;
use super::ImportOptions;
use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError, Imported};
use crate::destinations::archive::copy::{self, Job};
use crate::destinations::archive::files;
use crate::library::hash;
use crate::library::photo::Photo;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

const DISK_FULL: &str = "not copied: the library's disk is full";

/// One photo to copy: the index of its source file, whether it is damaged (kept as
/// the only copy found), and the copy.
pub struct Planned {
    pub file: usize,
    pub damaged: bool,
    pub job: Job,
}

/// Removes what killed runs left in the folders the jobs write to; returns how many.
pub fn clean_temporaries(root: &Path, jobs: &[Planned]) -> u64 {
    let dirs: BTreeSet<&Path> = jobs.iter().filter_map(|p| p.job.dest.parent()).collect();
    dirs.into_iter()
        .map(|d| files::clean_temps(&root.join(d)).unwrap_or(0))
        .sum()
}

/// Copies every job, recording each as it finishes; `done(file, Ok(dest) | Err(why))`
/// is called on this thread for each job. Once `cancel` is set no copy starts; a full
/// disk stops the copies not started too.
#[allow(clippy::too_many_arguments)]
pub fn copy_all(
    root: &Path,
    jobs: Vec<Planned>,
    files: &[SourceFile],
    pool: &rayon::ThreadPool,
    opts: &ImportOptions,
    cancel: &Cancel,
    catalog: &mut Catalog,
    done: &mut dyn FnMut(usize, Result<PathBuf, String>),
) -> Result<(), CatalogError> {
    let full = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, Result<PathBuf, String>)>();
    std::thread::scope(|s| {
        let full = &full;
        s.spawn(move || {
            pool.install(|| {
                jobs.into_par_iter().for_each_with(tx, |tx, p| {
                    if cancel.is_cancelled() {
                        return;
                    }
                    let result = if full.load(Ordering::Relaxed) {
                        Err(DISK_FULL.to_string())
                    } else {
                        copy_one(root, p.job, opts, cancel, full)
                    };
                    let _ = tx.send((p.file, result));
                })
            })
        });
        for (file, result) in rx {
            if let Ok(dest) = &result {
                if let Ok(photo) = &files[file].read {
                    record(catalog, photo, dest)?;
                }
            }
            done(file, result);
        }
        Ok(())
    })
}

fn copy_one(
    root: &Path,
    job: Job,
    opts: &ImportOptions,
    cancel: &Cancel,
    full: &AtomicBool,
) -> Result<PathBuf, String> {
    let root = root.to_path_buf();
    let dest = root.join(&job.dest);
    let storage = opts.storage.clone();
    let result = watch::watched(opts.timeout, cancel, move |stop, bytes| {
        copy::copy(&root, &job, storage.as_ref(), stop, &|n| {
            bytes.fetch_add(n, Ordering::Relaxed);
        })
    });
    match result {
        Ok(Ok(_)) => Ok(dest),
        Ok(Err(e)) => {
            if e.is_disk_full() {
                full.store(true, Ordering::Relaxed);
            }
            Err(e.to_string())
        }
        Err(stopped) => Err(stopped.message()),
    }
}

/// The library file in the scan cache (same photo, its own place and times) and where
/// it came from.
fn record(catalog: &mut Catalog, source: &Photo, dest: &Path) -> Result<(), CatalogError> {
    if let Ok(meta) = std::fs::metadata(dest) {
        catalog.record(&[Photo {
            path: dest.to_path_buf(),
            mtime_ns: hash::mtime_ns(&meta),
            inode: meta.ino(),
            ..source.clone()
        }])?;
    }
    catalog.record_import(&Imported {
        md5: source.md5.clone().unwrap_or_default(),
        source: source.path.clone(),
        library_path: dest.to_path_buf(),
        size: source.size,
        imported_at: 0,
    })
}
