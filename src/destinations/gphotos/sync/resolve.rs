//! The upload tokens a previous run left in the journal. A token younger than
//! `token_max_age` is reused: its photo is created from it without sending the bytes again
//! (and if it was in a batchCreate whose answer was lost, creating it again is how that call
//! is resolved: Google answers identical bytes with the item it made). An older token that
//! went out in a batchCreate is looked up in the app's listing by the checksum in its
//! description; older tokens that never went out are dropped.

use super::error::GphotosSyncError;
use super::options::GphotosSyncOptions;
use crate::cancel::Cancel;
use crate::catalog::{Catalog, UploadTokenEntry};
use crate::destinations::gphotos::api::{checksum_of, Client, GphotosError};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default)]
pub struct Resolved {
    /// Young tokens by MD5, to be created without uploading.
    pub reusable: HashMap<String, UploadTokenEntry>,
    /// Photos whose earlier batchCreate could not be resolved now (the listing failed):
    /// not tried again this run.
    pub unresolved: HashSet<String>,
}

pub async fn resolve(
    client: &Client,
    catalog: &mut Catalog,
    backend: &str,
    opts: &GphotosSyncOptions,
    cancel: &Cancel,
) -> Result<Resolved, GphotosSyncError> {
    let mut out = Resolved::default();
    let known = catalog.remote_index(backend)?;
    let now = client.server_now();
    let max_age = opts.token_max_age.as_secs() as i64;
    let mut lost = Vec::new();
    for entry in catalog.gphotos_tokens(backend)? {
        if known.contains_key(&entry.md5) {
            catalog.gphotos_token_forget(backend, &entry.md5)?;
        } else if now - entry.created_at < max_age {
            out.reusable.insert(entry.md5.clone(), entry);
        } else if entry.sent_at.is_some() {
            lost.push(entry);
        } else {
            catalog.gphotos_token_forget(backend, &entry.md5)?;
        }
    }
    if lost.is_empty() {
        return Ok(out);
    }
    let quiet = |_: u32, _: &GphotosError| {};
    let listing = match client.list_all(cancel, &quiet).await {
        Ok(l) => l,
        Err(GphotosError::Revoked(m)) => {
            return Err(GphotosSyncError::Login(GphotosError::Revoked(m)))
        }
        Err(GphotosError::Cancelled) => return Err(GphotosSyncError::Cancelled(Box::default())),
        Err(_) => {
            out.unresolved = lost.into_iter().map(|e| e.md5).collect();
            return Ok(out);
        }
    };
    let by_md5: HashMap<String, String> = listing
        .into_iter()
        .filter_map(|i| checksum_of(&i.description).map(|m| (m, i.id)))
        .collect();
    for entry in lost {
        match by_md5.get(&entry.md5) {
            Some(id) => catalog.gphotos_created(backend, &entry.md5, id, now)?,
            None => catalog.gphotos_token_forget(backend, &entry.md5)?,
        }
    }
    Ok(out)
}
