//! Which photos to copy and under which name: the shared plan ([`crate::engine::plan`])
//! decides which (a photo whose MD5 the archive holds anywhere is not copied; one path per
//! MD5, the same keeper as every destination's); here, where: a name taken by other bytes gets a short hash suffix; a
//! file found at its planned name with the right MD5 (a killed run renamed it into
//! place but could not record it) is recorded, not copied again; with `write_dates`, a
//! photo whose date a rule corrected is planned with that date, and a copy found in
//! place holding the redated bytes counts as its copy.

use super::copy::Job;
use super::layout::{with_hash_suffix, Layout};
use super::redate;
use crate::cancel::Cancel;
use crate::dates::DateSource;
use crate::engine::plan as shared;
use crate::library::hash;
use crate::library::photo::Photo;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// Held, duplicates and unreadable files: an archive takes every kind and size.
    pub shared: shared::Plan<'a>,
    pub jobs: Vec<Job>,
    pub bytes: u64,
    /// Copies found in place.
    pub found_in_place: Vec<InPlace>,
    pub failed: Vec<(PathBuf, String)>,
}

/// A copy a killed run renamed into place without recording it.
#[derive(Debug)]
pub struct InPlace {
    pub source: PathBuf,
    pub rel: PathBuf,
    pub md5: String,
    /// The copy's own MD5 when a date was written into it.
    pub stored_md5: Option<String>,
}

/// Places the engine's plan (`shared`) in the archive; `index`: MD5 -> relative paths
/// the catalog records in this archive.
pub fn plan<'a>(
    shared: shared::Plan<'a>,
    root: &Path,
    layout: &Layout,
    index: &HashMap<String, Vec<String>>,
    write_dates: bool,
    cancel: &Cancel,
) -> Plan<'a> {
    let by_path: HashMap<&str, &str> = index
        .iter()
        .flat_map(|(md5, paths)| paths.iter().map(move |p| (p.as_str(), md5.as_str())))
        .collect();
    let mut plan = Plan {
        shared,
        ..Plan::default()
    };
    let mut claimed: HashSet<PathBuf> = HashSet::new();
    for &photo in &plan.shared.send {
        let Some(md5) = photo.md5.as_deref() else {
            continue;
        };
        let redate =
            (write_dates && photo.taken.source == DateSource::Rule).then_some(photo.taken.local);
        let first = layout.render(photo, md5);
        let second = with_hash_suffix(&first, md5);
        let mut placed = false;
        for rel in [first, second] {
            if claimed.contains(&rel) {
                continue;
            }
            match holder(root, &rel, &by_path, cancel) {
                None => {
                    claimed.insert(rel.clone());
                    plan.bytes += photo.size;
                    plan.jobs.push(Job {
                        source: photo.path.clone(),
                        md5: md5.to_string(),
                        size: photo.size,
                        dest: rel,
                        redate,
                    });
                }
                Some(held) if held == md5 => plan.found_in_place.push(InPlace {
                    source: photo.path.clone(),
                    rel,
                    md5: md5.to_string(),
                    stored_md5: None,
                }),
                Some(held) if redated_md5(photo, redate).as_ref() == Some(&held) => {
                    plan.found_in_place.push(InPlace {
                        source: photo.path.clone(),
                        rel,
                        md5: md5.to_string(),
                        stored_md5: Some(held),
                    })
                }
                Some(_) => continue,
            }
            placed = true;
            break;
        }
        if !placed {
            let name = layout.render(photo, md5);
            plan.failed.push((
                photo.path.clone(),
                format!(
                    "{} and its hash-suffixed name are both taken by other files in the archive",
                    name.display()
                ),
            ));
        }
    }
    plan
}

/// What a copy of `photo` with `redate` written into it holds, if it differs.
fn redated_md5(photo: &Photo, redate: Option<chrono::NaiveDateTime>) -> Option<String> {
    redate::redated_md5(&photo.path, redate?).ok().flatten()
}

/// The MD5 of what is at `rel` (the catalog's word, else read from disk); None when
/// nothing is there. A file that cannot be read counts as other bytes.
fn holder(
    root: &Path,
    rel: &Path,
    by_path: &HashMap<&str, &str>,
    cancel: &Cancel,
) -> Option<String> {
    if let Some(md5) = by_path.get(super::rel_key(rel).as_str()) {
        return Some(md5.to_string());
    }
    let path = root.join(rel);
    std::fs::symlink_metadata(&path).ok()?;
    Some(
        hash::digest_file(&path, 0, cancel, &mut |_| {})
            .map(|d| d.md5_hex())
            .unwrap_or_default(),
    )
}
