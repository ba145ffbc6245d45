//! The archive's part of healing ([`crate::engine::heal`]): a copy that is gone is
//! copied again by the plan like any photo the archive lacks; a copy whose bytes changed
//! is first moved aside under the archive's own `.photosync/changed/` folder (kept, never
//! deleted; hidden, so neither counted nor read as unknown), leaving its path free for a
//! fresh, checked copy. `sync --verify` checks the recorded copies against the folder
//! listing (present, and the photo's size where it is known) without reading the bytes.

use super::{files, ArchiveError};
use crate::cancel::Cancel;
use crate::catalog::{Catalog, RemoteCopy};
use crate::engine::heal::{self, Lost, Why};
use crate::library::hash;
use crate::library::photo::Photo;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where changed copies are moved, below the archive's root.
pub const ASIDE: &str = ".photosync/changed";

/// Forgets the recorded copies the listing shows gone, or of another size than the
/// local photo that holds their MD5 (copies with a date written into them differ in
/// size by design and are left to a full verify). Returns how many were forgotten.
pub fn check_listing(
    root: &Path,
    backend: &str,
    catalog: &mut Catalog,
    photos: &[Photo],
) -> Result<u64, ArchiveError> {
    let sizes: HashMap<&str, u64> = photos
        .iter()
        .filter_map(|p| Some((p.md5.as_deref()?, p.size)))
        .collect();
    let altered = catalog.altered_copies(backend)?;
    let mut lost = Vec::new();
    for copy in catalog.remote_copies(backend)? {
        let why = match std::fs::symlink_metadata(root.join(&copy.remote_id)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Why::Missing,
            Err(e) => return Err(ArchiveError::io(&root.join(&copy.remote_id), e)),
            Ok(meta) => match sizes.get(copy.md5.as_str()) {
                Some(&size) if size != meta.len() && !altered.contains_key(&copy.remote_id) => {
                    Why::Changed
                }
                _ => continue,
            },
        };
        lost.push(Lost {
            remote_id: copy.remote_id,
            md5: copy.md5,
            why,
        });
    }
    Ok(heal::forget(catalog, backend, &lost)?)
}

/// Moves aside every changed copy still at its path, so the plan copies the photo there
/// again; a file found holding the photo's bytes after all is recorded again instead.
/// Returns the paths (relative to `root`) the copies were moved to.
pub fn move_aside_changed(
    root: &Path,
    backend: &str,
    catalog: &mut Catalog,
    cancel: &Cancel,
) -> Result<Vec<PathBuf>, ArchiveError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut moved = Vec::new();
    for lost in heal::open(catalog, backend)?.into_values().flatten() {
        let path = root.join(&lost.remote_id);
        if lost.why != Why::Changed.as_str() || std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        let held = hash::digest_file(&path, 0, cancel, &mut |_| {}).map(|d| d.md5_hex());
        if held.as_deref().ok() == Some(lost.md5.as_str()) {
            let copy = RemoteCopy {
                remote_id: lost.remote_id.clone(),
                md5: lost.md5.clone(),
                uploaded_at: lost.lost_at,
                imgmd5: None,
            };
            catalog.record_remote(backend, &[copy], None)?;
            heal::withdraw(catalog, backend, &lost.md5)?;
            continue;
        }
        let aside = Path::new(ASIDE).join(&stamp).join(&lost.remote_id);
        let target = free_name(root, &aside);
        if let Some(dir) = target.parent() {
            files::ensure_dir(root, dir).map_err(|e| ArchiveError::io(&root.join(dir), e))?;
        }
        files::rename_no_replace(&path, &root.join(&target))
            .map_err(|e| ArchiveError::io(&path, e))?;
        moved.push(target);
    }
    Ok(moved)
}

/// `rel`, or `rel.1`, `rel.2`... : the first name below `root` that nothing holds.
fn free_name(root: &Path, rel: &Path) -> PathBuf {
    let mut candidate = rel.to_path_buf();
    let mut n = 1;
    while std::fs::symlink_metadata(root.join(&candidate)).is_ok() {
        candidate = PathBuf::from(format!("{}.{n}", rel.display()));
        n += 1;
    }
    candidate
}
