//! `photosync verify gphotos`: reads the app's listing (never downloads: Google's downloads
//! are recompressed and lose GPS, so bytes cannot be compared) and reports, against the
//! catalog, local photos missing from Google Photos, items whose description lost its
//! checksum, and items photosync does not know. Items with a checksum the catalog lacks are
//! recorded again, so a lost catalog is rebuilt and the next sync uploads nothing twice.
//! Recorded items the listing no longer shows (the user deleted them in the app) are
//! forgotten as lost ([`crate::engine::heal`]): the next sync uploads them again.

use super::error::GphotosSyncError;
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::gphotos::api::{checksum_of, Client, GphotosError, ListedItem};
use crate::engine::heal;
use crate::library::photo::Photo;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Items the app created (each once).
    pub items: u64,
    /// Local photos with no item in Google Photos (files it does not take or refused are
    /// the sync's "not taken" and "refused", not missing).
    #[serde(serialize_with = "crate::serial::paths")]
    pub missing: Vec<PathBuf>,
    /// Items photosync recorded whose description no longer ends with the checksum
    /// (id, file name).
    pub lost_checksum: Vec<(String, String)>,
    /// Items with no checksum that photosync has no record of (id, file name).
    pub unknown: Vec<(String, String)>,
    /// Records rebuilt from descriptions.
    pub rebuilt: u64,
    /// Recorded items the listing no longer shows: forgotten, for the next sync to upload.
    pub forgotten: u64,
}

pub fn verify_gphotos(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &Client,
    cancel: &Cancel,
) -> Result<VerifyReport, GphotosSyncError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(GphotosSyncError::Runtime)?;
    let client = Arc::new(
        client
            .renewed()
            .map_err(|e| GphotosSyncError::api("creating the HTTP client", e))?,
    );
    let quiet = |_: u32, _: &GphotosError| {};
    let listing = runtime
        .block_on(client.list_all(cancel, &quiet))
        .map_err(|e| GphotosSyncError::api("listing the app's items", e))?;
    let backend = super::backend_name(&client);
    let recorded = catalog.remote_index(&backend)?;
    let recorded_ids: HashSet<&String> = recorded.values().flatten().collect();
    let mut report = VerifyReport {
        items: listing.len() as u64,
        ..VerifyReport::default()
    };
    let mut present: HashMap<String, String> = HashMap::new();
    let now = client.server_now();
    for item in &listing {
        match checksum_of(&item.description) {
            Some(md5) => {
                if !recorded.contains_key(&md5) {
                    catalog.gphotos_created(&backend, &md5, &item.id, now)?;
                    report.rebuilt += 1;
                }
                present.insert(md5, item.id.clone());
            }
            None if recorded_ids.contains(&item.id) => report
                .lost_checksum
                .push((item.id.clone(), item.filename.clone())),
            None => report
                .unknown
                .push((item.id.clone(), item.filename.clone())),
        }
    }
    let listed_ids: HashSet<&String> = listing.iter().map(|i| &i.id).collect();
    report.forgotten = forget_unlisted(catalog, &backend, &listing)?;
    let (accepts, refusals) = (super::plan::accepts(), catalog.refusals(&backend)?);
    let mut seen = HashSet::new();
    for photo in photos {
        let Some(md5) = &photo.md5 else { continue };
        if !seen.insert(md5.clone()) || present.contains_key(md5) {
            continue;
        }
        if accepts.not_taken(photo).is_some() || refusals.contains_key(md5) {
            continue;
        }
        let by_record = recorded
            .get(md5)
            .is_some_and(|ids| ids.iter().any(|id| listed_ids.contains(id)));
        if !by_record {
            report.missing.push(photo.path.clone());
        }
    }
    Ok(report)
}

/// Forgets the recorded items of `backend` that `listing` (the app's whole listing) does
/// not show; returns how many.
fn forget_unlisted(
    catalog: &mut Catalog,
    backend: &str,
    listing: &[ListedItem],
) -> Result<u64, GphotosSyncError> {
    let listed: HashSet<&str> = listing.iter().map(|i| i.id.as_str()).collect();
    Ok(heal::forget_unlisted(catalog, backend, &listed)?)
}

/// `sync --verify`: the app's whole listing read, and what it no longer shows forgotten.
pub(super) async fn check_listing(
    client: &Client,
    catalog: &mut Catalog,
    backend: &str,
    cancel: &Cancel,
) -> Result<u64, GphotosSyncError> {
    let quiet = |_: u32, _: &GphotosError| {};
    let listing = client
        .list_all(cancel, &quiet)
        .await
        .map_err(|e| GphotosSyncError::api("listing the app's items", e))?;
    if cancel.is_cancelled() {
        return Err(GphotosSyncError::Cancelled(Box::default()));
    }
    forget_unlisted(catalog, backend, &listing)
}
