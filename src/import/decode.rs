//! Pictures decoded small, for the smaller-copy search and the report: a file is read
//! into memory once (every byte counted for the watchdog of a slow drive), a JPEG is
//! decoded at 1/2, 1/4 or 1/8 scale in the DCT domain (jpeg-decoder's scaled IDCT), a PNG
//! in full, and the picture is turned upright by its EXIF orientation.

use crate::library::kind::MediaKind;
use image::imageops;
use image::{GrayImage, RgbImage};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot decode the JPEG: {0}")]
    Jpeg(#[from] jpeg_decoder::Error),
    #[error("cannot decode the JPEG: {0}")]
    Zune(#[from] zune_jpeg::errors::DecodeErrors),
    #[error("cannot decode the PNG: {0}")]
    Png(#[from] image::ImageError),
    #[error("no pixels in the decoded picture")]
    Empty,
}

/// The kinds of picture decoded here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
}

impl Format {
    /// How a photo of this kind is decoded; None for a kind that is not decoded here.
    pub fn of(kind: MediaKind) -> Option<Format> {
        match kind {
            MediaKind::Jpeg => Some(Format::Jpeg),
            MediaKind::Png => Some(Format::Png),
            _ => None,
        }
    }
}

/// At most `limit` bytes of the file at `path` (all of it for `u64::MAX`), each counted
/// into `progress`.
pub fn read(path: &Path, limit: u64, progress: &AtomicU64) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    read_on(path, &mut out, limit, progress)?;
    Ok(out)
}

/// Appends to `bytes` (the file's first bytes, already read) at most `limit` more bytes
/// of the file at `path`, each counted into `progress`.
pub fn read_on(
    path: &Path,
    bytes: &mut Vec<u8>,
    limit: u64,
    progress: &AtomicU64,
) -> Result<(), DecodeError> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(bytes.len() as u64))?;
    let mut file = file.take(limit);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        progress.fetch_add(n as u64, Ordering::Relaxed);
        bytes.extend_from_slice(&buf[..n]);
    }
}

/// The picture in `bytes`, upright, in colour, decoded at the smallest DCT scale that
/// keeps `want` (stored width, height); with its full displayed size.
pub fn decode(
    bytes: &[u8],
    format: Format,
    orientation: Option<u16>,
    want: (u16, u16),
) -> Result<(RgbImage, (u32, u32)), DecodeError> {
    let (rgb, full) = match format {
        Format::Jpeg => decode_jpeg(bytes, want)?,
        Format::Png => {
            let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)?;
            let full = (img.width(), img.height());
            (img.into_rgb8(), full)
        }
    };
    if rgb.width() == 0 || rgb.height() == 0 {
        return Err(DecodeError::Empty);
    }
    let turned = matches!(orientation, Some(5..=8));
    let rgb = upright(rgb, orientation.unwrap_or(1));
    Ok((rgb, if turned { (full.1, full.0) } else { full }))
}

/// A JPEG decoded at the smallest DCT scale that keeps `want` (width, height; or all it
/// has), in colour; with its full size.
pub fn decode_jpeg(bytes: &[u8], want: (u16, u16)) -> Result<(RgbImage, (u32, u32)), DecodeError> {
    let mut d = jpeg_decoder::Decoder::new(bytes);
    d.read_info()?;
    let info = d.info().ok_or(DecodeError::Empty)?;
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
    let format = d.info().map(|i| i.pixel_format).ok_or(DecodeError::Empty)?;
    let rgb: Vec<u8> = match format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
        jpeg_decoder::PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0]])
            .collect(),
        // Adobe's CMYK JPEGs are stored inverted; the decoder hands them back as stored.
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let k = u32::from(p[3]);
                [p[0], p[1], p[2]].map(|c| (u32::from(c) * k / 255) as u8)
            })
            .collect(),
    };
    let rgb = RgbImage::from_raw(u32::from(w), u32::from(h), rgb).ok_or(DecodeError::Empty)?;
    Ok((rgb, full))
}

/// A JPEG decoded in full, straight to grey (its luma), as stored (not turned upright):
/// for small ones (an EXIF preview), which jpeg-decoder would start threads for.
pub fn small_grey(bytes: &[u8]) -> Result<GrayImage, DecodeError> {
    use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(bytes, options);
    let pixels = d.decode()?;
    let (w, h) = d.dimensions().ok_or(DecodeError::Empty)?;
    GrayImage::from_raw(w as u32, h as u32, pixels).ok_or(DecodeError::Empty)
}

/// A JPEG's frame header (SOF): where its height is written, its marker, its size.
pub struct Frame {
    height_at: usize,
    marker: u8,
    pub width: u32,
    pub height: u32,
}

/// The frame header of the JPEG whose first bytes are `head`; None past the first scan.
pub fn frame(head: &[u8]) -> Option<Frame> {
    let mut at = 2;
    while at + 9 <= head.len() {
        if head[at] != 0xFF {
            return None;
        }
        let marker = head[at + 1];
        // Fill bytes before a marker.
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([head[at + 2], head[at + 3]]));
        if crate::library::imghash::is_frame(marker) {
            let height = u16::from_be_bytes([head[at + 5], head[at + 6]]);
            let width = u16::from_be_bytes([head[at + 7], head[at + 8]]);
            return (width > 0 && height > 0).then_some(Frame {
                height_at: at + 5,
                marker,
                width: u32::from(width),
                height: u32::from(height),
            });
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + len;
    }
    None
}

/// The top `rows` rows of a baseline JPEG's picture, in grey, as stored: the frame
/// header is told the picture ends there, so the decoder stops, having read that
/// fraction of the entropy-coded data (a strip costs its share of a whole decode).
/// `rows` is rounded up to a whole row of 16-pixel blocks and the strip cut back to it.
/// None for a progressive or other JPEG, whose data is not in picture order.
pub fn top_rows(bytes: &[u8], rows: u32) -> Option<GrayImage> {
    let frame = frame(bytes)?;
    if !matches!(frame.marker, 0xC0 | 0xC1) || rows == 0 {
        return None;
    }
    let decoded = rows.div_ceil(16).saturating_mul(16);
    let mut patched = bytes.to_vec();
    if decoded < frame.height {
        let at = frame.height_at;
        patched[at..at + 2].copy_from_slice(&(decoded as u16).to_be_bytes());
    }
    let strip = small_grey(&patched).ok()?;
    let rows = rows.min(strip.height());
    (strip.width() == frame.width)
        .then(|| imageops::crop_imm(&strip, 0, 0, strip.width(), rows).to_image())
}

/// The grey picture of a colour one (ITU-R 601 weights, as the JPEG's own luma).
pub fn grey(rgb: &RgbImage) -> GrayImage {
    let px = rgb.as_raw().chunks_exact(3).map(luma).collect();
    GrayImage::from_raw(rgb.width(), rgb.height(), px).unwrap_or_default()
}

fn luma(p: &[u8]) -> u8 {
    ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
}

/// The picture as it is shown: EXIF orientation applied.
pub fn upright<P: image::Pixel + 'static>(
    img: image::ImageBuffer<P, Vec<P::Subpixel>>,
    orientation: u16,
) -> image::ImageBuffer<P, Vec<P::Subpixel>> {
    match orientation {
        2 => imageops::flip_horizontal(&img),
        3 => imageops::rotate180(&img),
        4 => imageops::flip_vertical(&img),
        5 => imageops::flip_horizontal(&imageops::rotate90(&img)),
        6 => imageops::rotate90(&img),
        7 => imageops::flip_horizontal(&imageops::rotate270(&img)),
        8 => imageops::rotate270(&img),
        _ => img,
    }
}
