//! Reading the sources: each folder listed as the scanner lists a library, each file
//! read once by the scanner's own reader (MD5, image-data MD5, EXIF, dates), in batches
//! that fill the multi-buffer MD5's lanes ([`crate::library::scan::read_files`]), each
//! batch under the watchdog ([`super::watch`]); a batch that stalls is read again one
//! file at a time, so that only the file that hangs is given up. Sources are
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
/// Files read at once under one watchdog: enough to fill the MD5 lanes of one thread
/// (8 files with their image data on AVX-512) twice over.
const BATCH: usize = 16;

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
        Ok(read) => outcome(read),
        Err(stopped) => Err(stopped.message()),
    }
}

/// Reads a batch of listed files at once (the scanner's multi-buffer MD5) under one
/// watchdog. A batch that stalls is read again one file at a time, each under its own
/// watchdog, so that only the file that hangs is given up.
pub fn read_batch(
    batch: &[Found],
    timeout: Duration,
    cancel: &Cancel,
) -> Vec<Result<Photo, String>> {
    let files = batch.to_vec();
    match watch::watched(timeout, cancel, move |job, bytes| {
        scan::read_files(&files, job, bytes)
    }) {
        Ok(read) => read.into_iter().map(outcome).collect(),
        Err(Stopped::Aborted) => batch
            .iter()
            .map(|_| Err(Stopped::Aborted.message()))
            .collect(),
        Err(_) => batch
            .iter()
            .map(|f| read_watched(f, timeout, cancel))
            .collect(),
    }
}

/// A file's read as the import sees it: a photo with its MD5, or why there is none.
fn outcome(read: Option<Photo>) -> Result<Photo, String> {
    match read {
        Some(photo) if photo.md5.is_none() => {
            Err(photo.error.unwrap_or_else(|| "unreadable".into()))
        }
        Some(photo) => Ok(photo),
        None => Err(Stopped::Aborted.message()),
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
            .par_chunks(BATCH)
            .filter(|_| !cancel.is_cancelled())
            .flat_map_iter(|batch| {
                let read = read_batch(batch, timeout, cancel);
                files_done.fetch_add(batch.len() as u64, Ordering::Relaxed);
                let bytes: u64 = batch.iter().map(|f| f.size).sum();
                bytes_done.fetch_add(bytes, Ordering::Relaxed);
                tell(false);
                batch.iter().zip(read).map(|(found, read)| SourceFile {
                    source: index,
                    path: found.path.clone(),
                    size: found.size,
                    read,
                })
            })
            .collect()
    });
    tell(true);
    // Byte order: stable across runs, so the same file is the one kept each time.
    files.sort_by(|a, b| walk::path_bytes(&a.path).cmp(walk::path_bytes(&b.path)));
    (files, listing.notes)
}
