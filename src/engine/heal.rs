//! Copies that heal: a copy verify or a full index read finds lost (gone from the
//! destination, or holding other bytes) is forgotten by the catalog, with a record of
//! what was lost and when, so the next sync plans it like any photo the destination
//! lacks and makes it again, once. The same calls serve every destination; each only
//! decides what "lost" means for it (Flickr: the checksum no longer listed, confirmed by
//! a targeted search before the upload; the archive: a file gone or changed; Google
//! Photos: an item the app's listing no longer shows).

use crate::catalog::{Catalog, CatalogError, LostCopy};
use std::collections::{HashMap, HashSet};

/// Why a copy counts as lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The destination no longer has it.
    Missing,
    /// It is there, but its bytes are not the photo's.
    Changed,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Missing => "missing",
            Why::Changed => "changed",
        }
    }
}

/// One copy found lost: its id on the destination and the MD5 it should hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub remote_id: String,
    pub md5: String,
    pub why: Why,
}

impl Lost {
    pub fn missing(remote_id: impl Into<String>, md5: impl Into<String>) -> Lost {
        Lost {
            remote_id: remote_id.into(),
            md5: md5.into(),
            why: Why::Missing,
        }
    }
}

/// Forgets the lost copies of `backend`: the catalog stops counting them (status, plan),
/// and records them so the run that makes them again reports them healed. Returns how
/// many copies the catalog held.
pub fn forget(catalog: &mut Catalog, backend: &str, lost: &[Lost]) -> Result<u64, CatalogError> {
    if lost.is_empty() {
        return Ok(0);
    }
    let rows: Vec<(String, String, &str)> = lost
        .iter()
        .map(|l| (l.remote_id.clone(), l.md5.clone(), l.why.as_str()))
        .collect();
    catalog.forget_lost(backend, &rows)
}

/// The recorded copies of `backend` whose id is not in `listed` (the destination's whole
/// listing: never pass a partial one), as missing.
pub fn unlisted(
    catalog: &Catalog,
    backend: &str,
    listed: &HashSet<&str>,
) -> Result<Vec<Lost>, CatalogError> {
    Ok(catalog
        .remote_copies(backend)?
        .into_iter()
        .filter(|c| !listed.contains(c.remote_id.as_str()))
        .map(|c| Lost::missing(c.remote_id, c.md5))
        .collect())
}

/// Forgets, as missing, every recorded copy of `backend` whose id is not in `listed` (the
/// destination's whole listing). Returns how many.
pub fn forget_unlisted(
    catalog: &mut Catalog,
    backend: &str,
    listed: &HashSet<&str>,
) -> Result<u64, CatalogError> {
    let lost = unlisted(catalog, backend, listed)?;
    forget(catalog, backend, &lost)
}

/// The copies of `backend` forgotten and not made again yet, by MD5.
pub fn open(
    catalog: &Catalog,
    backend: &str,
) -> Result<HashMap<String, Vec<LostCopy>>, CatalogError> {
    let mut by_md5: HashMap<String, Vec<LostCopy>> = HashMap::new();
    for lost in catalog.lost_open(backend)? {
        by_md5.entry(lost.md5.clone()).or_default().push(lost);
    }
    Ok(by_md5)
}

/// A copy feared lost that turned up after all (a search lagged): no longer open, and
/// never reported healed.
pub fn withdraw(catalog: &mut Catalog, backend: &str, md5: &str) -> Result<(), CatalogError> {
    catalog.lost_withdraw(backend, md5)
}

/// After a run: the photos whose lost copy on `backend` now exists again, counted once
/// (the run that made them says "healed"; later runs do not).
pub fn settle(catalog: &mut Catalog, backend: &str) -> Result<u64, CatalogError> {
    catalog.settle_lost(backend)
}
