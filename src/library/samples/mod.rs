//! A sample photo library that photosync writes itself, for `photosync samples DIR`
//! and the README's walkthrough: a fresh clone has no photos of its own, and the
//! user's real library is the last place to try a new tool.
//!
//! The library is small (29 files, under 100 KB) but holds the cases the
//! rest of photosync must get right: several cameras writing EXIF differently (big-
//! and little-endian, with and without time offsets, GPS, sub-seconds), a camera
//! whose clock was reset to its factory date, an editor export that kept only the
//! main IFD, scans with no EXIF (dated by file name or only by mtime), an exact
//! duplicate, a truncated copy, a file of random bytes named `.jpg`, a text file
//! and OS litter. `notes.txt` in the library lists every file and what it shows.
//!
//! Everything is deterministic: the bytes depend only on the seed (which varies the
//! pixels and the random bytes; names and metadata are fixed), and every file's
//! mtime is set from the table below, so tests of the scanner and of taken-date
//! rules can rely on exact values. Files are only ever created, never overwritten.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

mod bytes;
mod table;
#[cfg(test)]
mod tests;

use bytes::{ds_store, fnv1a, notes, photo_bytes, XorShift};
use table::{Content, LIBRARY};

#[derive(Debug, thiserror::Error)]
pub enum SamplesError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} already exists: the sample library never overwrites a file", path.display())]
    Exists { path: PathBuf },
    /// Building a file's bytes failed. The inputs are all constants, so this means a
    /// bug in this module rather than anything about the user's machine.
    #[error("building sample {}: {message}", path.display())]
    Build { path: PathBuf, message: String },
}

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleReport {
    pub files: usize,
    pub bytes: u64,
}

/// Writes the sample library into `dir`, creating it if missing.
///
/// An existing `dir` may hold other files, but if any file the library would write
/// already exists (as anything, even a dangling symlink), nothing is written and
/// `SamplesError::Exists` names it.
pub fn generate(dir: &Path, seed: u64) -> Result<SampleReport, SamplesError> {
    // Build everything in memory first, so a failure cannot leave half a library.
    let files = build(seed)?;

    for file in &files {
        let path = dir.join(file.path);
        match fs::symlink_metadata(&path) {
            Ok(_) => return Err(SamplesError::Exists { path }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(SamplesError::Io { path, source }),
        }
    }

    let mut report = SampleReport { files: 0, bytes: 0 };
    for file in &files {
        let path = dir.join(file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| SamplesError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // create_new as well as the check above: something may appear in between.
        let mut out = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(out) => out,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(SamplesError::Exists { path })
            }
            Err(source) => return Err(SamplesError::Io { path, source }),
        };
        let written = out
            .write_all(&file.bytes)
            .and_then(|()| out.set_modified(file.mtime));
        if let Err(source) = written {
            return Err(SamplesError::Io { path, source });
        }
        report.files += 1;
        report.bytes += file.bytes.len() as u64;
    }
    Ok(report)
}

/// One file of the library, ready to write.
struct Built {
    path: &'static str,
    bytes: Vec<u8>,
    mtime: SystemTime,
}

fn build(seed: u64) -> Result<Vec<Built>, SamplesError> {
    let mut built: Vec<Built> = Vec::with_capacity(LIBRARY.len());
    for entry in LIBRARY {
        let fail = |message: String| SamplesError::Build {
            path: PathBuf::from(entry.path),
            message,
        };
        let bytes = match &entry.content {
            Content::Jpeg(photo) => photo_bytes(photo, seed, entry.path).map_err(fail)?,
            Content::Truncated(photo) => {
                let mut bytes = photo_bytes(photo, seed, entry.path).map_err(fail)?;
                bytes.truncate(bytes.len() / 2);
                bytes
            }
            Content::CopyOf(original) => built
                .iter()
                .find(|b| b.path == *original)
                .map(|b| b.bytes.clone())
                .ok_or_else(|| fail(format!("{original} must come earlier in the table")))?,
            Content::Garbage(len) => {
                let mut rng = XorShift::new(seed, fnv1a(entry.path));
                let mut bytes: Vec<u8> = (0..*len).map(|_| rng.byte()).collect();
                // Never let chance give it a JPEG signature: it must be unreadable.
                if bytes.first() == Some(&0xFF) {
                    bytes[0] = 0;
                }
                bytes
            }
            Content::Notes => notes().into_bytes(),
            Content::DsStore => ds_store(),
        };
        built.push(Built {
            path: entry.path,
            bytes,
            mtime: entry.mtime.system_time(),
        });
    }
    Ok(built)
}
