//! Reading a whole archive: every file below its root hashed, on several threads, each
//! with several files in flight in the multi-buffer MD5 engine ([`multiread`]), with
//! progress. `verify` compares the result with the catalog; a run that meets an
//! archive new to its catalog records it, so what is already there is not copied again.

use super::files;
use crate::cancel::Cancel;
use crate::library::hash::{FileDigest, HashError};
use crate::library::kind;
use crate::library::md5x::Md5Path;
use crate::library::multiread::{self, Files};
use crate::library::scan::Progress;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Survey {
    /// (relative path, MD5 or why it could not be read).
    pub files: Vec<(PathBuf, Result<String, String>)>,
    pub temporaries: Vec<PathBuf>,
    pub bytes: u64,
    /// Folders that could not be listed.
    pub notes: Vec<String>,
}

/// Hashes every file below `root` (hidden entries and OS litter aside, but temporaries
/// listed). Returns None when cancelled.
pub fn survey(
    root: &Path,
    threads: usize,
    cancel: &Cancel,
    progress: &mut dyn FnMut(&Progress),
) -> Option<Survey> {
    survey_on(Md5Path::detected(), root, threads, cancel, progress)
}

/// [`survey`] on the MD5 path `md5` (one the CPU lacks reads as scalar).
fn survey_on(
    md5: Md5Path,
    root: &Path,
    threads: usize,
    cancel: &Cancel,
    progress: &mut dyn FnMut(&Progress),
) -> Option<Survey> {
    let md5 = if md5.supported() {
        md5
    } else {
        Md5Path::Scalar
    };
    let mut survey = Survey::default();
    let listed = list(root, cancel, &mut survey)?;
    let total = Progress {
        files_total: listed.len() as u64,
        bytes_total: listed.iter().map(|(_, s)| s).sum(),
        ..Progress::default()
    };
    let files_done = AtomicU64::new(0);
    let bytes_done = AtomicU64::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .ok()?;
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<()>();
    let hashed = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let _done = tx;
            // Every thread keeps several files in flight in the MD5 lanes, as the scanner.
            pool.broadcast(|_| {
                let mut files = Listed {
                    root,
                    listed: &listed,
                    next: &next,
                    path: PathBuf::new(),
                    files_done: &files_done,
                    bytes_done: &bytes_done,
                    hashed: Vec::new(),
                };
                multiread::read_all(md5, &mut files, cancel);
                files.hashed
            })
        });
        // The channel closes when the worker ends; until then, progress ten times a second.
        while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_millis(100))
        {
            progress(&Progress {
                files_done: files_done.load(Ordering::Relaxed),
                bytes_done: bytes_done.load(Ordering::Relaxed),
                ..total
            });
        }
        worker.join().ok()
    })?;
    if cancel.is_cancelled() {
        return None;
    }
    progress(&Progress {
        files_done: total.files_total,
        bytes_done: total.bytes_total,
        ..total
    });
    survey.bytes = bytes_done.load(Ordering::Relaxed);
    let mut hashed: Vec<_> = hashed.into_iter().flatten().collect();
    hashed.sort_unstable_by_key(|(i, _)| *i);
    survey.files = hashed
        .into_iter()
        .map(|(i, r)| {
            let md5 = r.map(|d| d.md5_hex()).map_err(|e| e.to_string());
            (listed[i].0.clone(), md5)
        })
        .collect();
    Some(survey)
}

/// The archive's files (relative path, size) to read; temporaries and unreadable
/// folders go to `survey`. `None` when cancelled.
fn list(root: &Path, cancel: &Cancel, survey: &mut Survey) -> Option<Vec<(PathBuf, u64)>> {
    let mut listed = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| files::is_temp(e.file_name()) || !kind::is_ignored(e.file_name()));
    for entry in walker {
        if cancel.is_cancelled() {
            return None;
        }
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                if files::is_temp(e.file_name()) {
                    survey.temporaries.push(rel);
                } else {
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    listed.push((rel, size));
                }
            }
            Ok(_) => {}
            Err(e) => survey.notes.push(e.to_string()),
        }
    }
    Some(listed)
}

/// One thread's share of the listed files, handed out from a counter all threads share.
struct Listed<'a> {
    root: &'a Path,
    listed: &'a [(PathBuf, u64)],
    next: &'a AtomicUsize,
    /// The file last handed out (the reader opens it at once).
    path: PathBuf,
    files_done: &'a AtomicU64,
    bytes_done: &'a AtomicU64,
    hashed: Vec<(usize, Result<FileDigest, HashError>)>,
}

impl Files for Listed<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<(usize, &Path, usize)> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.path = self.root.join(&self.listed.get(i)?.0);
        Some((i, &self.path, 0))
    }

    fn done(&mut self, i: usize, result: Result<FileDigest, HashError>) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
        self.hashed.push((i, result));
    }

    fn read(&mut self, n: u64) {
        self.bytes_done.fetch_add(n, Ordering::Relaxed);
    }

    fn image_data(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::{Digest as _, Md5};

    /// Bytes with no period near a block's length, different for every seed.
    fn bytes(len: usize, seed: u32) -> Vec<u8> {
        (0..len as u32)
            .map(|i| (i.wrapping_add(seed << 20).wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect()
    }

    /// Every path this CPU has gives md-5's hash of every file, at every length around
    /// MD5's block boundaries and over several chunks, and sees one flipped byte.
    #[test]
    fn every_md5_path_agrees_with_md5_and_finds_a_flipped_byte() {
        let dir = tempfile::tempdir().unwrap();
        let mut sizes = vec![
            0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 129, 65_536, 65_600,
        ];
        sizes.extend([3 << 20, (5 << 20) + 7, 1_000_003]);
        let mut want = Vec::new();
        for (i, &len) in sizes.iter().enumerate() {
            let rel = PathBuf::from(format!("d{}/f{i}.jpg", i % 3));
            std::fs::create_dir_all(dir.path().join(rel.parent().unwrap())).unwrap();
            let mut data = bytes(len, i as u32);
            std::fs::write(dir.path().join(&rel), &data).unwrap();
            if i == sizes.len() - 2 {
                // The copy on the drive differs from what was archived by one byte.
                data[len / 2] ^= 0x10;
                std::fs::write(dir.path().join(&rel), &data).unwrap();
                data[len / 2] ^= 0x10;
            }
            want.push((rel, crate::library::hash::hex(&Md5::digest(&data))));
        }
        want.sort();
        for md5 in Md5Path::available() {
            for threads in [1, 2] {
                let found = survey_on(md5, dir.path(), threads, &Cancel::new(), &mut |_| {});
                let mut found = found.unwrap();
                found.files.sort_by(|a, b| a.0.cmp(&b.0));
                assert_eq!(found.files.len(), want.len());
                assert_eq!(found.bytes, sizes.iter().sum::<usize>() as u64);
                let differ: Vec<_> = found
                    .files
                    .iter()
                    .zip(&want)
                    .filter(|((rel, got), (wrel, md5))| {
                        assert_eq!(rel, wrel);
                        got.as_ref().unwrap() != md5
                    })
                    .map(|((rel, _), _)| rel.clone())
                    .collect();
                let flipped = format!("d{}/f{}.jpg", (sizes.len() - 2) % 3, sizes.len() - 2);
                assert_eq!(
                    differ,
                    [PathBuf::from(flipped)],
                    "{md5:?}, {threads} threads"
                );
            }
        }
    }
}
