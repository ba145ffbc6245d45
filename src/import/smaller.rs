//! Smaller copies: a resized or recompressed export of a photo the library keeps (or
//! this run imports) is that photo, not a new one. A file is a smaller copy of a kept
//! photo when every test holds: the kept one has strictly more pixels; both have the
//! same displayed aspect ratio (within the rounding of a resize); their gradient hashes
//! and 32x32 grey grids are close; where both carry EXIF, the same camera and the same
//! capture time (to the sub-second); and, seen at the smaller one's own size, every
//! edge of one sits where the other's does (a burst's next frame, moved by even a
//! pixel there, fails this). That last look decodes both pictures, the original's
//! whole entropy-coded stream included, which costs many times the file's MD5: when the
//! EXIF identifies the shot (see [`identified`]) only the top strip of each is
//! decoded and compared. The tests err
//! towards keeping: a copy taken for a new photo is only a duplicate in the library,
//! but a photo taken for a copy would be lost. Two files of the same size are never
//! matched here (a burst's frames are the same size), nor is a file matched to a kept
//! photo that is itself a smaller copy: the largest form is what is kept.

use super::percept::{grid_difference, hash_distance};
use super::report::SmallerCopy;
use crate::catalog::Percept;
use crate::dates::DateSource;
use crate::library::photo::Photo;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Most bits of the 256-bit hashes that may differ: resizes and recompressions change
/// a handful; a different scene changes about half.
const HASH_MAX: u32 = 40;
/// Largest mean difference of the 32x32 grids (0-255, brightness evened out) for a pair
/// worth a closer look.
const GRID_MAX: f64 = 10.0;
/// Largest [`super::percept::alignment`] at the smaller copy's own size (the larger
/// photo brought to it): a resize and recompression down to JPEG quality 50 stay below
/// 0.75 on the fixtures, a frame whose scene moved by a pixel there is near 1 or above.
pub const ALIGN_MAX: f64 = 0.8;

/// What a look at a pair saw.
pub enum Seen {
    /// The alignment of the whole pictures ([`super::percept::alignment`]).
    Aligned(f64),
    /// The top strips of both show the same (a look for an identified shot).
    Agrees,
}

/// A photo that stays: one of the library's, or a source file this run imports.
pub struct Kept<'a> {
    pub photo: &'a Photo,
    pub percept: &'a Percept,
    pub in_library: bool,
}

/// A new source file that may be a smaller copy.
pub struct Candidate<'a> {
    pub file: usize,
    pub photo: &'a Photo,
    pub percept: &'a Percept,
}

/// Which candidates are smaller copies, and of what. Largest first, so that a
/// candidate not matched becomes a kept photo the smaller ones are compared with.
/// `look(kept, candidate, identified)` compares the pictures: at the candidate's size
/// ([`Seen::Aligned`]), or, when the EXIF identifies the shot, by the top strip of each
/// ([`Seen::Agrees`]); None when they could not be read or differ. The looks, which
/// decode files, are taken in parallel beforehand, for every pair that passes the cheap
/// tests.
pub fn find<'a>(
    kept: Vec<Kept<'a>>,
    mut candidates: Vec<Candidate<'a>>,
    look: &(dyn Fn(&Kept, &Candidate, bool) -> Option<Seen> + Sync),
) -> Vec<(usize, SmallerCopy)> {
    candidates.sort_by_key(|c| (std::cmp::Reverse(pixels(c.percept)), c.file));
    let library = kept.len();
    let everyone: Vec<Kept> = kept
        .into_iter()
        .chain(candidates.iter().map(|c| Kept {
            photo: c.photo,
            percept: c.percept,
            in_library: false,
        }))
        .collect();
    // Candidate `ci` may be a copy of the library's photos and of larger candidates.
    let pairs: Vec<(usize, usize)> = candidates
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| {
            everyone[..library + ci]
                .iter()
                .enumerate()
                .filter(move |(_, k)| pixels(k.percept) > pixels(c.percept) && looks_alike(k, c))
                .map(move |(ki, _)| (ci, ki))
        })
        .collect();
    let shared = shared_shots(&everyone);
    let looked: HashMap<(usize, usize), Option<f64>> = pairs
        .par_iter()
        .filter_map(|&(ci, ki)| {
            let (k, c) = (&everyone[ki], &candidates[ci]);
            match look(k, c, identified(k.photo, c.photo, &shared))? {
                Seen::Aligned(d) => (d <= ALIGN_MAX).then_some(((ci, ki), Some(d))),
                Seen::Agrees => Some(((ci, ki), None)),
            }
        })
        .collect();
    let mut stays = vec![true; everyone.len()];
    let mut out = Vec::new();
    for (ci, c) in candidates.iter().enumerate() {
        let best = (0..library + ci)
            .filter(|&ki| stays[ki])
            .filter_map(|ki| looked.get(&(ci, ki)).map(|&d| (d, ki)))
            .min_by(|a, b| a.0.unwrap_or(0.0).total_cmp(&b.0.unwrap_or(0.0)));
        if let Some((difference, ki)) = best {
            let k = &everyone[ki];
            stays[library + ci] = false;
            out.push((
                c.file,
                SmallerCopy {
                    path: c.photo.path.clone(),
                    kept: k.photo.path.clone(),
                    kept_in_library: k.in_library,
                    size: [c.percept.width, c.percept.height],
                    kept_size: [k.percept.width, k.percept.height],
                    difference: difference.map(|d| (d * 100.0).round() / 100.0),
                    imported: false,
                },
            ));
        }
    }
    out
}

