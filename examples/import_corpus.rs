//! `rake bench:import`'s old drives: N files (default 10,000) of which 30% are distinct
//! camera originals and 70% copies of them in some form. An original is a 1024x768 JPEG
//! with the EXIF block a camera writes: make, model, its own capture time to the
//! hundredth of a second, and a 160x120 preview of itself. The copies, a third each:
//! byte-identical copies; the same image data with the capture date moved a year (as an
//! exiftool date fix leaves it: the rest of the block, preview included, unchanged);
//! and half-size exports recompressed at quality 75 that copied the original's whole
//! EXIF block, its preview of the full picture included. Written across three "drives"
//! in folders of 500.
//!
//!   cargo run --release --example import_corpus -- DIR [N]

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const W: u32 = 1024;
const H: u32 = 768;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: import_corpus DIR [N]");
        return ExitCode::from(64);
    };
    let n: usize = args
        .get(1)
        .and_then(|a| a.to_str()?.parse().ok())
        .unwrap_or(10_000);
    let originals = n * 3 / 10;
    let written: Result<Vec<()>, String> = (0..n)
        .into_par_iter()
        .map(|i| write_file(dir, i, originals))
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
fn write_file(dir: &Path, i: usize, originals: usize) -> Result<(), String> {
    let drive = ["laptop", "usb", "exports"][i % 3];
    let path = dir
        .join(drive)
        .join(format!("{:03}", i / 500))
        .join(format!("IMG_{i:05}.JPG"));
    let source = i % originals;
    let picture = picture(source);
    let preview = preview(&picture)?;
    let camera = exif_block(source, 0, &preview)?;
    let bytes = match (i < originals, (i - originals.min(i)) % 3) {
        (true, _) | (false, 1) => jpeg(&picture, 85, &camera),
        (false, 2) => jpeg(&picture, 85, &exif_block(source, 1, &preview)?),
        _ => {
            let half = image::imageops::resize(
                &picture,
                W / 2,
                H / 2,
                image::imageops::FilterType::Triangle,
            );
            jpeg(&half, 75, &camera)
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

/// The camera's 160x120 preview of the picture.
fn preview(picture: &image::RgbImage) -> Result<Vec<u8>, String> {
    let small = image::imageops::resize(picture, 160, 120, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(small.as_raw(), 160, 120, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The EXIF (APP1) payload of picture `seed`: a camera's make and model, its capture
/// time (one picture every 7.37 s from 2009-06-01, so that every hundredth occurs, as
/// on a camera; `years_later` moves it, as a date fix does), and its preview in IFD1.
fn exif_block(seed: usize, years_later: i32, preview: &[u8]) -> Result<Vec<u8>, String> {
    use exif::{Field, In, Tag, Value};
    let hundredths = seed * 737;
    let (secs, sub) = (hundredths / 100, hundredths % 100);
    let (day, rest) = (secs / 86_400, secs % 86_400);
    let date = format!(
        "{:04}:06:{:02} {:02}:{:02}:{:02}",
        2009 + years_later + (day / 30) as i32,
        1 + day % 30,
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    );
    let ascii = |tag, ifd_num, text: &str| Field {
        tag,
        ifd_num,
        value: Value::Ascii(vec![text.as_bytes().to_vec()]),
    };
    let fields = [
        ascii(Tag::Make, In::PRIMARY, "Canon"),
        ascii(Tag::Model, In::PRIMARY, "Canon EOS 40D"),
        ascii(Tag::DateTimeOriginal, In::PRIMARY, &date),
        ascii(Tag::SubSecTimeOriginal, In::PRIMARY, &format!("{sub:02}")),
        Field {
            tag: Tag::Compression,
            ifd_num: In::THUMBNAIL,
            value: Value::Short(vec![6]),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    writer.set_jpeg(preview, In::THUMBNAIL);
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, true).map_err(|e| e.to_string())?;
    Ok([b"Exif\0\0".as_slice(), tiff.get_ref()].concat())
}
