//! Reading the scanner's files into [`Photo`]s: one file at a time with md-5
//! ([`read_one`]), or several at once per thread in MD5 lanes ([`Lanes`]), then its
//! format check, EXIF and embedded dates from the head already read.

use crate::cancel::Cancel;
use crate::dates::{self, resolve::Embedded, DateFacts};
use crate::library::damage::{self, JpegEnd};
use crate::library::exif::{self, Metadata};
use crate::library::hash::{self, FileDigest, HashError};
use crate::library::kind::MediaKind;
use crate::library::md5x::Md5Path;
use crate::library::multiread::{self, Files};
use crate::library::photo::Photo;
use crate::library::walk::Found;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Reads one file. None only when cancelled mid-read (nothing half-done is kept).
pub(super) fn read_one(c: &Found, cancel: &Cancel, bytes_read: &AtomicU64) -> Option<Photo> {
    if cancel.is_cancelled() {
        return None;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        hash::digest_photo(&c.path, head_len(c), cancel, &mut |n| {
            bytes_read.fetch_add(n, Ordering::Relaxed);
        })
    }));
    photo_of(c, result.ok())
}

/// Reads `files` on this thread, several at once in the lanes of the fastest MD5 path
/// (one at a time where there is none): each file's photo by index, None for a read
/// cancelled. For a caller that watches a batch as a whole (import's old drives).
pub(super) fn read_batch(
    files: &[Found],
    cancel: &Cancel,
    bytes_read: &AtomicU64,
) -> Vec<Option<Photo>> {
    let path = Md5Path::detected();
    if !path.supported() || path == Md5Path::Scalar {
        return files
            .iter()
            .map(|c| read_one(c, cancel, bytes_read))
            .collect();
    }
    let (tx, rx) = mpsc::channel();
    let mut lanes = Batch {
        files,
        next: 0,
        bytes_read,
        tx,
    };
    // A panic in the reader costs the files in flight: they stay None.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        multiread::read_all(path, &mut lanes, cancel)
    }));
    drop(lanes);
    let mut out = vec![None; files.len()];
    for (i, photo) in rx {
        out[i] = photo;
    }
    out
}

/// [`read_batch`]'s files, handed to the multi-buffer reader in order.
struct Batch<'a> {
    files: &'a [Found],
    next: usize,
    bytes_read: &'a AtomicU64,
    tx: mpsc::Sender<(usize, Option<Photo>)>,
}

impl Files for Batch<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<(usize, &Path, usize)> {
        let c = self.files.get(self.next)?;
        self.next += 1;
        Some((self.next - 1, &c.path, head_len(c)))
    }

    fn done(&mut self, i: usize, result: Result<FileDigest, HashError>) {
        let _ = self.tx.send((i, photo_of(&self.files[i], Some(result))));
    }

    fn read(&mut self, n: u64) {
        self.bytes_read.fetch_add(n, Ordering::Relaxed);
    }
}

/// The head the scanner keeps: the EXIF parser's, or one byte past the file's size to
/// notice it growing.
fn head_len(c: &Found) -> usize {
    exif::HEAD_LEN.min(c.size as usize + 1)
}

/// The scan's reader on a SIMD path: files handed out from a counter shared by the
/// pool's threads, each thread reading several at once ([`multiread`]).
pub(super) struct Lanes<'a> {
    pub(super) to_read: &'a [Found],
    pub(super) next: &'a AtomicUsize,
    pub(super) bytes_read: &'a AtomicU64,
    pub(super) tx: mpsc::Sender<Photo>,
    /// The files this thread has in flight, to report if the reader panics.
    pub(super) pending: Vec<usize>,
}

impl Lanes<'_> {
    pub(super) fn read_all(&mut self, path: Md5Path, cancel: &Cancel) {
        // A panic costs the files in flight (reported as a bug); the rest are still read.
        while catch_unwind(AssertUnwindSafe(|| multiread::read_all(path, self, cancel))).is_err() {
            let lost = std::mem::take(&mut self.pending);
            if lost.is_empty() {
                return;
            }
            lost.into_iter().for_each(|i| self.send(i, None));
        }
    }

    /// `result` None: reading the file panicked.
    fn send(&self, i: usize, result: Option<Result<FileDigest, HashError>>) {
        if let Some(photo) = photo_of(&self.to_read[i], result) {
            let _ = self.tx.send(photo);
        }
    }
}

