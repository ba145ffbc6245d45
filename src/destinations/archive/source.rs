//! The archive as a restore source: what it holds, with the MD5 each file should have,
//! read under the shared lock so that no sync writes into it meanwhile.

use super::files::{Lock, LockMode};
use super::survey::survey;
use super::{backend_name, open_root, ArchiveError};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use std::path::PathBuf;

/// One archive opened for reading; the lock is held until it is dropped.
pub struct ArchiveSource {
    pub root: PathBuf,
    /// The catalog's name for it (`archive:<root>`).
    pub backend: String,
    /// Relative path and MD5 of every file: the catalog's record of the copy, or, for
    /// an archive this catalog has never recorded, the MD5 read now.
    pub files: Vec<(PathBuf, String)>,
    /// Whether `files` come from the catalog (and so can be checked against).
    pub recorded: bool,
    _lock: Lock,
}

pub fn open_source(
    root: &std::path::Path,
    catalog: &Catalog,
    threads: usize,
    cancel: &Cancel,
) -> Result<ArchiveSource, ArchiveError> {
    let root = open_root(root)?;
    let lock = Lock::try_take(&root, LockMode::Read)
        .map_err(|source| ArchiveError::io(&root, source))?
        .ok_or_else(|| ArchiveError::Busy { path: root.clone() })?;
    let backend = backend_name(&root);
    let recorded = catalog.index_state(&backend)?.is_some();
    let mut files: Vec<(PathBuf, String)> = if recorded {
        catalog
            .remote_index(&backend)?
            .into_iter()
            .flat_map(|(md5, rels)| {
                rels.into_iter()
                    .map(move |r| (PathBuf::from(r), md5.clone()))
            })
            .collect()
    } else {
        survey(&root, threads, cancel, &mut |_| {})
            .ok_or_else(|| ArchiveError::Cancelled(Box::default()))?
            .files
            .into_iter()
            .filter_map(|(rel, md5)| md5.ok().map(|m| (rel, m)))
            .collect()
    };
    files.sort();
    Ok(ArchiveSource {
        root,
        backend,
        files,
        recorded,
        _lock: lock,
    })
}
