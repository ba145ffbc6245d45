//! The bucket's index, from one listing per run: each object's MD5 is its ETag where
//! that is one (a single-part upload), else what the catalog recorded for its key, else
//! its `md5` metadata (one HEAD). The catalog then holds exactly what the bucket holds:
//! objects new to it are recorded (adopted), recorded copies the listing no longer shows,
//! or shows holding other bytes, are forgotten as lost for this run to make again
//! ([`crate::engine::heal`]). Placement gives each photo to send a key no object holds.

use super::client::Bucket;
use super::multipart::State;
use super::{S3Error, S3Report};
use crate::catalog::{Catalog, RemoteCopy};
use crate::destinations::archive::{with_hash_suffix, Layout};
use crate::engine::heal::{self, Lost, Why};
use crate::library::photo::Photo;
use object_store::path::Path as Key;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Every key below the prefix, with the MD5 of its bytes when known.
pub type Held = HashMap<String, Option<String>>;

/// Reads the listing into the catalog of `backend`; returns what every key holds.
pub async fn refresh(
    bucket: &Bucket,
    backend: &str,
    catalog: &mut Catalog,
    report: &mut S3Report,
) -> Result<Held, S3Error> {
    let listed = bucket.list().await?;
    report.index_calls += 1 + listed.len() as u64 / 1000;
    let recorded: HashMap<String, String> = catalog
        .remote_copies(backend)?
        .into_iter()
        .map(|c| (c.remote_id, c.md5))
        .collect();
    // Keys a verify read other bytes at: neither ETag nor metadata is to be trusted there
    // (both were computed at upload), so the photo goes to another key.
    let changed: HashSet<String> = heal::open(catalog, backend)?
        .into_values()
        .flatten()
        .filter(|l| l.why == Why::Changed.as_str())
        .map(|l| l.remote_id)
        .collect();
    // Objects without an MD5 ETag that the catalog does not know: their metadata says.
    let unknown: Vec<String> = listed
        .iter()
        .filter(|o| o.etag_md5.is_none() && !recorded.contains_key(&o.rel))
        .map(|o| o.rel.clone())
        .collect();
    report.index_calls += unknown.len() as u64;
    let mut metas = bucket.meta_md5s(unknown).await;
    let now = chrono::Utc::now().timestamp();
    let (mut held, mut lost, mut copies) = (Held::new(), Vec::new(), Vec::new());
    for object in listed {
        if changed.contains(&object.rel) {
            held.insert(object.rel, None);
            continue;
        }
        let was = recorded.get(&object.rel);
        let md5 = match (&object.etag_md5, was) {
            (Some(etag), _) => Some(etag.clone()),
            (None, Some(was)) => Some(was.clone()),
            (None, None) => match metas.remove(&object.rel) {
                Some(Err(e)) => return Err(bucket.error("reading an object's metadata", e)),
                Some(Ok(md5)) => md5,
                None => None,
            },
        };
        // Other bytes at a recorded key (overwritten by another tool): that copy is lost.
        if let (Some(was), Some(now_md5)) = (was, &md5) {
            if was != now_md5 {
                lost.push(Lost {
                    remote_id: object.rel.clone(),
                    md5: was.clone(),
                    why: Why::Changed,
                });
            }
        }
        if let Some(md5) = md5.as_ref().filter(|m| was != Some(*m)) {
            report.adopted += u64::from(was.is_none());
            copies.push(RemoteCopy {
                remote_id: object.rel.clone(),
                md5: md5.clone(),
                uploaded_at: now,
                imgmd5: None,
            });
        }
        held.insert(object.rel, md5);
    }
    report.forgotten += heal::forget(catalog, backend, &lost)?;
    catalog.record_remote(backend, &copies, None)?;
    let seen: HashSet<String> = held.keys().cloned().collect();
    // Everything recorded before this listing and not in it is gone.
    report.forgotten += catalog.finish_full_index(backend, &seen, now + 1)?;
    Ok(held)
}

/// One photo to upload, owned so its put can move to a task.
#[derive(Debug, Clone)]
pub struct Job {
    pub source: PathBuf,
    pub md5: String,
    pub imgmd5: Option<String>,
    pub size: u64,
    /// Its key below the prefix.
    pub rel: String,
    /// An upload in parts an earlier put or run began.
    pub resume: Option<State>,
}

/// Places each photo to send under its layout's key, or the hash-suffixed one when an
/// object (or another photo of this run) holds the first; the paths of photos neither
/// key is free for come back with the reason.
pub fn place(send: &[&Photo], layout: &Layout, held: &Held) -> (Vec<Job>, Vec<(PathBuf, String)>) {
    let mut claimed: HashSet<String> = HashSet::new();
    let (mut jobs, mut failed) = (Vec::new(), Vec::new());
    for &photo in send {
        let Some(md5) = photo.md5.as_deref() else {
            continue;
        };
        let first = layout.render(photo, md5);
        let keys = [key_of(&first), key_of(&with_hash_suffix(&first, md5))];
        match keys
            .into_iter()
            .find(|k| !held.contains_key(k) && !claimed.contains(k))
        {
            Some(rel) => {
                claimed.insert(rel.clone());
                jobs.push(Job {
                    source: photo.path.clone(),
                    md5: md5.to_string(),
                    imgmd5: photo.imgmd5.clone(),
                    size: photo.size,
                    rel,
                    resume: None,
                });
            }
            None => failed.push((
                photo.path.clone(),
                format!(
                    "{} and its hash-suffixed key both hold other objects in the bucket",
                    first.display()
                ),
            )),
        }
    }
    (jobs, failed)
}

/// A layout's relative path as the key the listing will show for it (object_store
/// escapes the few characters a key part may not hold, `%` and `#` among them).
fn key_of(rel: &std::path::Path) -> String {
    Key::from(rel.to_string_lossy().as_ref()).to_string()
}
