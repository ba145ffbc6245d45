//! `Photosync._status`: every photo of the catalog with its copies, as hashes for
//! lib/photosync/status.rb.

use crate::{conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby};
use photosync::catalog::Catalog;

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
    let sym = |s: &str| ruby.to_symbol(s);
    let photos = ruby.ary_new();
    for p in s
        .photos
        .iter()
        .filter(|p| below.is_none_or(|min| p.copies() < min))
    {
        let h = ruby.hash_new();
        h.aset(sym("md5"), p.md5.as_str())?;
        h.aset(sym("copies"), p.copies())?;
        let local = ruby.ary_new_capa(p.local.len());
        for path in &p.local {
            local.push(conv::path_to(ruby, path))?;
        }
        h.aset(sym("local"), local)?;
        let remote = ruby.ary_new_capa(p.remote.len());
        for c in &p.remote {
            let r = ruby.hash_new();
            r.aset(sym("backend"), c.backend.as_str())?;
            r.aset(sym("id"), c.remote_id.as_str())?;
            r.aset(sym("uploaded_at"), c.uploaded_at)?;
            if let Some((at, how)) = &c.checked {
                r.aset(sym("checked_at"), *at)?;
                r.aset(sym("checked_by"), how.as_str())?;
            }
            remote.push(r)?;
        }
        h.aset(sym("remote"), remote)?;
        photos.push(h)?;
    }
    let by = ruby.hash_new();
    for (copies, n) in &s.by_copies {
        by.aset(*copies, *n)?;
    }
    let out = ruby.hash_new();
    out.aset(sym("photos"), photos)?;
    out.aset(sym("by_copies"), by)?;
    out.aset(sym("total"), s.photos.len())?;
    Ok(out)
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
