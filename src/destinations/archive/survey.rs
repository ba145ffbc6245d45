//! Reading a whole archive: every file below its root hashed, on several threads,
//! with progress. `verify` compares the result with the catalog; a run that meets an
//! archive new to its catalog records it, so what is already there is not copied again.

use super::files;
use crate::cancel::Cancel;
use crate::library::hash;
use crate::library::kind;
use crate::library::scan::Progress;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
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
    let mut survey = Survey::default();
    let mut listed: Vec<(PathBuf, u64)> = Vec::new();
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
    let (tx, rx) = mpsc::channel::<()>();
    let hashed = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let _done = tx;
            pool.install(|| {
                listed
                    .par_iter()
                    .map(|(rel, _)| {
                        let r = hash::digest_file(&root.join(rel), 0, cancel, &mut |n| {
                            bytes_done.fetch_add(n, Ordering::Relaxed);
                        });
                        files_done.fetch_add(1, Ordering::Relaxed);
                        (rel.clone(), r)
                    })
                    .collect::<Vec<_>>()
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
    survey.files = hashed
        .into_iter()
        .map(|(rel, r)| (rel, r.map(|d| d.md5_hex()).map_err(|e| e.to_string())))
        .collect();
    Some(survey)
}
