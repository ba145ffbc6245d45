//! `photosync verify gphotos`: reads the app's listing (never downloads: Google's downloads
//! are recompressed and lose GPS, so bytes cannot be compared) and reports, against the
//! catalog, local photos missing from Google Photos, items whose description lost its
//! checksum, and items photosync does not know. Items with a checksum the catalog lacks are
//! recorded again, so a lost catalog is rebuilt and the next sync uploads nothing twice.
//! Recorded items the listing no longer shows (the user deleted them in the app) are
//! forgotten as lost ([`crate::engine::heal`]): the next sync uploads them again.

use super::destination::Gphotos;
use super::error::GphotosSyncError;
use super::GphotosSyncOptions;
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::gphotos::api::{checksum_of, Client, GphotosError, ListedItem};
use crate::engine::heal;
use crate::engine::one;
use crate::engine::verify::{self, Check, Found, Verified};
use crate::library::photo::Photo;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

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

/// Checks the app's items against the catalog's photos under `root` (a folder scanned
/// before), on the engine's verify ([`crate::engine::verify`]): items the listing no
/// longer shows are forgotten for the next sync.
pub fn verify_gphotos(
    root: &Path,
    catalog: &mut Catalog,
    client: &Client,
    cancel: &Cancel,
) -> Result<VerifyReport, GphotosSyncError> {
    let runtime = one::runtime().map_err(GphotosSyncError::Runtime)?;
    let mut gphotos = Gphotos::new(client, GphotosSyncOptions::default(), cancel)?;
    let mut check = Check {
        catalog,
        cancel,
        // The catalog holds the scan's canonical paths.
        root: Some(std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())),
        read_data: false,
        sample_percent: 0.0,
        progress: &mut |_| {},
    };
    verify::verify(&runtime, &mut gphotos, &mut check)
}

/// Google Photos' part of verify: the whole listing read, records rebuilt from
/// descriptions, and the recorded items it no longer shows.
pub(super) async fn check(
    client: &Client,
    check: &mut Check<'_>,
) -> Result<Found<VerifyReport>, GphotosSyncError> {
    let quiet = |_: u32, _: &GphotosError| {};
    let listing = client
        .list_all(check.cancel, &quiet)
        .await
        .map_err(|e| GphotosSyncError::api("listing the app's items", e))?;
    let catalog = &mut *check.catalog;
    let backend = super::backend_name(client);
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
    let listed_ids: HashSet<&str> = listing.iter().map(|i| i.id.as_str()).collect();
    let lost = heal::unlisted(catalog, &backend, &listed_ids)?;
    let (accepts, refusals) = (super::plan::accepts(), catalog.refusals(&backend)?);
    let root = check.root.clone().unwrap_or_else(|| PathBuf::from("/"));
    let mut local: Vec<(PathBuf, Photo)> = catalog.files_under(&root)?.into_iter().collect();
    local.sort_by(|a, b| a.0.cmp(&b.0));
    let mut seen = HashSet::new();
    for (path, photo) in local {
        let Some(md5) = &photo.md5 else { continue };
        if !seen.insert(md5.clone()) || present.contains_key(md5) {
            continue;
        }
        if accepts.not_taken(&photo).is_some() || refusals.contains_key(md5) {
            continue;
        }
        let by_record = recorded
            .get(md5)
            .is_some_and(|ids| ids.iter().any(|id| listed_ids.contains(id.as_str())));
        if !by_record {
            report.missing.push(path);
        }
    }
    Ok(Found::new(report, backend, lost, true))
}

impl Verified for VerifyReport {
    fn set_forgotten(&mut self, forgotten: u64) {
        self.forgotten = forgotten;
    }
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
