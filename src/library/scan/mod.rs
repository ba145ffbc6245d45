//! The scanner: walks a library, and reads each new or changed media file exactly
//! once for its MD5 and EXIF, on every core; where the CPU has AVX2 or AVX-512, each
//! core reads several files at once and hashes them in MD5 lanes ([`read`]). Files the
//! catalog already knows (same size and mtime) are not read at all. Finished files are recorded in the catalog
//! as they complete, so a cancelled scan keeps its work.

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError};
use crate::library::md5x::Md5Path;
use crate::library::photo::Photo;
use crate::library::walk::{self, path_bytes};
use rayon::prelude::*;
use serde::Serialize;
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
    let (listing, known) = list_and_recall(&root, catalog, &pool, cancel)?;
    stats.skipped = listing.skipped;
    stats.notes = listing.notes;
    if cancel.is_cancelled() {
        return Err(ScanError::Cancelled { recorded: 0 });
    }
    let Split {
        mut photos,
        to_read,
        gone,
        totals,
    } = split_unchanged(listing.files, known);
    stats.media = totals.files_total;
    stats.bytes = totals.bytes_total;
    stats.cached = photos.len() as u64;
    progress(&totals);

    let reading = Reading {
        pool: &pool,
        md5: opts.md5.unwrap_or_else(Md5Path::detected),
        cancel,
        totals,
        bytes_read: AtomicU64::new(0),
    };
    let recorded = reading.read(to_read, catalog, &mut photos, progress)?;
    if cancel.is_cancelled() {
        return Err(ScanError::Cancelled { recorded });
    }

    if !gone.is_empty() {
        catalog.forget(&gone)?;
    }
    stats.forgotten = gone.len() as u64;
    stats.hashed = photos.len() as u64 - stats.cached;
    stats.bytes_read = reading.bytes_read.load(Ordering::Relaxed);
    stats.errors = photos.iter().filter(|p| p.error.is_some()).count() as u64;
    // Byte order: cheaper than Path's component order, and stable across runs. The
    // unchanged files already are in it; only the ones read this time move.
    photos.sort_unstable_by(|a, b| path_bytes(&a.path).cmp(path_bytes(&b.path)));
    stats.elapsed = started.elapsed();
    Ok(ScanReport { photos, stats })
}

/// The folder's listing and the catalog's rows under it, read at once (they are
/// independent), both in the byte order of their paths.
fn list_and_recall(
    root: &Path,
    catalog: &mut Catalog,
    pool: &rayon::ThreadPool,
    cancel: &Cancel,
) -> Result<(walk::Listing, Vec<Photo>), ScanError> {
    let (listing, known) = std::thread::scope(|s| {
        // A &mut moves to the reader thread: Connection is Send, not Sync.
        let reader: &mut Catalog = &mut *catalog;
        let known = s.spawn(move || reader.files_under_sorted(root));
        let listing = pool.install(|| {
            let mut listing = walk::list(root, cancel);
            listing
                .files
                .par_sort_unstable_by(|a, b| path_bytes(&a.path).cmp(path_bytes(&b.path)));
            listing
        });
        (listing, known.join())
    });
    match known {
        Ok(k) => Ok((listing, k?)),
        Err(_) => Err(ScanError::Threads {
            threads: 1,
            message: "the catalog reader panicked".into(),
        }),
    }
}

/// What a rescan makes of the listing and the catalog's rows.
struct Split {
    /// Files the catalog knows unchanged (same size and mtime: not read again).
    photos: Vec<Photo>,
    to_read: Vec<walk::Found>,
    /// Rows whose file is no longer there.
    gone: Vec<PathBuf>,
    /// Every listed file, the unchanged ones counted as done.
    totals: Progress,
}

