//! Fingerprints for the smaller-copy search: taken from the catalog when these bytes
//! were seen before (a library photo is looked at once, not at every import), else made
//! on the import's threads, each under the watchdog (a source is an old drive that may
//! hang), and kept in the catalog by MD5. An EXIF preview that files with other image
//! data share is stale for some of them: only the largest of them, if it is larger than
//! every other, keeps its preview's fingerprint; the others are decoded. Each pair the
//! fingerprints pair up is then compared on the pictures themselves, and the two
//! pictures of each smaller copy found are kept for the report, from that one decode.

use super::decode::Format;
use super::percept;
use super::report::SmallerCopy;
use super::smaller::{self, Candidate, Kept, Seen};
use super::strips;
use super::thumbs;
use super::watch;
use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError, Percept};
use crate::library::photo::Photo;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The report's pictures of each smaller copy found, by the copy's MD5 (its byte copies
/// look the same) and the kept photo's path: the copy's, then the kept photo's, as
/// small JPEGs.
pub type Pictures = HashMap<(String, PathBuf), [Option<Vec<u8>>; 2]>;

/// What the search found: each smaller copy (by source file index), and its pictures.
#[derive(Default)]
pub struct Found {
    pub copies: Vec<(usize, SmallerCopy)>,
    pub pictures: Pictures,
}

/// The least long side at which a candidate and a kept photo are compared pixel by pixel
/// (or the copy's own, if smaller): enough to see a subject that moved.
const COMPARED_MIN: u32 = 384;

/// Which of the files that would be new (`new`: `(file index, photo)`) are smaller
/// copies of a library photo or of another of them.
pub fn smaller_copies(
    new: &[(usize, &Photo)],
    library: &[Photo],
    catalog: &mut Catalog,
    pool: &rayon::ThreadPool,
    timeout: Duration,
    cancel: &Cancel,
) -> Result<Found, CatalogError> {
    let new: Vec<(usize, &Photo)> = new.iter().copied().filter(|(_, p)| decodable(p)).collect();
    if new.is_empty() {
        return Ok(Found::default());
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
    let pictures = Mutex::new(Pictures::new());
    let from_preview = |p: &Photo| print(p).is_some_and(|print| print.preview.is_some());
    let look = |k: &Kept, c: &Candidate, identified: bool| {
        if identified {
            let (kept, copy) = ((*k.photo).clone(), (*c.photo).clone());
            let preview = from_preview(&kept);
            let seen = watch::watched(timeout, cancel, move |_, progress| {
                let strips = strips::agree(&kept, &copy, progress)?;
                let shown = strips.agree.then(|| {
                    let kept = thumbs::small(&kept, preview, progress);
                    [thumbs::picture(&strips.copy), kept]
                });
                Some((strips.agree, shown))
            });
            // A strip that cannot be decoded leaves the whole look to decide.
            if let Ok(Some((agree, shown))) = seen {
                if let (Some(shown), Some(md5)) = (shown, c.photo.md5.clone()) {
                    pictures
                        .lock()
                        .ok()?
                        .insert((md5, k.photo.path.clone()), shown);
                }
                return agree.then_some(Seen::Agrees);
            }
        }
        let size = compared_size(c.percept);
        let (a, b) = ((*k.photo).clone(), (*c.photo).clone());
        let seen = watch::watched(timeout, cancel, move |_, progress| {
            let see = |p: &Photo| {
                let format = format(p)?;
                percept::seen_at(&p.path, format, p.orientation, size, progress).ok()
            };
            let (kept, copy) = (see(&a)?, see(&b)?);
            Some((percept::alignment(&kept.0, &copy.0), kept.1, copy.1))
        });
        let (alignment, kept, copy) = seen.ok().flatten()?;
        if alignment <= smaller::ALIGN_MAX {
            let shown = [thumbs::picture(&copy), thumbs::picture(&kept)];
            let key = (c.photo.md5.clone()?, k.photo.path.clone());
            pictures.lock().ok()?.insert(key, shown);
        }
        Some(Seen::Aligned(alignment))
    };
    let copies = pool.install(|| smaller::find(kept, candidates, &look));
    let mut pictures = pictures.into_inner().unwrap_or_default();
    let by_path: HashMap<&Path, &Photo> = all.iter().map(|p| (p.path.as_path(), *p)).collect();
    let unseen = copies
        .iter()
        .filter_map(|(_, c)| {
            let (copy, kept) = (
                by_path.get(c.path.as_path())?,
                by_path.get(c.kept.as_path())?,
            );
            let key = (copy.md5.clone()?, kept.path.clone());
            (!pictures.contains_key(&key)).then_some((key, (*copy, *kept)))
        })
        .collect::<HashMap<_, _>>();
    let shown: Vec<_> = pool.install(|| {
        unseen
            .into_par_iter()
            .filter(|_| !cancel.is_cancelled())
            .map(|(key, (copy, kept))| {
                let (copy, kept) = ((*copy).clone(), ((*kept).clone(), from_preview(kept)));
                let shown = watch::watched(timeout, cancel, move |_, progress| {
                    [
                        thumbs::small(&copy, false, progress),
                        thumbs::small(&kept.0, kept.1, progress),
                    ]
                });
                (key, shown.unwrap_or_default())
            })
            .collect()
    });
    pictures.extend(shown);
    Ok(Found { copies, pictures })
}

/// The smaller copy's displayed size at the smallest of a JPEG's DCT scales (1, 1/2,
/// 1/4, 1/8) that keeps [`COMPARED_MIN`] on its long side: the copy decodes straight to
/// it, as does a kept photo twice, four or eight times its size. A copy still above
/// twice that at 1/8 is compared at [`COMPARED_MIN`].
fn compared_size(p: &Percept) -> (u32, u32) {
    let long = p.width.max(p.height).max(1);
    let mut shift = 0;
    while shift < 3 && long >> (shift + 1) >= COMPARED_MIN {
        shift += 1;
    }
    // The decoder rounds a scaled side up.
    let side = |v: u32| v.div_ceil(1 << shift).max(1);
    if long.div_ceil(1 << shift) < 2 * COMPARED_MIN {
        return (side(p.width), side(p.height));
    }
    let scale = |v: u32| ((u64::from(v) * u64::from(COMPARED_MIN)) / u64::from(long)).max(1) as u32;
    (scale(p.width), scale(p.height))
}

fn format(p: &Photo) -> Option<Format> {
    Format::of(p.kind)
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
    let made = make(&missing, false, pool, timeout, cancel);
    known.extend(made.iter().cloned());
    let redone = make(&stale_previews(photos, &known), true, pool, timeout, cancel);
    let record: Vec<(String, Percept)> = made
        .into_iter()
        .chain(redone)
        .collect::<HashMap<_, _>>()
        .into_iter()
        .collect();
    catalog.record_percepts(&record)?;
    known.extend(record);
    Ok(known)
}

/// The fingerprints of `photos` by MD5, made on the pool, each under the watchdog: from
/// the preview where the file has a usable one, or (`decoded`) from the picture.
fn make(
    photos: &[&Photo],
    decoded: bool,
    pool: &rayon::ThreadPool,
    timeout: Duration,
    cancel: &Cancel,
) -> Vec<(String, Percept)> {
    let make = match decoded {
        true => percept::percept_decoded,
        false => percept::percept,
    };
    pool.install(|| {
        photos
            .par_iter()
            .filter(|_| !cancel.is_cancelled())
            .filter_map(|p| {
                let (path, format, orientation) = (p.path.clone(), format(p)?, p.orientation);
                let print = watch::watched(timeout, cancel, move |_, progress| {
                    make(&path, format, orientation, progress)
                });
                Some((p.md5.clone()?, print.ok()?.ok()?))
            })
            .collect()
    })
}

/// The photos whose fingerprint came from a preview that a photo with other image data
/// carries too: all of each such group but its largest picture, if it is larger than
/// every other.
fn stale_previews<'a>(photos: &[&'a Photo], known: &HashMap<String, Percept>) -> Vec<&'a Photo> {
    let mut by_preview: HashMap<&[u8], Vec<(&Photo, &Percept)>> = HashMap::new();
    for p in photos {
        let print = p.md5.as_deref().and_then(|m| known.get(m));
        if let Some(print) = print {
            if let Some(preview) = print.preview.as_deref() {
                by_preview.entry(preview).or_default().push((p, print));
            }
        }
    }
    let mut stale = Vec::new();
    for mut group in by_preview.into_values() {
        let data = |p: &Photo| p.imgmd5.clone().or_else(|| p.md5.clone());
        if group.iter().all(|(p, _)| data(p) == data(group[0].0)) {
            continue;
        }
        group.sort_by_key(|(p, print)| {
            let pixels = u64::from(print.width) * u64::from(print.height);
            (std::cmp::Reverse(pixels), p.md5.clone())
        });
        group.dedup_by(|a, b| a.0.md5 == b.0.md5);
        // The largest alone may keep it (a camera original beside exports that copied its
        // EXIF block); a burst's frames of one size, each with the first's, may not.
        let pixels = |print: &Percept| u64::from(print.width) * u64::from(print.height);
        let unique = group.len() < 2 || pixels(group[0].1) > pixels(group[1].1);
        stale.extend(group.into_iter().skip(usize::from(unique)).map(|(p, _)| p));
    }
    stale.sort_by(|a, b| a.md5.cmp(&b.md5));
    stale.dedup_by(|a, b| a.md5 == b.md5);
    stale
}
