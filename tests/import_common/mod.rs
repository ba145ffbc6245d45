//! The "old drives" of the import tests: built from the camera fixtures (exact copies,
//! exiftool-edited copies, truncated and unreadable files, non-UTF-8 names) or from
//! generated JPEGs (many distinct photos, for the kill test), and the run helpers.
#![allow(dead_code)]

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::import::{self, ImportOptions, ImportReport};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixture(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/exif-samples/jpg")
        .join(name);
    assert!(p.is_file(), "fixture missing: {}", p.display());
    p
}

pub fn copy_to(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

/// A copy of `from` at `to` with every date moved `shift` (exiftool's `-AllDates+=`) and
/// `extra` exiftool arguments: other bytes, the same image data.
pub fn exiftool_copy(from: &Path, to: &Path, shift: &str, extra: &[&str]) {
    copy_to(from, to);
    let out = Command::new("exiftool")
        .arg(format!("-AllDates+={shift}"))
        .args(extra)
        .args(["-overwrite_original", "-q"])
        .arg(to)
        .output()
        .expect("exiftool (Debian's libimage-exiftool-perl) is needed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A file whose read fails. chmod 000 does not stop root (tests may run as root), so
/// there it is a link to /proc/self/mem, whose first page no process maps: EIO.
pub fn unreadable(at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::symlink("/proc/self/mem", at).unwrap();
    } else {
        std::fs::write(at, b"\xFF\xD8 secret").unwrap();
        std::fs::set_permissions(at, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    }
}

pub fn non_utf8(dir: &Path, name: &[u8]) -> PathBuf {
    dir.join(OsString::from_vec(name.to_vec()))
}

/// The corpus: drive A holds four originals and an exact copy; drive B an
/// exiftool-edited copy of one of A's (dates moved, Make removed: less complete EXIF, so
/// A's is kept) and an exact copy of that edited copy, an edited copy of the library's own photo, a truncated copy, an
/// unreadable file and one photo of its own under a non-UTF-8 name. The library holds
/// one photo before. Distinct pictures: 6.
pub struct Corpus {
    pub drive_a: PathBuf,
    pub drive_b: PathBuf,
    pub library: PathBuf,
    pub catalog: PathBuf,
}

pub fn corpus(dir: &Path) -> Corpus {
    let (a, b, lib) = (dir.join("driveA"), dir.join("driveB"), dir.join("library"));
    copy_to(&fixture("Canon_40D.jpg"), &a.join("DCIM/IMG_0001.JPG"));
    copy_to(&fixture("Nikon_D70.jpg"), &a.join("DCIM/IMG_0002.JPG"));
    copy_to(&fixture("Pentax_K10D.jpg"), &a.join("DCIM/IMG_0003.JPG"));
    copy_to(&fixture("Sony_HDR-HC3.jpg"), &a.join("DCIM/IMG_0004.JPG"));
    copy_to(
        &fixture("Canon_40D.jpg"),
        &a.join("backup/copy of IMG_0001.JPG"),
    );
    exiftool_copy(
        &fixture("Nikon_D70.jpg"),
        &b.join("fixed/IMG_0002.JPG"),
        "1:0:0 0:0:0",
        &["-Make="],
    );
    let edited = b.join("fixed/IMG_0002.JPG");
    copy_to(&edited, &b.join("fixed/IMG_0002 (copy).JPG"));
    exiftool_copy(
        &fixture("Olympus_C8080WZ.jpg"),
        &b.join("fixed/olympus.jpg"),
        "0:0:0 2:0:0",
        &[],
    );
    let whole = std::fs::read(fixture("Pentax_K10D.jpg")).unwrap();
    std::fs::write(b.join("fixed/IMG_0003_cut.JPG"), &whole[..whole.len() / 2]).unwrap();
    unreadable(&b.join("bad/IMG_9999.JPG"));
    copy_to(
        &fixture("Panasonic_DMC-FZ30.jpg"),
        &non_utf8(&b.join("caf"), b"caf\xe9.jpg"),
    );
    copy_to(
        &fixture("Olympus_C8080WZ.jpg"),
        &lib.join("2005/olympus.jpg"),
    );
    Corpus {
        drive_a: a,
        drive_b: b,
        library: lib,
        catalog: dir.join("catalog.sqlite3"),
    }
}

pub fn run(sources: &[PathBuf], library: &Path, catalog: &Path, dry_run: bool) -> ImportReport {
    let mut cat = Catalog::open(catalog).unwrap();
    let opts = ImportOptions {
        dry_run,
        ..ImportOptions::default()
    };
    import::import(sources, library, &mut cat, &opts, &Cancel::new(), &|_| {}).unwrap()
}

/// MD5 -> relative paths of every file in `dir` but the library's lock file (hidden
/// ones too: a leftover temporary would show).
pub fn md5s_under(dir: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() && e.file_name() != ".photosync.lock" {
            let Ok(md5) = photosync::library::hash::md5_file(e.path()) else {
                continue;
            };
            out.entry(md5)
                .or_default()
                .push(e.path().strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out
}

/// The image-data MD5 of a JPEG.
pub fn imgmd5(path: &Path) -> String {
    let d = photosync::library::hash::digest_photo(path, 0, &Cancel::new(), &mut |_| {}).unwrap();
    d.imgmd5_hex().unwrap()
}

/// `n` distinct valid JPEGs `<i>.jpg` (distinct pixels, so distinct image data) in `dir`.
pub fn distinct_jpegs(dir: &Path, n: usize, side: u16) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let mut pixels = Vec::with_capacity(side as usize * side as usize * 3);
        for y in 0..side as usize {
            for x in 0..side as usize {
                let v = (x * 7 + y * 13 + i * 101) as u8;
                pixels.extend_from_slice(&[v, (v as usize ^ i) as u8, (y + i) as u8]);
            }
        }
        let mut bytes = Vec::new();
        jpeg_encoder::Encoder::new(&mut bytes, 90)
            .encode(&pixels, side, side, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        std::fs::write(dir.join(format!("{i}.jpg")), bytes).unwrap();
    }
}

/// A JPEG's pixels, RGB, with its size.
pub fn decode_rgb(path: &Path) -> image::RgbImage {
    let mut d =
        jpeg_decoder::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let px = d.decode().unwrap();
    let info = d.info().unwrap();
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => px,
        jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&v| [v, v, v]).collect(),
        other => panic!("fixture in {other:?}"),
    };
    image::RgbImage::from_raw(u32::from(info.width), u32::from(info.height), rgb).unwrap()
}

/// The APP1 (EXIF) segment of a JPEG, payload only, if it has one.
pub fn exif_segment(path: &Path) -> Option<Vec<u8>> {
    let b = std::fs::read(path).unwrap();
    let mut at = 2;
    while at + 4 <= b.len() && b[at] == 0xFF {
        let marker = b[at + 1];
        let len = usize::from(u16::from_be_bytes([b[at + 2], b[at + 3]]));
        if marker == 0xE1 && b[at + 4..].starts_with(b"Exif\0\0") {
            return Some(b[at + 4..at + 2 + len].to_vec());
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + len;
    }
    None
}

/// Writes `img` as a JPEG of `quality` at `to`, with `exif` as its APP1 segment.
pub fn write_jpeg(img: &image::RgbImage, to: &Path, quality: u8, exif: Option<&[u8]>) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    let mut bytes = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut bytes, quality);
    if let Some(exif) = exif {
        enc.add_app_segment(1, exif).unwrap();
    }
    enc.encode(
        img.as_raw(),
        img.width() as u16,
        img.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .unwrap();
    std::fs::write(to, bytes).unwrap();
}

/// An export of `from` scaled by `scale` and recompressed at `quality`, keeping its EXIF
/// when `keep_exif` (as most exporters do).
pub fn smaller_copy(from: &Path, to: &Path, scale: f64, quality: u8, keep_exif: bool) {
    let img = decode_rgb(from);
    let w = ((f64::from(img.width()) * scale).round() as u32).max(1);
    let h = ((f64::from(img.height()) * scale).round() as u32).max(1);
    let small = image::imageops::resize(&img, w, h, image::imageops::FilterType::CatmullRom);
    let exif = keep_exif.then(|| exif_segment(from)).flatten();
    write_jpeg(&small, to, quality, exif.as_deref());
}

/// The burst's next frame: the same size, the scene moved `dx`, `dy` pixels (the edge
/// repeated), recompressed, with the same EXIF (same camera, same second).
pub fn burst_frame(from: &Path, to: &Path, dx: i64, dy: i64) {
    let img = decode_rgb(from);
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let moved = image::RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let sx = (i64::from(x) + dx).clamp(0, w - 1) as u32;
        let sy = (i64::from(y) + dy).clamp(0, h - 1) as u32;
        *img.get_pixel(sx, sy)
    });
    write_jpeg(&moved, to, 92, exif_segment(from).as_deref());
}

