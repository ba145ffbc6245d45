//! A damaged file's fuller copy. A copy cut short (a copy interrupted, a card pulled
//! out while writing, a download that stopped) is the start of the file it came from,
//! byte for byte: it holds nothing that file lacks. Import leaves such a file out when
//! the fuller file is in the library or on a source ([`super::plan`]); a damaged file
//! with no fuller copy anywhere is what is left of its photo, and is imported as it is.
//!
//! The tests go from cheap to dear: the same kind and a larger size, and the same EXIF
//! facts where the damaged file's head gave any (its head is the other's first bytes),
//! with nothing read; then the first and the last block of the damaged file's length,
//! read from the other; then the MD5 of the other's first bytes, as many as the
//! damaged file holds, against the damaged file's own MD5. The reads run under the
//! watchdog ([`super::watch`]): a source is an old drive; a search that stalls finds
//! nothing, and the damaged file is imported (keeping a file is the safe mistake).

use super::read::SourceFile;
use super::watch;
use crate::cancel::Cancel;
use crate::dates::DateSource;
use crate::library::hash;
use crate::library::photo::Photo;
use md5::{Digest as _, Md5};
use rayon::prelude::*;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Bytes compared at each end before a whole prefix is read.
const BLOCK: u64 = 4096;

/// For each damaged source file (`damaged`: indices into `files`), the first file of
/// the library or the sources that starts with all of its bytes, if there is one.
pub fn fuller_copies(
    damaged: &[usize],
    files: &[SourceFile],
    library: &[Photo],
    pool: &rayon::ThreadPool,
    timeout: Duration,
    cancel: &Cancel,
) -> Vec<(usize, PathBuf)> {
    let everyone: Vec<&Photo> = library
        .iter()
        .chain(files.iter().filter_map(|f| f.read.as_ref().ok()))
        .collect();
    pool.install(|| {
        damaged
            .par_iter()
            .filter_map(|&i| {
                let d = files[i].read.as_ref().ok()?;
                let md5 = d.md5.clone()?;
                let candidates: Vec<PathBuf> = everyone
                    .iter()
                    .filter(|c| may_hold(d, c))
                    .map(|c| c.path.clone())
                    .collect();
                if candidates.is_empty() || cancel.is_cancelled() {
                    return None;
                }
                let (path, size) = (d.path.clone(), d.size);
                let found = watch::watched(timeout, cancel, move |job, progress| {
                    first_holding(&path, size, &md5, &candidates, job, progress)
                });
                found.ok().flatten().map(|p| (i, p))
            })
            .collect()
    })
}

/// Whether `c` may start with all of `d`'s bytes, from what is known of both.
fn may_hold(d: &Photo, c: &Photo) -> bool {
    fn agree<T: PartialEq>(d: &Option<T>, c: &Option<T>) -> bool {
        d.is_none() || d == c
    }
    let exif_date = |p: &Photo| {
        matches!(
            p.taken.source,
            DateSource::ExifOriginal | DateSource::ExifDigitized | DateSource::ExifDateTime
        )
    };
    c.kind == d.kind
        && c.size > d.size
        && c.md5.is_some()
        && agree(&d.make, &c.make)
        && agree(&d.model, &c.model)
        && agree(&d.width, &c.width)
        && agree(&d.height, &c.height)
        && (!exif_date(d) || (exif_date(c) && d.taken.local == c.taken.local))
}

/// The first of `candidates` whose first `size` bytes have the MD5 `md5` (the damaged
/// file's). `progress` moves with each file tried and each chunk read, for the watchdog.
fn first_holding(
    damaged: &Path,
    size: u64,
    md5: &str,
    candidates: &[PathBuf],
    job: &Cancel,
    progress: &AtomicU64,
) -> Option<PathBuf> {
    let ends = |f: &File| -> io::Result<Vec<u8>> {
        let n = BLOCK.min(size);
        let mut b = vec![0u8; 2 * n as usize];
        let (first, last) = b.split_at_mut(n as usize);
        f.read_exact_at(first, 0)?;
        f.read_exact_at(last, size - n)?;
        Ok(b)
    };
    let own = File::open(damaged).and_then(|f| ends(&f)).ok()?;
    for c in candidates {
        if job.is_aborted() {
            return None;
        }
        progress.fetch_add(1, Ordering::Relaxed);
        let Ok(f) = File::open(c) else { continue };
        if ends(&f).ok().as_ref() != Some(&own) {
            continue;
        }
        if prefix_md5(f, size, job, progress).ok().as_deref() == Some(md5) {
            return Some(c.clone());
        }
    }
    None
}

/// The MD5 of the first `size` bytes of `f`.
fn prefix_md5(f: File, size: u64, job: &Cancel, progress: &AtomicU64) -> io::Result<String> {
    let mut md5 = Md5::new();
    let mut left = f.take(size);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        if job.is_aborted() {
            return Err(io::Error::other("cancelled"));
        }
        let n = match left.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        md5.update(&buf[..n]);
        progress.fetch_add(n as u64, Ordering::Relaxed);
    }
    Ok(hash::hex(&md5.finalize()))
}
