//! The scanner gives the same photos on every MD5 path this CPU has: the fixtures,
//! camera-like JPEGs of many sizes (image data to EOI), files around MD5's block
//! boundaries, a non-JPEG, a truncated JPEG and an empty file, scanned on one thread and
//! on two, compared field by field with the scalar path (md-5) and with md-5 directly.

use md5::{Digest as _, Md5};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::library::imghash::image_md5;
use photosync::library::md5x::Md5Path;
use photosync::library::photo::Photo;
use photosync::library::scan::{scan, ScanOptions};
use std::path::{Path, PathBuf};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A fixture's segments up to SOS, then `len` bytes of entropy data (no FF, except
/// stuffed FF 00 pairs now and then) and EOI.
fn camera_like(head: &[u8], len: usize, seed: u32) -> Vec<u8> {
    let mut v = head.to_vec();
    let mut x = seed | 1;
    for i in 0..len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if i % 4099 == 7 {
            v.extend([0xFF, 0x00]);
        } else {
            v.push((x as u8).min(0xFE));
        }
    }
    v.extend([0xFF, 0xD9]);
    v
}

/// The bytes of a fixture JPEG up to the end of its first SOS header.
fn head_to_sos(jpeg: &[u8]) -> &[u8] {
    let mut at = 2;
    while jpeg[at + 1] != 0xDA {
        at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
    }
    &jpeg[..at + 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]))]
}

fn library() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples");
    let lib = dir.path().join("lib");
    copy_tree(&fixtures, &lib.join("fixtures"));
    let jpeg = std::fs::read(fixtures.join("jpg/Canon_40D.jpg")).unwrap();
    let head = head_to_sos(&jpeg);
    let gen = lib.join("gen");
    std::fs::create_dir_all(&gen).unwrap();
    let sizes = [
        0,
        1,
        55,
        56,
        63,
        64,
        65,
        4096,
        65_536,
        65_537,
        300_000,
        1 << 20,
        3_000_001,
    ];
    for (i, &n) in sizes.iter().enumerate() {
        let bytes = camera_like(head, n, i as u32 + 1);
        std::fs::write(gen.join(format!("IMG_{i:03}.jpg")), &bytes).unwrap();
        std::fs::write(
            gen.join(format!("CUT_{i:03}.jpg")),
            &bytes[..bytes.len() - 1],
        )
        .unwrap();
        let raw: Vec<u8> = (0..n).map(|b| (b * 7 + i) as u8).collect();
        std::fs::write(gen.join(format!("CLIP_{i:03}.mp4")), raw).unwrap();
    }
    std::fs::write(gen.join("empty.jpg"), b"").unwrap();
    (dir, lib)
}

fn scan_with(lib: &Path, md5: Md5Path, threads: usize) -> Vec<Photo> {
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let opts = ScanOptions {
        threads,
        md5: Some(md5),
    };
    scan(lib, &mut cat, &opts, &Cancel::new(), &mut |_| {})
        .unwrap()
        .photos
}

#[test]
fn every_path_scans_the_same_photos() {
    let (_dir, lib) = library();
    let scalar = scan_with(&lib, Md5Path::Scalar, 2);
    assert!(scalar.len() > 90, "{} photos", scalar.len());
    let with_imgmd5 = scalar.iter().filter(|p| p.imgmd5.is_some()).count();
    assert!(
        with_imgmd5 > 40,
        "{with_imgmd5} photos with an image-data hash"
    );
    for p in &scalar {
        let bytes = std::fs::read(&p.path).unwrap();
        let hex = |d: [u8; 16]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            p.md5,
            Some(hex(Md5::digest(&bytes).into())),
            "{}",
            p.path.display()
        );
        assert_eq!(p.imgmd5, image_md5(&bytes).map(hex), "{}", p.path.display());
    }
    for path in Md5Path::available() {
        for threads in [1, 2] {
            assert_eq!(
                scan_with(&lib, path, threads),
                scalar,
                "{path:?} on {threads} threads"
            );
        }
    }
}
