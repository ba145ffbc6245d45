//! Damaged originals through the scanner: every real camera file of the fixtures is
//! whole; a JPEG cut in half, a PNG without IEND and an MP4 cut inside its media data
//! or without its index are flagged with the reason, on every hashing path, and the flag
//! is kept by the catalog for the rescans that do not read the file.

mod import_common;

use import_common::broken_jpeg;
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::library::photo::Photo;
use photosync::library::scan::{self, ScanOptions};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples")
}

fn scan_dir(dir: &Path, cat: &mut Catalog) -> Vec<Photo> {
    let opts = ScanOptions::default();
    scan::scan(dir, cat, &opts, &Cancel::new(), &mut |_| {})
        .unwrap()
        .photos
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    let body = [kind.as_slice(), data].concat();
    c.extend_from_slice(&body);
    c.extend_from_slice(&crc32(&body).to_be_bytes());
    c
}

/// A 1x1 grey PNG (stored, uncompressed deflate block), valid to the last CRC.
fn png() -> Vec<u8> {
    let ihdr = [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0];
    let raw = [0u8, 0x80];
    let mut z = vec![0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF];
    z.extend_from_slice(&raw);
    let adler = (1u32 + 0x80 * 2) << 16 | (1 + 0x80);
    z.extend_from_slice(&adler.to_be_bytes());
    let sig = b"\x89PNG\r\n\x1a\n".to_vec();
    [
        sig,
        png_chunk(b"IHDR", &ihdr),
        png_chunk(b"IDAT", &z),
        png_chunk(b"IEND", &[]),
    ]
    .concat()
}

fn mp4_box(kind: &[u8; 4], payload: usize) -> Vec<u8> {
    let mut b = ((8 + payload) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.resize(8 + payload, 0x11);
    b
}

#[test]
fn every_fixture_is_whole() {
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scan_dir(&fixtures(), &mut cat);
    assert!(photos.len() >= 10, "{} fixtures", photos.len());
    let damaged: Vec<_> = photos.iter().filter(|p| p.damaged.is_some()).collect();
    assert!(damaged.is_empty(), "{damaged:#?}");
}

#[test]
fn cut_files_are_flagged_on_every_path_and_the_catalog_keeps_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    let jpeg = std::fs::read(fixtures().join("jpg/Canon_40D.jpg")).unwrap();
    std::fs::write(lib.join("whole.jpg"), &jpeg).unwrap();
    std::fs::write(lib.join("cut.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(lib.join("broken.jpg"), broken_jpeg(&jpeg)).unwrap();
    let png = png();
    std::fs::write(lib.join("whole.png"), &png).unwrap();
    std::fs::write(lib.join("cut.png"), &png[..png.len() - 12]).unwrap();
    let mp4 = [
        mp4_box(b"ftyp", 16),
        mp4_box(b"mdat", 5000),
        mp4_box(b"moov", 300),
    ]
    .concat();
    std::fs::write(lib.join("whole.mp4"), &mp4).unwrap();
    std::fs::write(lib.join("cut.mp4"), &mp4[..3000]).unwrap();
    std::fs::write(lib.join("noindex.mov"), &mp4[..mp4.len() - 308]).unwrap();

    for path in ["scalar", "avx2", "avx512"] {
        std::env::set_var("PHOTOSYNC_MD5", path);
        let db = dir.path().join(format!("{path}.sqlite3"));
        let first = scan_dir(&lib, &mut Catalog::open(&db).unwrap());
        let again = scan_dir(&lib, &mut Catalog::open(&db).unwrap());
        for photos in [&first, &again] {
            let why = |name: &str| {
                let p = photos.iter().find(|p| p.path.ends_with(name)).unwrap();
                p.damaged.clone()
            };
            for whole in ["whole.jpg", "whole.png", "whole.mp4"] {
                assert_eq!(why(whole), None, "{whole} on {path}");
            }
            assert!(why("cut.jpg").unwrap().contains("cut short"), "{path}");
            assert!(why("broken.jpg").unwrap().contains("broken"), "{path}");
            assert!(why("cut.png").unwrap().contains("IEND"), "{path}");
            assert!(why("cut.mp4").unwrap().contains("'mdat'"), "{path}");
            assert!(why("noindex.mov").unwrap().contains("no index"), "{path}");
            // A damaged file still has its identity: it is backed up as it is.
            assert!(photos.iter().all(|p| p.md5.is_some() && p.error.is_none()));
        }
    }
    std::env::remove_var("PHOTOSYNC_MD5");
}
