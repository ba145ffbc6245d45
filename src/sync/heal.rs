//! Flickr's part of healing ([`crate::engine::heal`]): a copy the catalog forgot as lost
//! is uploaded again only after a targeted `checksum:md5=` search, looked at twice like a
//! lost upload ([`super::upload::lookup_all_twice`]), confirms it is gone. Flickr's search
//! lags behind uploads, so a listing may miss a photo that is there; one the search finds
//! is recorded again instead of uploaded.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use super::upload::lookup_all_twice;
use crate::catalog::{Catalog, RemoteCopy};
use crate::engine::heal;
use crate::flickr::FlickrError;
use crate::photo::Photo;

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
    let found = match lookup_all_twice(remote, &lost, retried).await {
        Ok(found) => found,
        Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
        Err(Stop::Flickr(e)) => return Err(SyncError::flickr("looking up lost copies", e)),
    };
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
