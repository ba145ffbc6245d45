//! `verify archive:PATH`: every file in the archive read again and compared with the
//! MD5 the catalog recorded when it was copied (the copy's own MD5 where a date was
//! written into it). It changes nothing in the archive; the copies it finds gone or
//! changed are forgotten as lost ([`crate::engine::heal`]) for the next sync to make
//! again, and are reported by every verify until then.

use super::files::{Lock, LockMode};
use super::report::{Corrupted, VerifyReport};
use super::survey::survey;
use super::{backend_name, open_root, rel_key, Archive, ArchiveError, ArchiveOptions};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::engine::heal::{Lost, Why};
use crate::engine::one;
use crate::engine::verify::{self, Check, Found, Verified};
use crate::library::scan::Progress;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// Reads every file of the archive at `root` (`threads` at once) against the catalog, on
/// the engine's verify ([`crate::engine::verify`]): what it finds gone or changed is
/// forgotten for the next sync.
pub fn verify(
    root: &Path,
    catalog: &mut Catalog,
    threads: usize,
    cancel: &Cancel,
    progress: &mut dyn FnMut(&Progress),
) -> Result<VerifyReport, ArchiveError> {
    let runtime = one::runtime().map_err(|e| ArchiveError::Threads(e.to_string()))?;
    let opts = ArchiveOptions {
        threads,
        ..ArchiveOptions::default()
    };
    let mut archive = Archive::new(root, opts, cancel);
    let mut check = Check {
        catalog,
        cancel,
        root: None,
        read_data: true,
        sample_percent: 100.0,
        progress,
    };
    verify::verify(&runtime, &mut archive, &mut check)
}

/// The archive's part of verify: every file read and hashed, and the copies found gone
/// or changed.
pub(super) fn check(
    root: &Path,
    threads: usize,
    check: &mut Check<'_>,
) -> Result<Found<VerifyReport>, ArchiveError> {
    let (catalog, cancel) = (&mut *check.catalog, check.cancel);
    let started = Instant::now();
    let root = open_root(root)?;
    let _lock = Lock::try_take(&root, LockMode::Read)
        .map_err(|source| ArchiveError::io(&root, source))?
        .ok_or_else(|| ArchiveError::Busy { path: root.clone() })?;
    let backend = backend_name(&root);
    let index = catalog.remote_index(&backend)?;
    let altered = catalog.altered_copies(&backend)?;
    // relative path -> (the photo's MD5, the MD5 its bytes must have).
    let mut expected: HashMap<String, (String, String)> = HashMap::new();
    for (md5, paths) in &index {
        for p in paths {
            let own = altered.get(p).unwrap_or(md5);
            expected.insert(p.clone(), (md5.clone(), own.clone()));
        }
    }
    // Lost before and not made again yet: still wrong, still reported.
    for lost in catalog.lost_open(&backend)? {
        let md5 = lost.md5;
        expected
            .entry(lost.remote_id)
            .or_insert_with(|| (md5.clone(), md5));
    }
    let found = survey(&root, threads, cancel, &mut *check.progress)
        .ok_or_else(|| ArchiveError::Cancelled(Box::default()))?;
    let mut report = VerifyReport {
        bytes: found.bytes,
        temporaries: found.temporaries.iter().map(|t| root.join(t)).collect(),
        ..VerifyReport::default()
    };
    let mut lost = Vec::new();
    for (rel, md5) in found.files {
        report.checked += 1;
        let path = root.join(&rel);
        let key = rel_key(&rel);
        match (expected.remove(&key), md5) {
            (_, Err(e)) => report.unreadable.push((path, e)),
            (None, Ok(_)) => report.unknown.push(path),
            (Some((photo, want)), Ok(got)) if want != got => {
                report.corrupted.push(Corrupted {
                    path,
                    expected: want,
                    found: got,
                });
                lost.push(Lost {
                    remote_id: key,
                    md5: photo,
                    why: Why::Changed,
                });
            }
            (Some(_), Ok(_)) => {}
        }
    }
    for (rel, (photo, _)) in expected {
        report.missing.push(root.join(&rel));
        lost.push(Lost::missing(rel, photo));
    }
    let whole = !cancel.is_cancelled() && found.notes.is_empty();
    report.missing.sort();
    report.unknown.sort();
    report.corrupted.sort_by(|a, b| a.path.cmp(&b.path));
    for note in found.notes {
        report.unreadable.push((root.clone(), note));
    }
    report.elapsed = started.elapsed();
    Ok(Found::new(report, backend, lost, whole))
}

impl Verified for VerifyReport {
    fn set_forgotten(&mut self, forgotten: u64) {
        self.forgotten = forgotten;
    }
}
