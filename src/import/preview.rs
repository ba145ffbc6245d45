//! The camera's own preview: the small JPEG (typically 160x120) most cameras store in the
//! EXIF block (IFD1), in the file's first kilobytes. Its fingerprint costs a read of the
//! head and a decode of a few kilobytes, where the picture's own costs the entropy
//! decoding of the whole file. A preview can be stale (an editor that changed the
//! pixels and kept the EXIF block, an EXIF block copied onto another picture), so it is
//! only used when its shape is the picture's, and [`super::looks`] drops it when files
//! with other image data carry the same one. It only finds candidates: every smaller-copy
//! decision is confirmed on the pictures themselves.

use super::decode;
use crate::catalog::Percept;
use crate::report::thumbnail;
use md5::{Digest, Md5};

/// How much of a file's head is read for the preview: the EXIF block is at most 64 KiB
/// and comes first; the frame header (the picture's size) follows it.
pub const HEAD: u64 = 128 * 1024;

/// The fingerprint of the JPEG whose first bytes are `head`, taken from its EXIF
/// preview; None when it has none, or one of another shape than the picture.
pub fn percept(head: &[u8], orientation: Option<u16>) -> Option<Percept> {
    let frame = decode::frame(head)?;
    let (width, height) = (frame.width, frame.height);
    let jpeg = thumbnail::from_head(head)?;
    let grey = decode::small_grey(&jpeg).ok()?;
    // A 3:2 photo's 4:3 preview has black bars; a cropped photo's kept preview does not
    // show the crop.
    if !same_shape((width, height), (grey.width(), grey.height())) {
        return None;
    }
    let grey = decode::upright(grey, orientation.unwrap_or(1));
    let displayed = match orientation {
        Some(5..=8) => (height, width),
        _ => (width, height),
    };
    let mut p = super::percept::fingerprint(&grey, displayed.0, displayed.1);
    p.preview = Some(Md5::digest(&jpeg).to_vec());
    Some(p)
}

/// The same width to height ratio, within a pixel of the preview's rounding.
fn same_shape((w, h): (u32, u32), (pw, ph): (u32, u32)) -> bool {
    let (w, h, pw, ph) = (u64::from(w), u64::from(h), u64::from(pw), u64::from(ph));
    (pw * h).abs_diff(ph * w) <= w.max(h)
}
