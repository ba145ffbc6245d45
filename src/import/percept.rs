//! What a picture looks like, small: the fingerprint by which a resized or recompressed
//! export is recognised as a smaller copy of a photo ([`super::smaller`]). It is taken
//! from a JPEG's EXIF preview where that is usable ([`super::preview`]), else from the
//! picture decoded small ([`super::decode`]), upright, so that an export rotated for good
//! and its camera original compare. The fingerprint holds the displayed size, a 256-bit
//! gradient hash (`image_hasher`: close hashes find candidates fast) and a 32x32 grey
//! grid (the pixels themselves, to tell a smaller copy from a burst's next frame).

pub use super::decode::Format;
use super::decode::{self, DecodeError};
use super::preview;
use crate::catalog::Percept;
use image::imageops::{self, FilterType};
use image::{GrayImage, RgbImage};
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// The side of the grey grid kept for the pixel comparison.
pub const GRID: u32 = 32;
/// The smallest side a scaled decode keeps: enough for the grid and the hash.
const DECODE_MIN: u16 = 128;

#[derive(Debug, thiserror::Error)]
pub enum PerceptError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// The fingerprint of the picture at `path`: from a JPEG's EXIF preview when it has a
/// usable one, else from the picture. `orientation`: its EXIF orientation (1-8). Every
/// byte read is added to `progress` (the watchdog's view of a slow drive).
pub fn percept(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    progress: &AtomicU64,
) -> Result<Percept, PerceptError> {
    let mut bytes = Vec::new();
    if format == Format::Jpeg {
        bytes = decode::read(path, preview::HEAD, progress)?;
        if let Some(p) = preview::percept(&bytes, orientation) {
            return Ok(p);
        }
    }
    // The head read for the preview is kept: only the rest of the file is read.
    if bytes.is_empty() || bytes.len() as u64 == preview::HEAD {
        decode::read_on(path, &mut bytes, u64::MAX, progress)?;
    }
    decoded(&bytes, format, orientation)
}

/// The fingerprint of the picture at `path` itself, never of its preview.
pub fn percept_decoded(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    progress: &AtomicU64,
) -> Result<Percept, PerceptError> {
    let bytes = decode::read(path, u64::MAX, progress)?;
    decoded(&bytes, format, orientation)
}

fn decoded(
    bytes: &[u8],
    format: Format,
    orientation: Option<u16>,
) -> Result<Percept, PerceptError> {
    let want = (DECODE_MIN, DECODE_MIN);
    let (rgb, (width, height)) = decode::decode(bytes, format, orientation, want)?;
    Ok(fingerprint(&decode::grey(&rgb), width, height))
}

/// The picture upright, in colour as decoded (at least `width` x `height`, its
/// displayed size, where the file has that many pixels), and in grey brought to exactly
/// that size: a larger photo seen at a smaller copy's size, or the copy itself.
pub fn seen_at(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    (width, height): (u32, u32),
    progress: &AtomicU64,
) -> Result<(GrayImage, RgbImage), PerceptError> {
    let side = |v: u32| v.clamp(1, u32::from(u16::MAX)) as u16;
    // The decoder's sides are the stored ones: a turned photo's are swapped.
    let want = match orientation {
        Some(5..=8) => (side(height), side(width)),
        _ => (side(width), side(height)),
    };
    let bytes = decode::read(path, u64::MAX, progress)?;
    let (rgb, _) = decode::decode(&bytes, format, orientation, want)?;
    let grey = decode::grey(&rgb);
    if (grey.width(), grey.height()) == (width, height) {
        return Ok((grey, rgb));
    }
    Ok((
        imageops::resize(&grey, width, height, FilterType::Triangle),
        rgb,
    ))
}

/// The fingerprint of an upright grey picture whose full size is `width` x `height`.
pub fn fingerprint(grey: &GrayImage, width: u32, height: u32) -> Percept {
    let hasher = image_hasher::HasherConfig::new()
        .hash_size(16, 16)
        .hash_alg(image_hasher::HashAlg::Gradient)
        .resize_filter(FilterType::Triangle)
        .to_hasher();
    let hash = hasher.hash_image(grey).as_bytes().to_vec();
    let grid = imageops::resize(grey, GRID, GRID, FilterType::Triangle).into_raw();
    Percept {
        width,
        height,
        hash,
        grid,
        preview: None,
    }
}

/// Hamming distance of two hashes, in bits.
pub fn hash_distance(a: &[u8], b: &[u8]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

/// Mean absolute difference of two grids (0-255), once both are brought to the same
/// mean brightness: an export's tone curve is not a different picture.
pub fn grid_difference(a: &[u8], b: &[u8]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return f64::MAX;
    }
    let mean = |g: &[u8]| g.iter().map(|&v| f64::from(v)).sum::<f64>() / g.len() as f64;
    let shift = mean(a) - mean(b);
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y) - shift).abs())
        .sum::<f64>()
        / a.len() as f64
}

/// How much better two same-sized pictures agree as they are than moved one pixel
/// against each other: the mean difference in place over the least of the four
/// one-pixel moves (each over the overlap). Near 0 for a copy, whose every edge sits
/// where the original's does; near or above 1 for a frame whose scene moved.
pub fn alignment(a: &GrayImage, b: &GrayImage) -> f64 {
    let here = moved_difference(a, b, 0, 0);
    let moved = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        .into_iter()
        .map(|(dx, dy)| moved_difference(a, b, dx, dy))
        .fold(f64::MAX, f64::min);
    if moved <= 0.0 {
        return if here <= 0.0 { 0.0 } else { f64::MAX };
    }
    here / moved
}

/// Mean absolute difference of `a` and `b` moved by `dx`, `dy`, over their overlap,
/// with the mean brightness evened out.
fn moved_difference(a: &GrayImage, b: &GrayImage, dx: i64, dy: i64) -> f64 {
    let (w, h) = (a.width() as usize, a.height() as usize);
    if (a.width(), a.height()) != (b.width(), b.height()) || w <= 2 || h <= 2 {
        return f64::MAX;
    }
    // Row by row over the inner pixels, so that `b`'s moved row is one slice too.
    let rows = || {
        (1..h - 1).map(move |y| {
            let from = y * w + 1;
            let moved = (y as i64 + dy) as usize * w + (1 + dx) as usize;
            (
                &a.as_raw()[from..from + w - 2],
                &b.as_raw()[moved..moved + w - 2],
            )
        })
    };
    let n = ((w - 2) * (h - 2)) as f64;
    let sum: i64 = rows()
        .map(|(p, q)| {
            p.iter()
                .zip(q)
                .map(|(&p, &q)| i64::from(p) - i64::from(q))
                .sum::<i64>()
        })
        .sum();
    let shift = sum as f64 / n;
    let total: f64 = rows()
        .map(|(p, q)| {
            p.iter()
                .zip(q)
                .map(|(&p, &q)| (f64::from(p) - f64::from(q) - shift).abs())
                .sum::<f64>()
        })
        .sum();
    total / n
}
