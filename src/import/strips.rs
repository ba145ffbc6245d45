//! The cheap look at a pair whose EXIF identifies the shot ([`super::smaller`]): the top
//! eighth of the kept photo, decoded alone (the decoder stops there), against the same
//! part of the copy. A stale preview, or an EXIF block copied onto another picture,
//! cannot pass it: the kept file's own pixels are compared, not its metadata. It is
//! coarse on purpose (a 64-pixel-wide grid): the capture time to the hundredth already
//! told a burst's frames apart, the strip only has to show the same scene.

use super::decode;
use super::percept::grid_difference;
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use image::imageops::{self, FilterType};
use image::GrayImage;
use std::sync::atomic::AtomicU64;

/// The width of the grid the strips are compared on.
const GRID_WIDTH: u32 = 64;
/// Largest mean difference (0-255, brightness evened out) of the strips' grids: an
/// export recompressed down to JPEG quality 50 stays under 3 on the fixtures, another
/// scene is far above.
const STRIP_MAX: f64 = 10.0;

/// Whether the top strips of `kept` and `copy` show the same; None when either cannot
/// be cut that way (not a baseline JPEG, turned differently, unreadable): the whole
/// look decides then. Every byte read is counted into `progress`.
pub fn agree(kept: &Photo, copy: &Photo, progress: &AtomicU64) -> Option<bool> {
    let turn = |p: &Photo| p.orientation.unwrap_or(1);
    if kept.kind != MediaKind::Jpeg || turn(kept) != turn(copy) {
        return None;
    }
    let big = decode::read(&kept.path, u64::MAX, progress).ok()?;
    let big_frame = decode::frame(&big)?;
    let big_rows = (big_frame.height / 8).max(16);
    let big_strip = decode::top_rows(&big, big_rows)?;
    let small = decode::read(&copy.path, u64::MAX, progress).ok()?;
    let (w, h) = size(copy, &small)?;
    let rows = ((u64::from(h) * u64::from(big_rows)) / u64::from(big_frame.height)).max(1) as u32;
    let small_strip = strip(&small, rows)?;
    if small_strip.width() != w || big_strip.width() != big_frame.width {
        return None;
    }
    let grid_rows = ((GRID_WIDTH * rows) / w).max(2);
    let grid = |g: &GrayImage| imageops::resize(g, GRID_WIDTH, grid_rows, FilterType::Triangle);
    let difference = grid_difference(grid(&big_strip).as_raw(), grid(&small_strip).as_raw());
    Some(difference <= STRIP_MAX)
}

/// The stored size of the copy.
fn size(copy: &Photo, bytes: &[u8]) -> Option<(u32, u32)> {
    match copy.kind {
        MediaKind::Jpeg => decode::frame(bytes).map(|f| (f.width, f.height)),
        _ => None,
    }
}

/// The top `rows` rows of the copy, as stored: cut alone from a baseline JPEG, else
/// from the whole picture (an export may be progressive; it is small).
fn strip(bytes: &[u8], rows: u32) -> Option<GrayImage> {
    if let Some(strip) = decode::top_rows(bytes, rows) {
        return Some(strip);
    }
    let (rgb, _) = decode::decode_jpeg(bytes, (u16::MAX, u16::MAX)).ok()?;
    let grey = decode::grey(&rgb);
    Some(imageops::crop_imm(&grey, 0, 0, grey.width(), rows.min(grey.height())).to_image())
}
