//! Fingerprints for the smaller-copy search: taken from the catalog when these bytes
//! were decoded before (a library photo is decoded once, not at every import), else
//! decoded on the import's threads, each under the watchdog (a source is an old drive
//! that may hang), and kept in the catalog by MD5.

use super::percept::{self, Format};
use super::report::SmallerCopy;
use super::smaller::{self, Candidate, Kept};
use super::watch;
use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError, Percept};
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use rayon::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

/// The long side at which a candidate and a kept photo are compared pixel by pixel:
/// enough to see a subject that moved, little to decode.
const COMPARED_MAX: u32 = 384;

/// Which of the files that would be new (`new`: `(file index, photo)`) are smaller
/// copies of a library photo or of another of them.
pub fn smaller_copies(
    new: &[(usize, &Photo)],
    library: &[Photo],
    catalog: &mut Catalog,
    pool: &rayon::ThreadPool,
    timeout: Duration,
    cancel: &Cancel,
) -> Result<Vec<(usize, SmallerCopy)>, CatalogError> {
    let new: Vec<(usize, &Photo)> = new.iter().copied().filter(|(_, p)| decodable(p)).collect();
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let library: Vec<&Photo> = library.iter().filter(|p| decodable(p)).collect();
    let all: Vec<&Photo> = library
        .iter()
        .copied()
        .chain(new.iter().map(|n| n.1))
        .collect();
    let prints = fingerprints(&all, catalog, pool, timeout, cancel)?;
    let print = |p: &Photo| p.md5.as_deref().and_then(|m| prints.get(m));
    let kept = library
        .iter()
        .filter_map(|p| {
            print(p).map(|percept| Kept {
                photo: p,
                percept,
                in_library: true,
            })
        })
        .collect();
    let candidates = new
        .iter()
        .filter_map(|&(file, photo)| {
            print(photo).map(|percept| Candidate {
                file,
                photo,
                percept,
            })
        })
        .collect();
    let look = |k: &Kept, c: &Candidate| {
        let size = compared_size(c.percept);
        let (a, b) = ((*k.photo).clone(), (*c.photo).clone());
        let seen = watch::watched(timeout, cancel, move |_, progress| {
            let see = |p: &Photo| {
                let format = format(p)?;
                percept::seen_at(&p.path, format, p.orientation, size, progress).ok()
            };
            Some(percept::alignment(&see(&a)?, &see(&b)?))
        });
        seen.ok().flatten()
    };
    Ok(pool.install(|| smaller::find(kept, candidates, &look)))
}

/// The smaller copy's displayed size, at most [`COMPARED_MAX`] on its long side.
fn compared_size(p: &Percept) -> (u32, u32) {
    let long = p.width.max(p.height).max(1);
    if long <= COMPARED_MAX {
        return (p.width.max(1), p.height.max(1));
    }
    let scale = |v: u32| ((u64::from(v) * u64::from(COMPARED_MAX)) / u64::from(long)).max(1) as u32;
    (scale(p.width), scale(p.height))
}

fn format(p: &Photo) -> Option<Format> {
    match p.kind {
        MediaKind::Jpeg => Some(Format::Jpeg),
        MediaKind::Png => Some(Format::Png),
        _ => None,
    }
}

fn decodable(p: &Photo) -> bool {
    format(p).is_some() && p.md5.is_some() && p.damaged.is_none()
}

/// The fingerprint of each photo, by MD5. A file that cannot be decoded has none: it
/// is then nobody's smaller copy and stays a photo of its own.
fn fingerprints(
    photos: &[&Photo],
    catalog: &mut Catalog,
    pool: &rayon::ThreadPool,
    timeout: Duration,
    cancel: &Cancel,
) -> Result<HashMap<String, Percept>, CatalogError> {
    let md5s: Vec<&str> = photos.iter().filter_map(|p| p.md5.as_deref()).collect();
    let mut known = catalog.percepts(&md5s)?;
    let mut missing: Vec<&Photo> = photos
        .iter()
        .copied()
        .filter(|p| p.md5.as_deref().is_some_and(|m| !known.contains_key(m)))
        .collect();
    missing.dedup_by(|a, b| a.md5 == b.md5);
    let made: Vec<(String, Percept)> = pool.install(|| {
        missing
            .par_iter()
            .filter(|_| !cancel.is_cancelled())
            .filter_map(|p| {
                let (path, format, orientation) = (p.path.clone(), format(p)?, p.orientation);
                let print = watch::watched(timeout, cancel, move |_, progress| {
                    percept::percept(&path, format, orientation, progress)
                });
                Some((p.md5.clone()?, print.ok()?.ok()?))
            })
            .collect()
    });
    catalog.record_percepts(&made)?;
    known.extend(made);
    Ok(known)
}