impl Files for Lanes<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<(usize, &Path, usize)> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        let c = self.to_read.get(i)?;
        self.pending.push(i);
        Some((i, &c.path, head_len(c)))
    }

    fn done(&mut self, i: usize, result: Result<FileDigest, HashError>) {
        self.pending.retain(|&p| p != i);
        self.send(i, Some(result));
    }

    fn read(&mut self, n: u64) {
        self.bytes_read.fetch_add(n, Ordering::Relaxed);
    }
}

/// The photo of a file read (or not) for its digests; None when the read was cancelled.
/// `result` None: the read panicked.
fn photo_of(c: &Found, result: Option<Result<FileDigest, HashError>>) -> Option<Photo> {
    let mut embedded = Embedded::default();
    let mut imgmd5 = None;
    let mut damaged = None;
    let (md5, meta, error) = match result {
        None => (
            None,
            None,
            Some("internal error while reading this file (a photosync bug)".into()),
        ),
        Some(Err(HashError::Cancelled)) => return None,
        Some(Err(e)) => (None, None, Some(e.to_string())),
        Some(Ok(d)) if d.bytes != c.size || d.end_len != c.size || d.end_mtime_ns != c.mtime_ns => {
            let msg = format!(
                "changed while being read ({} bytes before, {} read); scan again once it is complete",
                c.size, d.bytes
            );
            (None, None, Some(msg))
        }
        Some(Ok(d)) => {
            let (meta, error) = inspect(c.kind, &d.head, d.bytes);
            embedded = embedded_dates(c.kind, &d.head);
            imgmd5 = d.imgmd5_hex();
            damaged = damage::check(c.kind, &c.path, c.size, &d.head, JpegEnd::of(&d));
            (Some(d.md5_hex()), meta, error)
        }
    };
    let name = c.path.file_name().unwrap_or_default();
    let taken = dates::resolve(meta.as_ref(), &embedded, name, system_time(c.mtime_ns));
    let meta = meta.unwrap_or_default();
    let date_facts = DateFacts {
        modify_date: meta.date_time.map(|d| d.local),
        exif_version: meta.exif_version,
        serial: meta.serial,
        problem: (!meta.unreadable_dates.is_empty()).then(|| meta.unreadable_dates.join("; ")),
    };
    Some(Photo {
        path: c.path.clone(),
        size: c.size,
        mtime_ns: c.mtime_ns,
        inode: c.inode,
        kind: c.kind,
        md5,
        imgmd5,
        taken,
        date_facts,
        make: meta.make,
        model: meta.model,
        width: meta.width,
        height: meta.height,
        orientation: meta.orientation,
        error,
        damaged,
    })
}

/// Checks the format and parses EXIF from the head of a file already read.
fn inspect(kind: MediaKind, head: &[u8], len: u64) -> (Option<Metadata>, Option<String>) {
    if let Err(e) = kind.check_magic(head) {
        return (None, Some(e));
    }
    if kind == MediaKind::Video {
        return (None, None);
    }
    let complete = head.len() as u64 == len;
    match catch_unwind(|| exif::parse(head, complete)) {
        Ok(Ok(meta)) => (meta, None),
        Ok(Err(e)) => (None, Some(format!("EXIF: {e}"))),
        Err(_) => (
            None,
            Some("internal error while parsing EXIF (a photosync bug)".into()),
        ),
    }
}

/// The XMP and QuickTime dates in the head. Each is a bounded search of bytes already in
/// memory, and a panic in one costs only that date.
fn embedded_dates(kind: MediaKind, head: &[u8]) -> Embedded {
    let found = catch_unwind(|| match kind {
        MediaKind::Video => Embedded {
            quicktime: dates::quicktime::creation_time(head),
            xmp: None,
        },
        _ => Embedded {
            xmp: dates::xmp::date_in(head),
            quicktime: None,
        },
    });
    found.unwrap_or_default()
}

fn system_time(mtime_ns: i64) -> SystemTime {
    let d = Duration::from_nanos(mtime_ns.unsigned_abs());
    if mtime_ns >= 0 {
        UNIX_EPOCH + d
    } else {
        UNIX_EPOCH - d
    }
}
