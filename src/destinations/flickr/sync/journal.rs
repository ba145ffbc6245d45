//! Recovery of uploads a previous run started and never recorded as finished (it was
//! killed, or lost the answer). Each is resolved before planning: if Flickr has the
//! checksum (the refreshed index shows it, or a search finds it) it counts as
//! uploaded (and the taken date it was to set is set now); otherwise the entry is
//! dropped and the plan uploads the file again. An entry younger than the lookup delay
//! (an immediate next run) may be stored but not searchable yet (Flickr's search
//! lags): it is looked up again once it is that old before it counts as missing.

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
            None => look_up(remote, &entry.md5, entry.started_at, retried).await?,
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

/// The photo carrying `md5`, looked up now and, when not found and the upload started
/// less than the lookup delay ago, again once it is that old.
async fn look_up(
    remote: &Remote,
    md5: &str,
    started_at: i64,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Option<String>, SyncError> {
    let stop = |s: Stop| match s {
        Stop::Cancelled => SyncError::Cancelled(Box::default()),
        Stop::Flickr(e) => SyncError::flickr("looking up an unfinished upload", e),
    };
    if let Some(id) = lookup(remote, md5, retried).await.map_err(stop)? {
        return Ok(Some(id));
    }
    let age = chrono::Utc::now().timestamp().saturating_sub(started_at);
    let age = std::time::Duration::from_secs(u64::try_from(age).unwrap_or(0));
    let Some(wait) = remote.lookup_delay().checked_sub(age) else {
        return Ok(None);
    };
    // Ages are whole seconds and may be short by up to one: wait that much more
    // (no more than the delay itself, which tests shorten).
    let margin = remote.lookup_delay().min(std::time::Duration::from_secs(1));
    remote.pause(wait + margin).await.map_err(stop)?;
    lookup(remote, md5, retried).await.map_err(stop)
}
