//! Reading the sources: each folder listed as the scanner lists a library, each file
//! read once by the scanner's own reader ([`crate::library::scan::read_file`]: MD5,
//! image-data MD5, EXIF, dates) under the watchdog ([`super::watch`]). Sources are
//! only ever opened for reading, and nothing of them goes into the catalog's scan cache:
//! an old drive is not part of the library.

use super::report::ImportEvent;
use super::watch::{self, Stopped};
use crate::cancel::Cancel;
use crate::library::photo::Photo;
use crate::library::scan;
use crate::library::walk::{self, Found};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// One file of a source as read: its photo, or why it could not be read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Index of its source in the run's list.
    pub source: usize,
    pub path: PathBuf,
    pub size: u64,
    pub read: Result<Photo, String>,
}

/// Reads one listed file under the watchdog: a read with no progress for `timeout` is
/// an error of this file, and the caller goes on.
pub fn read_watched(found: &Found, timeout: Duration, cancel: &Cancel) -> Result<Photo, String> {
    let f = found.clone();
    match watch::watched(timeout, cancel, move |job, bytes| {
        scan::read_file(&f, job, bytes)
    }) {
        Ok(Some(photo)) if photo.md5.is_none() => {
            Err(photo.error.unwrap_or_else(|| "unreadable".into()))
        }
        Ok(Some(photo)) => Ok(photo),
        Ok(None) => Err(Stopped::Aborted.message()),
        Err(stopped) => Err(stopped.message()),
    }
}

/// Lists and reads the source at `root` (index `index`) on `pool`; notes what could not
/// be listed. Stops starting reads once `cancel` is set.
pub fn read_source(
    index: usize,
    root: &Path,
    pool: &rayon::ThreadPool,
    timeout: Duration,
    cancel: &Cancel,
    events: &(dyn Fn(ImportEvent) + Send + Sync),
) -> (Vec<SourceFile>, Vec<String>) {
    let listing = pool.install(|| walk::list(root, cancel));
    let files_total = listing.files.len() as u64;
    let bytes_total = listing.files.iter().map(|f| f.size).sum();
    let (files_done, bytes_done) = (AtomicU64::new(0), AtomicU64::new(0));
    let last = Mutex::new(Instant::now() - PROGRESS_EVERY);
    let tell = |force: bool| {
        let Ok(mut last) = last.lock() else { return };
        if force || last.elapsed() >= PROGRESS_EVERY {
            *last = Instant::now();
            events(ImportEvent::Reading {
                source: root.to_path_buf(),
                files_done: files_done.load(Ordering::Relaxed),
                files_total,
                bytes_done: bytes_done.load(Ordering::Relaxed),
                bytes_total,
            });
        }
    };
    let mut files: Vec<SourceFile> = pool.install(|| {
        listing
            .files
            .par_iter()
            .filter(|_| !cancel.is_cancelled())
            .map(|found| {
                let read = read_watched(found, timeout, cancel);
                files_done.fetch_add(1, Ordering::Relaxed);
                bytes_done.fetch_add(found.size, Ordering::Relaxed);
                tell(false);
                SourceFile {
                    source: index,
                    path: found.path.clone(),
                    size: found.size,
                    read,
                }
            })
            .collect()
    });
    tell(true);
    // Byte order: stable across runs, so the same file is the one kept each time.
    files.sort_by(|a, b| {
        use std::os::unix::ffi::OsStrExt;
        a.path
            .as_os_str()
            .as_bytes()
            .cmp(b.path.as_os_str().as_bytes())
    });
    (files, listing.notes)
}
