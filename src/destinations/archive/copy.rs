//! One photo into the archive, so that its real name only ever holds the whole,
//! checked file: copy into a temporary in the final folder, fsync, drop it from the page
//! cache and read it back (from the disk, so the check is of what the drive holds),
//! compare its MD5 with the catalog's, rename it into place without replacing
//! anything, fsync the folder. Any failure removes the temporary. A copy that gets a
//! corrected date ([`super::redate`]) is checked against the MD5 of the redated bytes,
//! and the original's bytes against the catalog's MD5 on the way.

use super::files;
use super::redate::{self, Patches};
use super::sparse;
use super::storage::{Sink, Storage};
use crate::cancel::Cancel;
use crate::library::hash;
use chrono::NaiveDateTime;
use md5::{Digest as _, Md5};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
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
    let mut hashes = (Md5::new(), Md5::new());
    let sparse = patches
        .is_empty()
        .then(|| input.metadata().ok())
        .flatten()
        .and_then(|m| sparse::data_ranges(&input, m.len()).map(|r| (r, m.len())));
    let mut copy = Stream {
        input: &mut input,
        sink: sink.as_mut(),
        job,
        temp,
        cancel,
        on_bytes,
    };
    match sparse {
        Some((ranges, len)) => copy.ranges(&ranges, len)?,
        None => copy.all(patches, &mut hashes)?,
    }
    let (original, patched) = hashes;
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

/// One copy's source and sink, with what every part of the copy reports to.
struct Stream<'a> {
    input: &'a mut File,
    sink: &'a mut dyn Sink,
    job: &'a Job,
    temp: &'a Path,
    cancel: &'a Cancel,
    on_bytes: &'a (dyn Fn(u64) + Sync),
}

impl Stream<'_> {
    fn read_err(&self, source: io::Error) -> CopyError {
        CopyError::Read {
            path: self.job.source.clone(),
            source,
        }
    }

    fn write_err(&self, source: io::Error) -> CopyError {
        CopyError::Write {
            path: self.temp.to_path_buf(),
            source,
        }
    }

    /// The whole source from its position on: inside the kernel when nothing is patched,
    /// else through memory, hashed before (`hashes.0`) and after (`hashes.1`) the patches.
    fn all(&mut self, patches: &Patches, hashes: &mut (Md5, Md5)) -> Result<(), CopyError> {
        let mut kernel_copy = patches.is_empty();
        let mut buf = Vec::new();
        let mut at = 0u64;
        loop {
            if self.cancel.is_aborted() {
                return Err(CopyError::Cancelled);
            }
            if kernel_copy {
                match self.sink.copy_from(self.input, KERNEL_CHUNK) {
                    Some(Ok(0)) => break,
                    Some(Ok(n)) => {
                        (self.on_bytes)(n as u64);
                        continue;
                    }
                    Some(Err(e)) => return Err(self.write_err(e)),
                    None => kernel_copy = false,
                }
            }
            buf.resize(BUF_LEN, 0);
            let n = match self.input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.read_err(e)),
            };
            if !patches.is_empty() {
                hashes.0.update(&buf[..n]);
                patches.apply(at, &mut buf[..n]);
                hashes.1.update(&buf[..n]);
                at += n as u64;
            }
            self.sink
                .write_all(&buf[..n])
                .map_err(|e| self.write_err(e))?;
            (self.on_bytes)(n as u64);
        }
        Ok(())
    }

    /// Only the source's data `ranges` (of a file of `len` bytes), its holes left holes.
    fn ranges(&mut self, ranges: &[(u64, u64)], len: u64) -> Result<(), CopyError> {
        let mut at = 0u64;
        for &(start, end) in ranges {
            self.hole(start - at)?;
            self.input
                .seek(SeekFrom::Start(start))
                .map_err(|e| self.read_err(e))?;
            self.exactly(end - start)?;
            at = end;
        }
        self.hole(len - at)
    }

    /// The next `len` bytes of the source, inside the kernel where it can.
    fn exactly(&mut self, len: u64) -> Result<(), CopyError> {
        let mut left = len;
        let mut buf = Vec::new();
        while left > 0 {
            if self.cancel.is_aborted() {
                return Err(CopyError::Cancelled);
            }
            let chunk = left.min(KERNEL_CHUNK as u64) as usize;
            let n = match self.sink.copy_from(self.input, chunk) {
                Some(Ok(n)) => n,
                Some(Err(e)) => return Err(self.write_err(e)),
                None => {
                    buf.resize(chunk.min(BUF_LEN), 0);
                    let n = self.input.read(&mut buf).map_err(|e| self.read_err(e))?;
                    self.sink
                        .write_all(&buf[..n])
                        .map_err(|e| self.write_err(e))?;
                    n
                }
            };
            if n == 0 {
                // The file shrank since its holes were read: the read back will tell.
                break;
            }
            left -= n as u64;
            (self.on_bytes)(n as u64);
        }
        Ok(())
    }

    fn hole(&mut self, len: u64) -> Result<(), CopyError> {
        if len > 0 {
            self.sink.skip(len).map_err(|e| self.write_err(e))?;
            (self.on_bytes)(len);
        }
        Ok(())
    }
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
