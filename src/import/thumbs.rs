//! The inventory kept for the HTML report: each source's counts, and each smaller-copy
//! decision with a small colour picture of both sides, made now, while the old drive is
//! mounted (the report may be written after it is gone).

use super::percept::Format;
use super::report::{ImportReport, SmallerCopy};
use crate::catalog::{Catalog, CatalogError, SmallerShown, SourceInventory};
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use image::imageops::{self, FilterType};
use image::RgbImage;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The longest side of a picture in the report.
const SIDE: u32 = 160;

/// Records the inventory of every source of `report`. `photos`: what is known of each
/// file by path (its kind and orientation), for the pictures.
pub fn record(
    catalog: &mut Catalog,
    report: &ImportReport,
    photos: &HashMap<&Path, &Photo>,
) -> Result<(), CatalogError> {
    // Each picture is a decode: made on every core.
    let all: Vec<SmallerShown> = report
        .smaller
        .par_iter()
        .map(|c| shown(c, photos))
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

fn shown(c: &SmallerCopy, photos: &HashMap<&Path, &Photo>) -> SmallerShown {
    let picture = |p: &PathBuf| photos.get(p.as_path()).and_then(|photo| thumbnail(photo));
    let size = |s: [u32; 2]| format!("{}x{}", s[0], s[1]);
    SmallerShown {
        path: c.path.clone(),
        kept: c.kept.clone(),
        kept_in_library: c.kept_in_library,
        size: size(c.size),
        kept_size: size(c.kept_size),
        imported: c.imported,
        thumb: picture(&c.path),
        kept_thumb: picture(&c.kept),
    }
}

/// The photo upright, at most [`SIDE`] pixels on its long side, as a JPEG.
fn thumbnail(p: &Photo) -> Option<Vec<u8>> {
    let format = match p.kind {
        MediaKind::Jpeg => Format::Jpeg,
        MediaKind::Png => Format::Png,
        _ => return None,
    };
    let file = BufReader::new(std::fs::File::open(&p.path).ok()?);
    let rgb: RgbImage = match format {
        Format::Png => image::load(file, image::ImageFormat::Png).ok()?.into_rgb8(),
        Format::Jpeg => {
            let mut d = jpeg_decoder::Decoder::new(file);
            d.scale(SIDE as u16, SIDE as u16).ok()?; // the long side keeps SIDE
            let px = d.decode().ok()?;
            let info = d.info()?;
            let rgb = match info.pixel_format {
                jpeg_decoder::PixelFormat::RGB24 => px,
                jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&v| [v, v, v]).collect(),
                _ => return None,
            };
            RgbImage::from_raw(u32::from(info.width), u32::from(info.height), rgb)?
        }
    };
    let rgb = match p.orientation.unwrap_or(1) {
        3 => imageops::rotate180(&rgb),
        5..=6 => imageops::rotate90(&rgb),
        7..=8 => imageops::rotate270(&rgb),
        _ => rgb,
    };
    let scale = f64::from(SIDE) / f64::from(rgb.width().max(rgb.height()).max(1));
    let rgb = match scale < 1.0 {
        true => imageops::resize(
            &rgb,
            ((f64::from(rgb.width()) * scale).round() as u32).max(1),
            ((f64::from(rgb.height()) * scale).round() as u32).max(1),
            FilterType::Triangle,
        ),
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
