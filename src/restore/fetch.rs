//! One photo back, safely: its bytes are streamed into a temporary file in its
//! destination folder while their MD5 is computed, fsynced, checked against the MD5
//! the source records for it (Flickr's `checksum:md5=` tag, the archive's catalog
//! record), and only then linked under the real name, which is never one that exists
//! already. A crash leaves at most a `.photosync-part` file, which the next restore
//! removes; a real name always holds a whole, checked file. Every source ends in
//! [`settle`].

use super::names;
use crate::destinations::flickr::api::FlickrError;
use crate::destinations::flickr::sync::remote::{Remote, Stop};
use md5::{Digest, Md5};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The suffix of files being downloaded.
pub const PART_SUFFIX: &str = ".photosync-part";

/// A photo to bring back.
#[derive(Debug, Clone)]
pub struct Fetch {
    pub photo_id: String,
    /// From its checksum tag (or the catalog); `None` for a photo without one
    /// (nothing to check against).
    pub md5: Option<String>,
    /// A short file-name-safe token for the temporary and a mismatch's marked name
    /// (the Flickr photo id).
    pub key: String,
    pub folder: PathBuf,
    /// Safe file name without extension.
    pub name: String,
    pub ext: String,
    /// `url_o` from the listing, when Flickr gave one.
    pub url: Option<String>,
    /// The other places of the same bytes (two local copies come back as two files).
    pub also: Vec<PathBuf>,
}

#[derive(Debug)]
pub enum Fetched {
    /// Written to `path`, its MD5 equal to its tag (or untagged: `verified` false).
    Done {
        path: PathBuf,
        md5: String,
        bytes: u64,
        verified: bool,
    },
    /// The bytes differ from the tag: kept under a marked name, reported.
    Mismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    Failed(String),
    Cancelled,
}

pub async fn fetch(
    remote: &Remote,
    job: &Fetch,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Fetched {
    let url = match &job.url {
        Some(u) => u.clone(),
        None => match original_source(remote, &job.photo_id, retried).await {
            Ok(u) => u,
            Err(Stop::Cancelled) => return Fetched::Cancelled,
            Err(Stop::Flickr(e)) => return Fetched::Failed(format!("finding the original: {e}")),
        },
    };
    if let Err(e) = std::fs::create_dir_all(&job.folder) {
        return Fetched::Failed(format!("cannot create {}: {e}", job.folder.display()));
    }
    let part = part_path(job);
    let mut attempt = 1;
    let (md5, bytes) = loop {
        match download(remote, &url, &part).await {
            Ok(done) => break done,
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                if !e.is_retryable() || attempt >= remote.max_attempts() {
                    return Fetched::Failed(format!("downloading the original: {e}"));
                }
                retried(attempt, &e);
                if remote.wait_after(attempt, &e).await.is_err() {
                    return Fetched::Cancelled;
                }
                attempt += 1;
            }
        }
    };
    settle(job, &part, md5, bytes)
}

/// The temporary `job`'s bytes are written into, in its folder.
pub fn part_path(job: &Fetch) -> PathBuf {
    job.folder.join(format!(".{}{PART_SUFFIX}", job.key))
}

/// Puts a whole, fsynced `part` whose bytes have `md5` under its real name when that
/// is what `job` expects (or nothing is expected), else under a name marked
/// `MISMATCH-<key>`; `part` is gone afterwards.
pub fn settle(job: &Fetch, part: &Path, md5: String, bytes: u64) -> Fetched {
    let placed = match &job.md5 {
        Some(expected) if *expected != md5 => {
            let marked = format!("{}.MISMATCH-{}", job.name, job.key);
            place(part, &job.folder, &marked, &job.ext).map(|path| Fetched::Mismatch {
                path,
                expected: expected.clone(),
                actual: md5.clone(),
            })
        }
        tagged => place(part, &job.folder, &job.name, &job.ext).map(|path| Fetched::Done {
            path,
            md5: md5.clone(),
            bytes,
            verified: tagged.is_some(),
        }),
    };
    placed.unwrap_or_else(|e| {
        let _ = std::fs::remove_file(part);
        Fetched::Failed(e)
    })
}

/// Streams `url` into `part`, fsynced; returns its MD5 and length.
async fn download(remote: &Remote, url: &str, part: &Path) -> Result<(String, u64), FlickrError> {
    let file_error = |e: std::io::Error| FlickrError::File {
        path: part.display().to_string(),
        message: e.to_string(),
    };
    let mut file = Part::create(part).map_err(file_error)?;
    let bytes = remote
        .download(url, &mut |chunk: &[u8]| file.write(chunk))
        .await?;
    Ok((file.finish().map_err(file_error)?, bytes))
}

/// A temporary being written, its bytes hashed as they come.
pub struct Part {
    file: File,
    hasher: Md5,
}

impl Part {
    pub fn create(path: &Path) -> std::io::Result<Part> {
        Ok(Part {
            file: File::create(path)?,
            hasher: Md5::new(),
        })
    }

    pub fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.hasher.update(chunk);
        self.file.write_all(chunk)
    }

    /// Makes the bytes durable; returns their MD5.
    pub fn finish(self) -> std::io::Result<String> {
        self.file.sync_all()?;
        Ok(crate::library::hash::hex(&self.hasher.finalize()))
    }
}

/// Links `part` under the first free name of `name (n).ext` in `folder` (a link never
/// replaces a file, unlike a rename), then drops `part` and syncs the folder.
fn place(part: &Path, folder: &Path, name: &str, ext: &str) -> Result<PathBuf, String> {
    for n in 1..10_000 {
        let path = folder.join(names::numbered(name, ext, n));
        match std::fs::hard_link(part, &path) {
            Ok(()) => {
                let _ = std::fs::remove_file(part);
                if let Ok(dir) = File::open(folder) {
                    let _ = dir.sync_all();
                }
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        }
    }
    Err(format!(
        "no free name for {name}.{ext} in {}",
        folder.display()
    ))
}

/// The Original's `source` from flickr.photos.getSizes.
async fn original_source(
    remote: &Remote,
    photo_id: &str,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<String, Stop> {
    let answer = remote
        .rest("flickr.photos.getSizes", &[("photo_id", photo_id)], retried)
        .await?;
    let sizes = answer["sizes"]["size"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    sizes
        .iter()
        .find(|s| s["label"] == "Original")
        .and_then(|s| s["source"].as_str())
        .map(String::from)
        .ok_or_else(|| {
            Stop::Flickr(FlickrError::Malformed {
                method: "flickr.photos.getSizes".into(),
                message: "no Original size: the account may not allow downloading originals".into(),
            })
        })
}