/// The full "old drives" corpus ([`old_drives`]) and what it holds.
pub struct OldDrives {
    pub sources: Vec<PathBuf>,
    pub library: PathBuf,
    pub catalog: PathBuf,
    /// Every distinct picture's largest form on the drives (relative to its drive's
    /// parent), which the library must hold once after an import.
    pub distinct: Vec<PathBuf>,
}

/// Three drives and a library. The laptop (A) holds five camera originals and a burst
/// of three frames. The backup disk (B) holds exact copies (one under a non-UTF-8
/// name), an exiftool-edited copy and an exact copy of it, exports of one original at
/// three sizes (one without EXIF), a small export of a burst frame under a non-UTF-8
/// name, a truncated file and an unreadable one. The export folder (C) holds the small
/// export of a frame whose original is on no drive, a PNG export, and an export of the
/// library's own photo. Distinct pictures: 9 new (5 originals, 3 frames, the lost
/// frame's export) and the library's one.
pub fn old_drives(dir: &Path) -> OldDrives {
    let (a, b, c) = (dir.join("A"), dir.join("B"), dir.join("C"));
    let lib = dir.join("library");
    let originals = [
        ("Canon_40D.jpg", "IMG_0001.JPG"),
        ("Nikon_D70.jpg", "IMG_0002.JPG"),
        ("Pentax_K10D.jpg", "IMG_0003.JPG"),
        ("Sony_HDR-HC3.jpg", "IMG_0004.JPG"),
        ("Kodak_CX7530.jpg", "IMG_0005.JPG"),
    ];
    for (fixture_name, name) in originals {
        copy_to(&fixture(fixture_name), &a.join("DCIM").join(name));
    }
    let burst = a.join("DCIM/IMG_0100.JPG");
    copy_to(&fixture("Panasonic_DMC-FZ30.jpg"), &burst);
    burst_frame(&burst, &a.join("DCIM/IMG_0101.JPG"), 2, 0);
    burst_frame(&burst, &a.join("DCIM/IMG_0102.JPG"), 0, 2);
    let orig = |n: &str| a.join("DCIM").join(n);

    copy_to(&orig("IMG_0001.JPG"), &b.join("backup/IMG_0001.JPG"));
    copy_to(&orig("IMG_0002.JPG"), &b.join("backup/IMG_0002.JPG"));
    copy_to(
        &orig("IMG_0002.JPG"),
        &non_utf8(&b.join("backup"), b"f\xeate.jpg"),
    );
    let edited = b.join("fixed/IMG_0003.JPG");
    exiftool_copy(&orig("IMG_0003.JPG"), &edited, "1:0:0 0:0:0", &["-Make="]);
    copy_to(&edited, &b.join("fixed/IMG_0003 (2).JPG"));
    smaller_copy(
        &orig("IMG_0001.JPG"),
        &b.join("web/IMG_0001_1024.jpg"),
        0.75,
        85,
        true,
    );
    smaller_copy(
        &orig("IMG_0001.JPG"),
        &b.join("web/IMG_0001_640.jpg"),
        0.5,
        70,
        true,
    );
    smaller_copy(
        &orig("IMG_0004.JPG"),
        &b.join("mail/sony.jpg"),
        0.4,
        50,
        false,
    );
    smaller_copy(
        &orig("IMG_0101.JPG"),
        &non_utf8(&b.join("web"), b"rafale\xe9.jpg"),
        0.5,
        70,
        true,
    );
    let kodak = std::fs::read(orig("IMG_0005.JPG")).unwrap();
    std::fs::write(b.join("IMG_0005_cut.JPG"), &kodak[..kodak.len() * 2 / 3]).unwrap();
    unreadable(&b.join("bad/IMG_9999.JPG"));

    let lost = dir.join("lost/IMG_0103.JPG");
    burst_frame(&burst, &lost, 1, 0);
    smaller_copy(&lost, &c.join("IMG_0103_web.jpg"), 0.75, 85, true);
    let img = decode_rgb(&orig("IMG_0005.JPG"));
    image::imageops::resize(&img, 50, 39, image::imageops::FilterType::Triangle)
        .save(c.join("kodak.png"))
        .unwrap();
    copy_to(
        &fixture("Olympus_C8080WZ.jpg"),
        &lib.join("2005/olympus.jpg"),
    );
    smaller_copy(
        &fixture("Olympus_C8080WZ.jpg"),
        &c.join("olympus_small.jpg"),
        0.6,
        80,
        true,
    );

    let mut distinct: Vec<PathBuf> = originals
        .iter()
        .map(|(_, n)| PathBuf::from("A/DCIM").join(n))
        .collect();
    for n in ["IMG_0100.JPG", "IMG_0101.JPG", "IMG_0102.JPG"] {
        distinct.push(PathBuf::from("A/DCIM").join(n));
    }
    distinct.push("C/IMG_0103_web.jpg".into());
    OldDrives {
        sources: vec![a, b, c],
        library: lib,
        catalog: dir.join("catalog.sqlite3"),
        distinct,
    }
}

/// A JPEG whole to its last byte whose structure breaks: the length of its first
/// quantisation table (DQT, after the EXIF and its thumbnail) set to 1. The scanner's
/// walk cannot follow it, so it has no image-data hash; a decoder cannot read it either.
pub fn broken_jpeg(jpeg: &[u8]) -> Vec<u8> {
    let mut at = 2;
    while jpeg[at + 1] != 0xDB {
        at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
    }
    let mut broken = jpeg.to_vec();
    broken[at + 2..at + 4].copy_from_slice(&[0, 1]);
    broken
}
