//! The scanner: walks a library, and reads each new or changed media file exactly
//! once for its MD5 and EXIF, on every core; where the CPU has AVX2 or AVX-512, each
//! core reads several files at once and hashes them in MD5 lanes ([`read`]). Files the
//! catalog already knows (same size and mtime) are not read at all. Finished files are recorded in the catalog
//! as they complete, so a cancelled scan keeps its work.

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError};
use crate::library::md5x::Md5Path;
use crate::library::photo::Photo;
use crate::library::walk;
use rayon::prelude::*;
use serde::Serialize;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod read;
use read::{read_one, Lanes};

const PROGRESS_EVERY: Duration = Duration::from_millis(100);
const RECORD_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot scan {path}: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot scan {path}: not a folder")]
    NotADirectory { path: PathBuf },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("scan cancelled; {recorded} finished files were recorded in the catalog")]
    Cancelled { recorded: u64 },
    #[error("cannot start {threads} scan threads: {message}")]
    Threads { threads: usize, message: String },
    /// The run across destinations could not start its async runtime.
    #[error("cannot start the run's runtime: {0}")]
    Runtime(std::io::Error),
}

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Files read at once; 0 means one per core.
    pub threads: usize,
    /// The MD5 path; None: [`Md5Path::detected`]. A path the CPU lacks reads as scalar.
    pub md5: Option<Md5Path>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanStats {
    /// Media files found.
    pub media: u64,
    /// Files that are not media (counted, not read).
    pub skipped: u64,
    /// Media files read and hashed in this scan.
    pub hashed: u64,
    /// Media files taken from the catalog without reading them.
    pub cached: u64,
    /// Photos whose `error` is set.
    pub errors: u64,
    /// Bytes of every media file found.
    pub bytes: u64,
    /// Bytes read from disk.
    pub bytes_read: u64,
    /// Catalog entries dropped because their file is gone.
    pub forgotten: u64,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    /// Problems that are not about one photo: unreadable folders, symlink loops.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct ScanReport {
    pub photos: Vec<Photo>,
    pub stats: ScanStats,
}

/// Scans `root`, using and updating `catalog`. `progress` is called on this thread.
pub fn scan(
    root: &Path,
    catalog: &mut Catalog,
    opts: &ScanOptions,
    cancel: &Cancel,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    let root = std::fs::canonicalize(root).map_err(|source| ScanError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !root.is_dir() {
        return Err(ScanError::NotADirectory { path: root });
    }
    let pool = thread_pool(opts.threads)?;
    let mut stats = ScanStats::default();
    // The listing and the catalog's rows are independent: read both at once.
    let (listing, known) = std::thread::scope(|s| {
        // A &mut moves to the reader thread: Connection is Send, not Sync.
        let reader: &mut Catalog = &mut *catalog;
        let root = &root;
        let known = s.spawn(move || reader.files_under(root));
        let listing = pool.install(|| walk::list(root, cancel));
        (listing, known.join())
    });
    let mut known = match known {
        Ok(k) => k?,
        Err(_) => {
            return Err(ScanError::Threads {
                threads: 1,
                message: "the catalog reader panicked".into(),
            })
        }
    };
    stats.skipped = listing.skipped;
    stats.notes = listing.notes;
    let candidates = listing.files;
    if cancel.is_cancelled() {
        return Err(ScanError::Cancelled { recorded: 0 });
    }

    let mut photos = Vec::with_capacity(candidates.len());
    let mut to_read = Vec::new();
    let mut totals = Progress::default();
    for c in candidates {
        totals.files_total += 1;
        totals.bytes_total += c.size;
        match known.remove(&c.path) {
            Some(p) if p.size == c.size && p.mtime_ns == c.mtime_ns => {
                totals.files_done += 1;
                totals.bytes_done += c.size;
                photos.push(Photo {
                    inode: c.inode,
                    ..p
                });
            }
            _ => to_read.push(c),
        }
    }
    stats.media = totals.files_total;
    stats.bytes = totals.bytes_total;
    stats.cached = photos.len() as u64;
    progress(&totals);

    let bytes_read = AtomicU64::new(0);
    let (tx, rx) = mpsc::channel::<Photo>();
    let mut recorded = 0u64;
    let outcome = std::thread::scope(|s| -> Result<(), ScanError> {
        let bytes_read = &bytes_read;
        let md5 = opts.md5.unwrap_or_else(Md5Path::detected);
        let md5 = if md5.supported() {
            md5
        } else {
            Md5Path::Scalar
        };
        s.spawn(move || match md5 {
            Md5Path::Scalar => pool.install(|| {
                to_read.par_iter().for_each_with(tx, |tx, c| {
                    if let Some(photo) = read_one(c, cancel, bytes_read) {
                        let _ = tx.send(photo);
                    }
                })
            }),
            path => {
                let next = AtomicUsize::new(0);
                pool.broadcast(|_| {
                    let mut files = Lanes {
                        to_read: &to_read,
                        next: &next,
                        bytes_read,
                        tx: tx.clone(),
                        pending: Vec::new(),
                    };
                    files.read_all(path, cancel);
                });
            }
        });
        let mut batch = Vec::new();
        let mut last_progress = Instant::now();
        let mut last_record = Instant::now();
        let mut files_read = 0u64;
        loop {
            let msg = rx.recv_timeout(PROGRESS_EVERY);
            let finished = matches!(msg, Err(mpsc::RecvTimeoutError::Disconnected));
            if let Ok(photo) = msg {
                files_read += 1;
                batch.push(photo);
            }
            if finished || last_record.elapsed() >= RECORD_EVERY || batch.len() >= 2000 {
                catalog.record(&batch)?;
                recorded += batch.iter().filter(|p| p.md5.is_some()).count() as u64;
                photos.append(&mut batch);
                last_record = Instant::now();
            }
            if finished || last_progress.elapsed() >= PROGRESS_EVERY {
                progress(&Progress {
                    files_done: totals.files_done + files_read,
                    bytes_done: totals.bytes_done + bytes_read.load(Ordering::Relaxed),
                    ..totals
                });
                last_progress = Instant::now();
            }
            if finished {
                return Ok(());
            }
        }
    });
    outcome?;
    if cancel.is_cancelled() {
        return Err(ScanError::Cancelled { recorded });
    }

    let gone: Vec<PathBuf> = known.into_keys().collect();
    catalog.forget(&gone)?;
    stats.forgotten = gone.len() as u64;
    stats.hashed = photos.len() as u64 - stats.cached;
    stats.bytes_read = bytes_read.load(Ordering::Relaxed);
    stats.errors = photos.iter().filter(|p| p.error.is_some()).count() as u64;
    // Byte order: cheaper than Path's component order, and stable across runs.
    photos.sort_unstable_by(|a, b| {
        a.path
            .as_os_str()
            .as_bytes()
            .cmp(b.path.as_os_str().as_bytes())
    });
    stats.elapsed = started.elapsed();
    Ok(ScanReport { photos, stats })
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, ScanError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("photosync-scan-{i}"))
        .build()
        .map_err(|e| ScanError::Threads {
            threads,
            message: e.to_string(),
        })
}
