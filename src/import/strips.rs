//! The cheap look at a pair whose EXIF identifies the shot ([`super::smaller`]): the top
//! eighth of the kept photo, decoded alone (the decoder stops there), against the same
//! part of the copy. A stale preview, or an EXIF block copied onto another picture,
//! cannot pass it: the kept file's own pixels are compared, not its metadata. It is
//! coarse on purpose (a 64-pixel-wide grid): the capture time to the hundredth already
//! told a burst's frames apart, the strip only has to show the same scene.

use super::decode::{self, Format};
use super::percept::grid_difference;
use super::thumbs::SIDE;
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use image::imageops::{self, FilterType};
use image::{GrayImage, RgbImage};
use std::sync::atomic::AtomicU64;

/// The width of the grid the strips are compared on.
const GRID_WIDTH: u32 = 64;
/// Largest mean difference (0-255, brightness evened out) of the strips' grids, as the
/// fingerprints' grids allow: the tests' exports (quality 50 to 85) pass, another
/// picture given the original's EXIF block does not (`tests/import_smaller.rs`).
const STRIP_MAX: f64 = 10.0;

/// What the strips showed, and the copy in colour, upright, small (its one decode
/// serves both the strip and the report's picture).
pub struct Strips {
    pub agree: bool,
    pub copy: RgbImage,
}

/// Whether the top strips of `kept` and `copy` show the same; None when they cannot be
/// cut that way (the kept photo not a baseline JPEG, the two turned differently, a
/// file unreadable): the whole look decides then. Every byte read is counted into
/// `progress`.
pub fn agree(kept: &Photo, copy: &Photo, progress: &AtomicU64) -> Option<Strips> {
    let turn = |p: &Photo| p.orientation.unwrap_or(1);
    let format = Format::of(copy.kind)?;
    if kept.kind != MediaKind::Jpeg || turn(kept) != turn(copy) {
        return None;
    }
    let big = decode::read(&kept.path, u64::MAX, progress).ok()?;
    let frame = decode::frame(&big)?;
    let big_rows = (frame.height / 8).max(16);
    let big_strip = decode::top_rows(&big, big_rows)?;
    let small = decode::read(&copy.path, u64::MAX, progress).ok()?;
    // As stored, like the kept photo's strip; at the least DCT scale that keeps half the
    // report picture's side, so that it mostly needs no resize (a filtered resize costs
    // more than this decode) and jpeg-decoder starts no threads (128 pixels or less).
    let side = (SIDE / 2) as u16;
    let (rgb, _) = decode::decode(&small, format, None, (side, side)).ok()?;
    let grey = decode::grey(&rgb);
    let rows = (u64::from(grey.height()) * u64::from(big_rows)).div_ceil(u64::from(frame.height));
    let rows = (rows as u32).clamp(1, grey.height());
    let small_strip = imageops::crop_imm(&grey, 0, 0, grey.width(), rows).to_image();
    let grid_rows = ((GRID_WIDTH * rows) / grey.width().max(1)).max(2);
    let grid = |g: &GrayImage| imageops::resize(g, GRID_WIDTH, grid_rows, FilterType::Triangle);
    let difference = grid_difference(grid(&big_strip).as_raw(), grid(&small_strip).as_raw());
    Some(Strips {
        agree: difference <= STRIP_MAX,
        copy: decode::upright(rgb, turn(copy)),
    })
}
