//! What a picture looks like, small: the fingerprint by which a resized or recompressed
//! export is recognised as a smaller copy of a photo ([`super::smaller`]). A JPEG is
//! decoded at 1/2, 1/4 or 1/8 scale in the DCT domain (jpeg-decoder's scaled IDCT, so a
//! 24-megapixel original costs its entropy decoding and little else), a PNG in full; the
//! picture is turned upright by its EXIF orientation, so that an export rotated for good
//! and its camera original compare. The fingerprint holds the displayed size, a 256-bit
//! gradient hash (`image_hasher`: close hashes find candidates fast) and a 32x32 grey
//! grid (the pixels themselves, to tell a smaller copy from a burst's next frame).

use crate::catalog::Percept;
use image::imageops::{self, FilterType};
use image::GrayImage;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The side of the grey grid kept for the pixel comparison.
pub const GRID: u32 = 32;
/// The smallest side a scaled decode keeps: enough for the grid and the hash.
const DECODE_MIN: u16 = 128;

#[derive(Debug, thiserror::Error)]
pub enum PerceptError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot decode the JPEG: {0}")]
    Jpeg(#[from] jpeg_decoder::Error),
    #[error("cannot decode the PNG: {0}")]
    Png(#[from] image::ImageError),
    #[error("no pixels in the decoded picture")]
    Empty,
}

/// Whose pictures get a fingerprint: the kinds decoded here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
}

/// The fingerprint of the picture at `path`. `orientation`: its EXIF orientation (1-8).
/// Every byte read is added to `progress` (the watchdog's view of a slow drive).
pub fn percept(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    progress: &AtomicU64,
) -> Result<Percept, PerceptError> {
    let want = (DECODE_MIN, DECODE_MIN);
    let (grey, (width, height)) = decode(path, format, orientation, want, progress)?;
    Ok(fingerprint(&grey, width, height))
}

/// The picture upright, in grey, brought to exactly `width` x `height` (displayed
/// size): a larger photo seen at a smaller copy's size, or the copy itself.
pub fn seen_at(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    (width, height): (u32, u32),
    progress: &AtomicU64,
) -> Result<GrayImage, PerceptError> {
    let side = |v: u32| v.clamp(1, u32::from(u16::MAX)) as u16;
    // The decoder's sides are the stored ones: a turned photo's are swapped.
    let want = match orientation {
        Some(5..=8) => (side(height), side(width)),
        _ => (side(width), side(height)),
    };
    let (grey, _) = decode(path, format, orientation, want, progress)?;
    if (grey.width(), grey.height()) == (width, height) {
        return Ok(grey);
    }
    Ok(imageops::resize(&grey, width, height, FilterType::Triangle))
}

/// The picture upright, in grey, decoded at the smallest DCT scale that keeps `want`
/// (stored width, height); with its full displayed size.
fn decode(
    path: &Path,
    format: Format,
    orientation: Option<u16>,
    want: (u16, u16),
    progress: &AtomicU64,
) -> Result<(GrayImage, (u32, u32)), PerceptError> {
    let reader = BufReader::with_capacity(
        256 * 1024,
        Counted {
            inner: File::open(path)?,
            progress,
        },
    );
    let (grey, full) = match format {
        Format::Jpeg => decode_jpeg(reader, want)?,
        Format::Png => {
            let img = image::load(reader, image::ImageFormat::Png)?;
            let full = (img.width(), img.height());
            (img.into_luma8(), full)
        }
    };
    if grey.width() == 0 || grey.height() == 0 {
        return Err(PerceptError::Empty);
    }
    let turned = matches!(orientation, Some(5..=8));
    let grey = upright(grey, orientation.unwrap_or(1));
    Ok((grey, if turned { (full.1, full.0) } else { full }))
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
    }
}

/// A JPEG decoded at the smallest DCT scale that keeps `want` (width, height; or all it
/// has), in grey; with its full size.
fn decode_jpeg(
    reader: impl Read,
    want: (u16, u16),
) -> Result<(GrayImage, (u32, u32)), PerceptError> {
    let mut d = jpeg_decoder::Decoder::new(reader);
    d.read_info()?;
    let info = d.info().ok_or(PerceptError::Empty)?;
    let full = (u32::from(info.width), u32::from(info.height));
    // The decoder keeps the requested size on one side at least (a side asked for
    // u16::MAX never counts): take the larger of the scales that keep each side.
    let by_width = d.scale(want.0, u16::MAX)?;
    let by_height = d.scale(u16::MAX, want.1)?;
    let (w, h) = match by_width.0 > by_height.0 {
        true => d.scale(want.0, u16::MAX)?,
        false => by_height,
    };
    let pixels = d.decode()?;
    let format = d
        .info()
        .map(|i| i.pixel_format)
        .ok_or(PerceptError::Empty)?;
    let grey: Vec<u8> = match format {
        jpeg_decoder::PixelFormat::L8 => pixels,
        jpeg_decoder::PixelFormat::L16 => pixels.chunks_exact(2).map(|p| p[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => pixels.chunks_exact(3).map(luma).collect(),
        // Adobe's CMYK JPEGs are stored inverted; the decoder hands them back as stored.
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .map(|p| {
                let k = u32::from(p[3]);
                let rgb = [p[0], p[1], p[2]].map(|c| (u32::from(c) * k / 255) as u8);
                luma(&rgb)
            })
            .collect(),
    };
    let grey = GrayImage::from_raw(u32::from(w), u32::from(h), grey).ok_or(PerceptError::Empty)?;
    Ok((grey, full))
}

fn luma(p: &[u8]) -> u8 {
    ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
}

/// The picture as it is shown: EXIF orientation applied.
fn upright(grey: GrayImage, orientation: u16) -> GrayImage {
    match orientation {
        2 => imageops::flip_horizontal(&grey),
        3 => imageops::rotate180(&grey),
        4 => imageops::flip_vertical(&grey),
        5 => imageops::flip_horizontal(&imageops::rotate90(&grey)),
        6 => imageops::rotate90(&grey),
        7 => imageops::flip_horizontal(&imageops::rotate270(&grey)),
        8 => imageops::rotate270(&grey),
        _ => grey,
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

/// A reader that tells the watchdog it moves.
struct Counted<'a> {
    inner: File,
    progress: &'a AtomicU64,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for Counted<'_> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
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
    let (w, h) = (i64::from(a.width()), i64::from(a.height()));
    if (a.width(), a.height()) != (b.width(), b.height()) || w <= 2 || h <= 2 {
        return f64::MAX;
    }
    let mut pairs = Vec::with_capacity((w * h) as usize);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = a.get_pixel(x as u32, y as u32)[0];
            let q = b.get_pixel((x + dx) as u32, (y + dy) as u32)[0];
            pairs.push((f64::from(p), f64::from(q)));
        }
    }
    let n = pairs.len() as f64;
    let shift = pairs.iter().map(|(p, q)| p - q).sum::<f64>() / n;
    pairs
        .iter()
        .map(|(p, q)| (p - q - shift).abs())
        .sum::<f64>()
        / n
}
