//! `Photosync._status`: every photo of the catalog with its copies, in its serde form,
//! for lib/photosync/status.rb.

use crate::{conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby};
use photosync::catalog::Catalog;
use photosync::status::PhotoStatus;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `below`: only the photos with fewer copies are converted (the CLI's summary of 100k
/// photos needs the counts, not 100k hashes).
fn status(
    ruby: &Ruby,
    catalog: Option<RString>,
    root: Option<RString>,
    below: Option<usize>,
) -> Result<RHash, Error> {
    // Status only reads: a mistyped path is refused, and a read-only catalog serves.
    let cat = match catalog.map(conv::path_from) {
        Some(p) => Catalog::open_existing(&p),
        None => Catalog::in_memory(),
    }
    .map_err(|e| errors::catalog(ruby, e))?;
    let root = root.map(conv::path_from);
    let s =
        photosync::status::status(&cat, root.as_deref()).map_err(|e| errors::catalog(ruby, e))?;
    let listed = Listed {
        photos: match below {
            Some(min) => s.below(min).collect(),
            None => s.photos.iter().collect(),
        },
        by_copies: &s.by_copies,
        total: s.photos.len(),
        damaged: &s.damaged,
    };
    conv::to_ruby(ruby, &listed)
}

/// What `_status` returns, in its serde form: the photos asked for, and the counts of all.
#[derive(Serialize)]
struct Listed<'a> {
    photos: Vec<&'a PhotoStatus>,
    by_copies: &'a BTreeMap<usize, u64>,
    total: usize,
    #[serde(serialize_with = "photosync::serial::paths")]
    damaged: &'a Vec<(PathBuf, String)>,
}

/// `Photosync._require_catalog(path)`: raises Photosync::CatalogError naming the path
/// when no catalog is there (the CLI checks before a command that needs one starts).
fn require_catalog(ruby: &Ruby, path: RString) -> Result<(), Error> {
    crate::lock::require_catalog(ruby, Some(&conv::path_from(path)))
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_require_catalog", function!(require_catalog, 1))?;
    m.define_singleton_method("_status", function!(status, 3))?;
    Ok(())
}
