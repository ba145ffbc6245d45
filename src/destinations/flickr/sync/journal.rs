//! Recovery of uploads a previous run started and never recorded as finished (it was
//! killed, or lost the answer). Each is resolved before planning: if Flickr has the
//! checksum (the refreshed index shows it, or a search finds it) it counts as
//! uploaded (and the taken date it was to set is set now); otherwise the entry is
//! dropped and the plan uploads the file again.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use super::upload::lookup;
use crate::catalog::{Catalog, RemoteCopy};
use crate::destinations::flickr::api::FlickrError;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Recovery {
    /// Unfinished uploads found on Flickr.
    pub found: u64,
    /// Unfinished uploads not on Flickr: planned again.
    pub missing: u64,
    /// Taken dates that could not be set on recovered uploads.
    pub errors: Vec<(std::path::PathBuf, String)>,
}

pub async fn recover(
    remote: &Remote,
    catalog: &mut Catalog,
    backend: &str,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Recovery, SyncError> {
    let unfinished = catalog.journal_unfinished(backend)?;
    let mut recovery = Recovery::default();
    if unfinished.is_empty() {
        return Ok(recovery);
    }
    let index: HashMap<String, Vec<String>> = catalog.remote_index(backend)?;
    for entry in unfinished {
        let known = entry
            .remote_id
            .clone()
            .or_else(|| index.get(&entry.md5).and_then(|ids| ids.first()).cloned());
        let found = match known {
            Some(id) => Some(id),
            None => match lookup(remote, &entry.md5, retried).await {
                Ok(found) => found,
                Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
                Err(Stop::Flickr(e)) => {
                    return Err(SyncError::flickr("looking up an unfinished upload", e))
                }
            },
        };
        match found {
            Some(remote_id) => {
                if let Some(date) = &entry.date_taken {
                    let params = [("photo_id", remote_id.as_str()), ("date_taken", date)];
                    match remote.rest("flickr.photos.setDates", &params, retried).await {
                        Ok(_) => {}
                        Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
                        Err(Stop::Flickr(e)) => recovery.errors.push((
                            entry.path.clone(),
                            format!("uploaded as {remote_id}, but its taken date ({date}) could not be set: {e}"),
                        )),
                    }
                }
                catalog.journal_finish(
                    backend,
                    &RemoteCopy {
                        remote_id,
                        md5: entry.md5,
                        uploaded_at: entry.started_at,
                        imgmd5: None,
                    },
                )?;
                recovery.found += 1;
            }
            None => {
                catalog.journal_forget(backend, &entry.md5)?;
                recovery.missing += 1;
            }
        }
    }
    Ok(recovery)
}
