//! The inventory kept for the HTML report: each source's counts, and each smaller-copy
//! decision with a small colour picture of both sides, made now, while the old drive is
//! mounted (the report may be written after it is gone).

use super::decode::{self, Format};
use super::looks::Pictures;
use super::report::{ImportReport, SmallerCopy};
use crate::catalog::{Catalog, CatalogError, SmallerShown, SourceInventory};
use crate::library::photo::Photo;
use image::imageops;
use image::RgbImage;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

/// The longest side of a picture in the report.
pub const SIDE: u32 = 160;

/// Records the inventory of every source of `report`. `pictures`: those the search made
/// as it compared each pair; `photos`: what is known of each file by path (its kind and
/// orientation), for any other picture.
pub fn record(
    catalog: &mut Catalog,
    report: &ImportReport,
    pictures: &Pictures,
    photos: &HashMap<&Path, &Photo>,
) -> Result<(), CatalogError> {
    // A picture not made by the search is a decode: made on every core.
    let all: Vec<SmallerShown> = report
        .smaller
        .par_iter()
        .map(|c| shown(c, pictures, photos))
        .collect();
    for s in &report.sources {
        let counts = match serde_json::to_value(s) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.as_u64()?)))
                .filter(|(k, _)| k != "bytes")
                .collect(),
            _ => Vec::new(),
        };
        let smaller = all
            .iter()
            .filter(|c| c.path.starts_with(&s.source))
            .cloned()
            .collect();
        catalog.record_inventory(&SourceInventory {
            source: s.source.clone(),
            library: report.library.clone(),
            run_at: 0,
            dry_run: report.dry_run,
            counts,
            smaller,
        })?;
    }
    Ok(())
}

fn shown(c: &SmallerCopy, pictures: &Pictures, photos: &HashMap<&Path, &Photo>) -> SmallerShown {
    let md5 = photos.get(c.path.as_path()).and_then(|p| p.md5.clone());
    let made = md5.and_then(|m| pictures.get(&(m, c.kept.clone())));
    let picture = |p: &PathBuf, side: usize| {
        made.and_then(|m| m[side].clone())
            .or_else(|| photos.get(p.as_path()).and_then(|photo| thumbnail(photo)))
    };
    let size = |s: [u32; 2]| format!("{}x{}", s[0], s[1]);
    SmallerShown {
        path: c.path.clone(),
        kept: c.kept.clone(),
        kept_in_library: c.kept_in_library,
        size: size(c.size),
        kept_size: size(c.kept_size),
        imported: c.imported,
        thumb: picture(&c.path, 0),
        kept_thumb: picture(&c.kept, 1),
    }
}

/// The photo upright, at most [`SIDE`] pixels on its long side, as a JPEG.
fn thumbnail(p: &Photo) -> Option<Vec<u8>> {
    small(p, false, &AtomicU64::new(0))
}

/// The photo upright, at most [`SIDE`] pixels on its long side, as a JPEG: decoded at
/// the least DCT scale that keeps that, or (`preview`: its fingerprint came from it, so
/// it is the picture the decision saw) its camera's EXIF preview, which costs no
/// decode of the picture. Every byte read is counted into `progress`.
pub fn small(p: &Photo, preview: bool, progress: &AtomicU64) -> Option<Vec<u8>> {
    let format = Format::of(p.kind)?;
    let shown = |bytes: &[u8], format| {
        let want = (SIDE as u16, SIDE as u16); // the long side keeps SIDE
        let (rgb, _) = decode::decode(bytes, format, p.orientation, want).ok()?;
        picture(&rgb)
    };
    if preview && format == Format::Jpeg {
        let head = decode::read(&p.path, super::preview::HEAD, progress).ok()?;
        if let Some(jpeg) = crate::report::thumbnail::from_head(&head) {
            // Shown as the camera stored it when nothing needs turning or shrinking.
            let fits = decode::frame(&jpeg).is_some_and(|f| f.width.max(f.height) <= SIDE);
            if p.orientation.unwrap_or(1) == 1 && fits {
                return Some(jpeg);
            }
            return shown(&jpeg, Format::Jpeg);
        }
    }
    let bytes = decode::read(&p.path, u64::MAX, progress).ok()?;
    shown(&bytes, format)
}

/// An upright picture brought to at most [`SIDE`] pixels on its long side, as a JPEG.
pub fn picture(rgb: &RgbImage) -> Option<Vec<u8>> {
    let scale = f64::from(SIDE) / f64::from(rgb.width().max(rgb.height()).max(1));
    let small;
    let rgb = match scale < 1.0 {
        true => {
            let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
            // An area average: each pixel of the picture counts once, at a fraction of a
            // filtered resize's cost, and a downscale by 2 or more shows no aliasing.
            small = imageops::thumbnail(rgb, side(rgb.width()), side(rgb.height()));
            &small
        }
        false => rgb,
    };
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(
            rgb.as_raw(),
            rgb.width() as u16,
            rgb.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .ok()?;
    Some(out)
}