/// Walks the listing and the catalog's rows side by side, both in path byte order: a
/// merge, so a rescan of a large library hashes and copies no path to match them.
fn split_unchanged(candidates: Vec<walk::Found>, known: Vec<Photo>) -> Split {
    let mut photos = Vec::with_capacity(candidates.len().min(known.len()));
    let (mut to_read, mut gone) = (Vec::new(), Vec::new());
    let mut totals = Progress::default();
    let mut known = known.into_iter().peekable();
    for c in candidates {
        totals.files_total += 1;
        totals.bytes_total += c.size;
        while let Some(k) = known.next_if(|k| path_bytes(&k.path) < path_bytes(&c.path)) {
            gone.push(k.path);
        }
        match known.next_if(|k| k.path.as_os_str() == c.path.as_os_str()) {
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
    gone.extend(known.map(|k| k.path));
    Split {
        photos,
        to_read,
        gone,
        totals,
    }
}

/// The files a scan reads: on the pool, recorded in the catalog in batches as they come.
struct Reading<'r> {
    pool: &'r rayon::ThreadPool,
    md5: Md5Path,
    cancel: &'r Cancel,
    /// What the listing found, and the unchanged files as done.
    totals: Progress,
    bytes_read: AtomicU64,
}

impl Reading<'_> {
    /// Reads `to_read` into `photos`; returns how many were recorded with an MD5.
    fn read(
        &self,
        to_read: Vec<walk::Found>,
        catalog: &mut Catalog,
        photos: &mut Vec<Photo>,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<u64, ScanError> {
        let (tx, rx) = mpsc::channel::<Photo>();
        std::thread::scope(|s| {
            let to_read = &to_read;
            s.spawn(move || self.hash_all(to_read, tx));
            self.record_as_read(rx, catalog, photos, progress)
        })
    }

    /// Every file read and sent to `tx`, on the pool, by the MD5 path this CPU has.
    fn hash_all(&self, to_read: &[walk::Found], tx: mpsc::Sender<Photo>) {
        let (cancel, bytes_read) = (self.cancel, &self.bytes_read);
        match self.md5 {
            md5 if !md5.supported() || md5 == Md5Path::Scalar => self.pool.install(|| {
                to_read.par_iter().for_each_with(tx, |tx, c| {
                    if let Some(photo) = read_one(c, cancel, bytes_read) {
                        let _ = tx.send(photo);
                    }
                })
            }),
            path => {
                let next = AtomicUsize::new(0);
                self.pool.broadcast(|_| {
                    let mut files = Lanes {
                        to_read,
                        next: &next,
                        bytes_read,
                        tx: tx.clone(),
                        pending: Vec::new(),
                    };
                    files.read_all(path, cancel);
                });
            }
        }
    }

    /// Records what the readers send, in batches, and tells progress, until they end.
    fn record_as_read(
        &self,
        rx: mpsc::Receiver<Photo>,
        catalog: &mut Catalog,
        photos: &mut Vec<Photo>,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<u64, ScanError> {
        let (mut batch, mut recorded, mut files_read) = (Vec::new(), 0u64, 0u64);
        let mut last_progress = Instant::now();
        let mut last_record = Instant::now();
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
                    files_done: self.totals.files_done + files_read,
                    bytes_done: self.totals.bytes_done + self.bytes_read.load(Ordering::Relaxed),
                    ..self.totals
                });
                last_progress = Instant::now();
            }
            if finished {
                return Ok(recorded);
            }
        }
    }
}

/// Reads one listed file the way a scan does (one read: MD5, image-data MD5, EXIF,
/// dates), outside a scan: for callers that watch each read themselves (an import's
/// old drives, where a read may hang). `bytes_read` hears of every chunk. None when
/// `cancel` stopped the read.
pub fn read_file(found: &walk::Found, cancel: &Cancel, bytes_read: &AtomicU64) -> Option<Photo> {
    read_one(found, cancel, bytes_read)
}

/// Reads several files at once on this thread, in the lanes of the fastest MD5 path:
/// each one's photo by index, None where cancelled.
pub fn read_files(
    found: &[walk::Found],
    cancel: &Cancel,
    bytes_read: &AtomicU64,
) -> Vec<Option<Photo>> {
    read::read_batch(found, cancel, bytes_read)
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
