//! Flickr's part of healing ([`crate::engine::heal`]): a copy the catalog forgot as lost
//! is uploaded again only when Flickr confirms it is gone. Flickr's search lags behind
//! uploads, so a listing (verify, a full index read) may miss a photo uploaded minutes ago:
//! the recorded photo is first asked for by id (`flickr.photos.getInfo`, which does not
//! lag), then a targeted `checksum:md5=` search, looked at twice like a lost upload
//! ([`super::upload::lookup_all_twice`]), must find no other copy. A photo either finds
//! is recorded again instead of uploaded.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use super::upload::lookup_all_twice;
use crate::catalog::{Catalog, RemoteCopy};
use crate::destinations::flickr::api::FlickrError;
use crate::engine::heal;
use crate::library::photo::Photo;
use std::collections::{HashMap, HashSet};

/// Drops from `uploads` the lost copies a search still finds (recorded again, their loss
/// withdrawn); returns how many.
pub async fn confirm_lost(
    remote: &Remote,
    catalog: &mut Catalog,
    backend: &str,
    uploads: &mut Vec<(&Photo, String)>,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<u64, SyncError> {
    let open = heal::open(catalog, backend)?;
    let lost: Vec<String> = uploads
        .iter()
        .filter(|(_, md5)| open.contains_key(md5))
        .map(|(_, md5)| md5.clone())
        .collect();
    if lost.is_empty() {
        return Ok(0);
    }
    let mut found = HashMap::new();
    for md5 in &lost {
        for copy in &open[md5] {
            if still_there(remote, &copy.remote_id, retried).await? {
                found.insert(md5.clone(), copy.remote_id.clone());
                break;
            }
        }
    }
    let unconfirmed: Vec<String> = lost
        .into_iter()
        .filter(|m| !found.contains_key(m))
        .collect();
    match lookup_all_twice(remote, &unconfirmed, retried).await {
        Ok(more) => found.extend(more),
        Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
        Err(Stop::Flickr(e)) => return Err(SyncError::flickr("looking up lost copies", e)),
    }
    let now = chrono::Utc::now().timestamp();
    for (md5, id) in &found {
        let copy = RemoteCopy {
            remote_id: id.clone(),
            md5: md5.clone(),
            uploaded_at: now,
            imgmd5: None,
        };
        catalog.record_remote(backend, &[copy], None)?;
        heal::withdraw(catalog, backend, md5)?;
    }
    uploads.retain(|(_, md5)| !found.contains_key(md5));
    Ok(found.len() as u64)
}

/// The ids of `ids` Flickr still has, asked for one by one: a full read (index, verify)
/// that did not list a recorded copy forgets only those not here, since a listing can
/// miss a photo (unstable paging; search lagging behind a fresh upload), `getInfo`
/// cannot.
pub async fn present(
    remote: &Remote,
    ids: &[String],
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<HashSet<String>, SyncError> {
    let mut here = HashSet::new();
    for id in ids {
        if !here.contains(id) && still_there(remote, id, retried).await? {
            here.insert(id.clone());
        }
    }
    Ok(here)
}

/// Whether Flickr still has the photo `id` (error 1: it does not).
async fn still_there(
    remote: &Remote,
    id: &str,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<bool, SyncError> {
    match remote
        .rest("flickr.photos.getInfo", &[("photo_id", id)], retried)
        .await
    {
        Ok(_) => Ok(true),
        Err(Stop::Flickr(e)) if e.code() == Some(1) => Ok(false),
        Err(Stop::Cancelled) => Err(SyncError::Cancelled(Box::default())),
        Err(Stop::Flickr(e)) => Err(SyncError::flickr("asking for a lost copy", e)),
    }
}
