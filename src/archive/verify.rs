//! `verify archive:PATH`: every file in the archive read again and compared with the
//! MD5 the catalog recorded when it was copied (the copy's own MD5 where a date was
//! written into it). Reads only; changes nothing.

use super::files::{Lock, LockMode};
use super::report::{Corrupted, VerifyReport};
use super::survey::survey;
use super::{backend_name, open_root, rel_key, ArchiveError};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::scan::Progress;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

pub fn verify(
    root: &Path,
    catalog: &Catalog,
    threads: usize,
    cancel: &Cancel,
    progress: &mut dyn FnMut(&Progress),
) -> Result<VerifyReport, ArchiveError> {
    let started = Instant::now();
    let root = open_root(root)?;
    let _lock = Lock::try_take(&root, LockMode::Read)
        .map_err(|source| ArchiveError::io(&root, source))?
        .ok_or_else(|| ArchiveError::Busy { path: root.clone() })?;
    let backend = backend_name(&root);
    let index = catalog.remote_index(&backend)?;
    let altered = catalog.altered_copies(&backend)?;
    let mut expected: HashMap<String, &str> = index
        .iter()
        .flat_map(|(md5, paths)| paths.iter().map(move |p| (p.clone(), md5.as_str())))
        .map(|(p, md5)| match altered.get(&p) {
            Some(own) => (p, own.as_str()),
            None => (p, md5),
        })
        .collect();
    let found = survey(&root, threads, cancel, progress)
        .ok_or_else(|| ArchiveError::Cancelled(Box::default()))?;
    let mut report = VerifyReport {
        bytes: found.bytes,
        temporaries: found.temporaries.iter().map(|t| root.join(t)).collect(),
        ..VerifyReport::default()
    };
    for (rel, md5) in found.files {
        report.checked += 1;
        let path = root.join(&rel);
        match (expected.remove(&rel_key(&rel)), md5) {
            (_, Err(e)) => report.unreadable.push((path, e)),
            (None, Ok(_)) => report.unknown.push(path),
            (Some(want), Ok(got)) if want != got => report.corrupted.push(Corrupted {
                path,
                expected: want.to_string(),
                found: got,
            }),
            (Some(_), Ok(_)) => {}
        }
    }
    report.missing = expected.into_keys().map(|rel| root.join(rel)).collect();
    report.missing.sort();
    report.unknown.sort();
    report.corrupted.sort_by(|a, b| a.path.cmp(&b.path));
    for note in found.notes {
        report.unreadable.push((root.clone(), note));
    }
    report.elapsed = started.elapsed();
    Ok(report)
}