/// The cheap tests, from the fingerprints and EXIF alone.
fn looks_alike(k: &Kept, c: &Candidate) -> bool {
    let (kp, cp) = (k.percept, c.percept);
    same_aspect(kp, cp)
        && hash_distance(&kp.hash, &cp.hash) <= HASH_MAX
        && exif_agrees(k.photo, c.photo)
        && grid_difference(&kp.grid, &cp.grid) <= GRID_MAX
}

fn pixels(p: &Percept) -> u64 {
    u64::from(p.width) * u64::from(p.height)
}

/// The same width to height ratio, allowing the smaller one a pixel of rounding on each
/// side and half a percent more (some exporters trim an edge).
fn same_aspect(big: &Percept, small: &Percept) -> bool {
    let (bw, bh) = (i128::from(big.width), i128::from(big.height));
    let (sw, sh) = (i128::from(small.width), i128::from(small.height));
    let skew = (sw * bh - sh * bw).abs();
    skew <= bw + bh + (sw * bh) / 200
}

/// Where both files say which camera took them and when, they say the same.
fn exif_agrees(a: &Photo, b: &Photo) -> bool {
    let same = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        _ => true,
    };
    let exif_date = |p: &Photo| p.taken.source == DateSource::ExifOriginal;
    let dates = !(exif_date(a) && exif_date(b)) || a.taken.local == b.taken.local;
    same(&a.make, &b.make) && same(&a.model, &b.model) && dates
}

/// A camera and a capture time to the hundredth of a second: one shot, as far as EXIF
/// can tell.
type Shot = (String, String, chrono::NaiveDateTime);

fn shot(p: &Photo) -> Option<Shot> {
    let name = |v: &Option<String>| Some(v.as_deref()?.trim().to_ascii_lowercase());
    // A hundredth that is not zero: the camera wrote at least two sub-second digits,
    // which tell a burst's frames apart (a "5" or "50" may be a tenth, shared by two).
    let hundredths = p.taken.local.and_utc().timestamp_subsec_millis() % 100 >= 10;
    (p.taken.source == DateSource::ExifOriginal && hundredths)
        .then(|| Some((name(&p.make)?, name(&p.model)?, p.taken.local)))
        .flatten()
}

/// The shots two pictures of one size but other image data both claim: a camera that
/// writes the same sub-second for every frame, or an EXIF block copied onto a burst.
/// Their capture time identifies nothing.
fn shared_shots(everyone: &[Kept]) -> HashSet<Shot> {
    let mut seen: HashMap<(Shot, u32, u32), Option<&str>> = HashMap::new();
    let mut shared = HashSet::new();
    for k in everyone {
        let Some(s) = shot(k.photo) else { continue };
        let data = k.photo.imgmd5.as_deref().or(k.photo.md5.as_deref());
        let key = (s, k.percept.width, k.percept.height);
        match seen.get(&key) {
            Some(other) if *other != data => {
                shared.insert(key.0.clone());
            }
            Some(_) => {}
            None => {
                seen.insert(key, data);
            }
        }
    }
    shared
}

/// Whether the EXIF of both says they are one shot, so that the whole-picture look is
/// not needed: the same camera and the same capture time to the hundredth of a second,
/// which no second picture of one size claims. The cheap tests have already held (the
/// fingerprints alike, the kept one larger). Cameras that write sub-seconds give each
/// frame of a burst its own; exporters (Lightroom, Photos, ImageMagick, exiftool) copy
/// them. The fingerprint may be a stale preview's, and the EXIF block copied with it:
/// the top strip of both pictures is still compared.
fn identified(kept: &Photo, copy: &Photo, shared: &HashSet<Shot>) -> bool {
    match (shot(kept), shot(copy)) {
        (Some(a), Some(b)) => a == b && !shared.contains(&a),
        _ => false,
    }
}
