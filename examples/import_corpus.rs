//! `rake bench:import`'s old drives: N files (default 10,000) of which 30% are distinct
//! camera originals (1024x768 JPEGs with a camera's EXIF, thumbnail included) and 70%
//! copies of them in some form: byte-identical copies, the same image data under other
//! metadata (another camera's EXIF block, as an exiftool edit leaves it), and half-size
//! exports recompressed at quality 75. Written across three "drives" in folders of 500.
//!
//!   cargo run --release --example import_corpus -- DIR FIXTURES_JPG_DIR [N]

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const W: u32 = 1024;
const H: u32 = 768;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (Some(dir), Some(fixtures)) = (args.first(), args.get(1)) else {
        eprintln!("usage: import_corpus DIR FIXTURES_JPG_DIR [N]");
        return ExitCode::from(64);
    };
    let n: usize = args
        .get(2)
        .and_then(|a| a.to_str()?.parse().ok())
        .unwrap_or(10_000);
    let exif = |name: &str| app1(&fixtures.join(name));
    let (Some(camera), Some(edited)) = (exif("Canon_40D.jpg"), exif("Nikon_D70.jpg")) else {
        eprintln!("import_corpus: the fixtures' EXIF blocks could not be read");
        return ExitCode::from(66);
    };
    let originals = n * 3 / 10;
    let written: Result<Vec<()>, String> = (0..n)
        .into_par_iter()
        .map(|i| write_file(dir, i, originals, &camera, &edited))
        .collect();
    match written {
        Ok(_) => {
            println!("{n} files, {originals} distinct pictures");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("import_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

/// File `i`: an original below `originals`, else a copy of original `i % originals`
/// whose form cycles: byte copy, other metadata, half-size export.
fn write_file(
    dir: &Path,
    i: usize,
    originals: usize,
    camera: &[u8],
    edited: &[u8],
) -> Result<(), String> {
    let drive = ["laptop", "usb", "exports"][i % 3];
    let path = dir
        .join(drive)
        .join(format!("{:03}", i / 500))
        .join(format!("IMG_{i:05}.JPG"));
    let source = i % originals;
    let picture = picture(source);
    let bytes = match (i < originals, (i - originals.min(i)) % 3) {
        (true, _) | (false, 1) => jpeg(&picture, 85, camera),
        (false, 2) => jpeg(&picture, 85, edited),
        _ => {
            let half = image::imageops::resize(
                &picture,
                W / 2,
                H / 2,
                image::imageops::FilterType::Triangle,
            );
            jpeg(&half, 75, camera)
        }
    }?;
    std::fs::create_dir_all(path.parent().unwrap_or(dir)).map_err(|e| e.to_string())?;
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A distinct picture per seed: smooth gradients, rings and fine texture (so that it
/// compresses like a photo, not like a flat colour).
fn picture(seed: usize) -> image::RgbImage {
    let s = seed as f32;
    let (cx, cy) = (
        (seed * 37 % W as usize) as f32,
        (seed * 53 % H as usize) as f32,
    );
    image::RgbImage::from_fn(W, H, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let ring = (((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt() / (9.0 + s % 13.0)).sin();
        let wave = ((fx / (17.0 + s % 7.0)) + (fy / (23.0 + s % 11.0))).cos();
        let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed as u32) % 29) as f32;
        let v = |k: f32| (128.0 + 60.0 * ring * k + 40.0 * wave + grain).clamp(0.0, 255.0) as u8;
        image::Rgb([v(1.0), v(0.6), v(-0.8)])
    })
}

fn jpeg(img: &image::RgbImage, quality: u8, exif: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.add_app_segment(1, exif).map_err(|e| e.to_string())?;
    enc.encode(
        img.as_raw(),
        img.width() as u16,
        img.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The payload of a JPEG's EXIF (APP1) segment.
fn app1(path: &Path) -> Option<Vec<u8>> {
    let b = std::fs::read(path).ok()?;
    let mut at = 2;
    while at + 4 <= b.len() && b[at] == 0xFF {
        let len = usize::from(u16::from_be_bytes([b[at + 2], b[at + 3]]));
        if b[at + 1] == 0xE1 && b.get(at + 4..)?.starts_with(b"Exif\0\0") {
            return b.get(at + 4..at + 2 + len).map(<[u8]>::to_vec);
        }
        at += 2 + len;
    }
    None
}
