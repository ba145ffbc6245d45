//! One photo into the archive, so that its real name only ever holds the whole,
//! checked file: copy into a temporary in the final folder, fsync, drop it from the page
//! cache and read it back (from the disk, so the check is of what the drive holds),
//! compare its MD5 with the catalog's, rename it into place without replacing
//! anything, fsync the folder. Any failure removes the temporary. A copy that gets a
//! corrected date ([`super::redate`]) is checked against the MD5 of the redated bytes,
//! and the original's bytes against the catalog's MD5 on the way.

use super::files;
use super::redate::{self, Patches};
use super::storage::Storage;
use crate::cancel::Cancel;
use crate::library::hash;
use chrono::NaiveDateTime;
use md5::{Digest as _, Md5};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Big buffers: a photo is a few MB, and fewer, larger system calls copy faster.
const BUF_LEN: usize = 1 << 20;
/// Bytes per in-kernel copy call: large, yet small enough to notice an abort quickly.
const KERNEL_CHUNK: usize = 8 << 20;

/// A photo to copy: from `source` to `root/dest` (relative).
#[derive(Debug, Clone)]
pub struct Job {
    pub source: PathBuf,
    pub md5: String,
    pub size: u64,
    pub dest: PathBuf,
    /// The rule-corrected taken-date to write into the copy (`write_dates`).
    pub redate: Option<NaiveDateTime>,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("the copy of {path} has MD5 {found}, not {expected}: the file changed since the scan, or the archive drive returned other bytes; not archived")]
    Mismatch {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error(
        "{dest} appeared while copying (another program writes into the archive?); left as it is"
    )]
    Taken { dest: PathBuf },
    #[error("cancelled")]
    Cancelled,
}

impl CopyError {
    /// The archive's drive is full (ENOSPC, or a quota).
    pub fn is_disk_full(&self) -> bool {
        matches!(self, CopyError::Write { source, .. }
            if matches!(source.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT)))
    }
}

/// Copies `job` into `root`; `on_bytes` hears of every chunk written. Polls `cancel`
/// for an abort only: a copy in flight is finished on a plain cancel. Returns the
/// copy's own MD5 when it differs from the photo's (a date written into it).
pub fn copy(
    root: &Path,
    job: &Job,
    storage: &dyn Storage,
    cancel: &Cancel,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<Option<String>, CopyError> {
    let dest = root.join(&job.dest);
    let dir = dest.parent().unwrap_or(root).to_path_buf();
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CopyError::Write { path, source }
    };
    files::ensure_dir(root, job.dest.parent().unwrap_or(Path::new(""))).map_err(write_err(&dir))?;
    let patches = match job.redate {
        Some(date) => redate::patches(&job.source, date).map_err(|source| CopyError::Read {
            path: job.source.clone(),
            source,
        })?,
        None => Patches::default(),
    };
    let temp = files::temp_path(&dir, &job.md5);
    let result =
        write_checked(job, &patches, &temp, storage, cancel, on_bytes).and_then(|stored| {
            files::rename_no_replace(&temp, &dest).map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists => CopyError::Taken { dest: dest.clone() },
                _ => CopyError::Write {
                    path: dest.clone(),
                    source: e,
                },
            })?;
            files::sync_dir(&dir).map_err(write_err(&dir))?;
            Ok(stored)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Writes the temporary and checks it; returns the MD5 it holds when patched.
fn write_checked(
    job: &Job,
    patches: &Patches,
    temp: &Path,
    storage: &dyn Storage,
    cancel: &Cancel,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<Option<String>, CopyError> {
    let read_err = |source| CopyError::Read {
        path: job.source.clone(),
        source,
    };
    let write_err = |source| CopyError::Write {
        path: temp.to_path_buf(),
        source,
    };
    let mut input = File::open(&job.source).map_err(read_err)?;
    let mut sink = storage.create(temp).map_err(write_err)?;
    let mut buf = Vec::new();
    // A patched copy passes through user memory, hashed before and after its patches.
    let mut kernel_copy = patches.is_empty();
    let (mut original, mut patched, mut at) = (Md5::new(), Md5::new(), 0u64);
    loop {
        if cancel.is_aborted() {
            return Err(CopyError::Cancelled);
        }
        if kernel_copy {
            match sink.copy_from(&input, KERNEL_CHUNK) {
                Some(Ok(0)) => break,
                Some(Ok(n)) => {
                    on_bytes(n as u64);
                    continue;
                }
                Some(Err(e)) => return Err(write_err(e)),
                None => kernel_copy = false,
            }
        }
        buf.resize(BUF_LEN, 0);
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_err(e)),
        };
        if !patches.is_empty() {
            original.update(&buf[..n]);
            patches.apply(at, &mut buf[..n]);
            patched.update(&buf[..n]);
            at += n as u64;
        }
        sink.write_all(&buf[..n]).map_err(write_err)?;
        on_bytes(n as u64);
    }
    let expected = if patches.is_empty() {
        job.md5.clone()
    } else {
        let read = hash::hex(&original.finalize());
        if read != job.md5 {
            return Err(CopyError::Mismatch {
                path: job.source.clone(),
                expected: job.md5.clone(),
                found: read,
            });
        }
        hash::hex(&patched.finalize())
    };
    sink.flush().map_err(write_err)?;
    sink.sync().map_err(write_err)?;
    drop(sink);
    files::uncache(temp).map_err(write_err)?;
    let found = read_back(job, temp, expected)?;
    Ok((!patches.is_empty()).then_some(found))
}

/// The written copy at `temp` read again from the disk and its MD5 compared with
/// `expected`; gives the MD5.
fn read_back(job: &Job, temp: &Path, expected: String) -> Result<String, CopyError> {
    let write_err = |source| CopyError::Write {
        path: temp.to_path_buf(),
        source,
    };
    // Not cancellable: the read back is the short end of a copy that must finish.
    // One stream per copy thread, so no lanes to fill: md-5 (built with `asm`) runs
    // md5-asm's block function, the engine's own path for a stream alone
    // ([`crate::library::md5x::steps::compress_blocks`]), without the lane buffer's copy.
    let back = hash::digest_file(temp, 0, &Cancel::new(), &mut |_| {}).map_err(|e| match e {
        hash::HashError::Cancelled => CopyError::Cancelled,
        hash::HashError::Io { source, .. } => write_err(source),
    })?;
    let found = back.md5_hex();
    if found != expected {
        return Err(CopyError::Mismatch {
            path: job.source.clone(),
            expected,
            found,
        });
    }
    Ok(found)
}
