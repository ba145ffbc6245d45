//! The image-data hash on the real camera fixtures: every JPEG has one, a date edited
//! with exiftool leaves it as it was while the file's MD5 changes, and a changed pixel
//! byte changes it. Non-JPEG fixtures have none.

use photosync::cancel::Cancel;
use photosync::library::hash::{digest_photo, FileDigest};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples");
    assert!(dir.is_dir(), "fixtures missing: expected {}", dir.display());
    dir
}

fn files_in(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ext.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    out.sort();
    out
}

fn digest(path: &Path) -> FileDigest {
    digest_photo(path, 4096, &Cancel::new(), &mut |_| {}).unwrap()
}

/// Where the first scan's entropy-coded data starts: after the segments up to SOS.
fn entropy_start(bytes: &[u8]) -> usize {
    let mut at = 2;
    loop {
        assert_eq!(bytes[at], 0xFF);
        let marker = bytes[at + 1];
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + len;
        if marker == 0xDA {
            return at;
        }
    }
}

#[test]
fn exiftool_date_edits_keep_the_image_hash_and_pixel_edits_change_it() {
    let originals = files_in(&fixtures().join("jpg"), &["jpg", "jpeg"]);
    assert!(originals.len() > 10);
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("exiftool")
        .arg("-q")
        .arg("-m")
        .arg("-DateTimeOriginal=2001:02:03 04:05:06")
        .arg("-o")
        .arg(format!("{}/", out.path().display()))
        .args(&originals)
        .status()
        .expect("exiftool must be installed for this test");
    assert!(status.success());
    let mut compared = 0;
    for original in &originals {
        let before = digest(original);
        let img = before
            .imgmd5
            .unwrap_or_else(|| panic!("{} has no image hash", original.display()));
        let edited = out.path().join(original.file_name().unwrap());
        if !edited.exists() {
            continue; // exiftool could not write this one
        }
        let after = digest(&edited);
        assert_ne!(after.md5, before.md5, "{}", original.display());
        assert_eq!(after.imgmd5, Some(img), "{}", original.display());
        compared += 1;

        // One byte of entropy-coded data changed.
        let mut bytes = std::fs::read(original).unwrap();
        let at = entropy_start(&bytes) + 100;
        assert!(bytes[at] != 0xFF && bytes[at - 1] != 0xFF);
        bytes[at] = if bytes[at] == 0x12 { 0x34 } else { 0x12 };
        let changed = out.path().join("pixel-changed.jpg");
        std::fs::write(&changed, &bytes).unwrap();
        assert_ne!(digest(&changed).imgmd5, Some(img), "{}", original.display());
    }
    assert!(compared > 10, "only {compared} fixtures edited");
}

#[test]
fn tiff_and_heic_have_none_and_a_truncated_jpeg_has_none() {
    for sub in ["tiff", "heic"] {
        for f in files_in(&fixtures().join(sub), &["tif", "tiff", "heic"]) {
            assert_eq!(digest(&f).imgmd5, None, "{}", f.display());
        }
    }
    let original = fixtures().join("jpg/Canon_40D.jpg");
    let bytes = std::fs::read(&original).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.jpg");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let d = digest(&cut);
    assert_eq!(d.imgmd5, None);
    assert_eq!(d.bytes, (bytes.len() / 2) as u64);
}

/// A catalog written before the image-data hash (schema 2): its JPEGs are read once
/// more by the next scan, which fills their imgmd5, and not again after that.
#[test]
fn an_older_catalog_gets_the_image_hash_of_its_jpegs_on_the_next_scan() {
    use photosync::catalog::Catalog;
    use photosync::library::scan::{self, ScanOptions};

    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    let jpeg = files_in(&fixtures().join("jpg"), &["jpg"])[0].clone();
    std::fs::copy(&jpeg, lib.join("a.jpg")).unwrap();
    let db = dir.path().join("catalog.sqlite3");
    let scan = |cat: &mut Catalog| {
        scan::scan(
            &lib,
            cat,
            &ScanOptions::default(),
            &Cancel::new(),
            &mut |_| {},
        )
        .unwrap()
    };
    let first = scan(&mut Catalog::open(&db).unwrap());
    assert!(first.photos[0].imgmd5.is_some());

    // What photosync before schema 3 left behind: no imgmd5, schema 2.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "UPDATE files SET imgmd5 = NULL; UPDATE meta SET value = 2 WHERE key = 'schema';",
    )
    .unwrap();
    drop(c);

    let mut cat = Catalog::open(&db).unwrap();
    let again = scan(&mut cat);
    assert_eq!(again.stats.hashed, 1, "the JPEG is read again once");
    assert_eq!(again.photos[0].imgmd5, first.photos[0].imgmd5);
    let third = scan(&mut cat);
    assert_eq!(third.stats.hashed, 0);
    assert_eq!(third.photos[0].imgmd5, first.photos[0].imgmd5);
}
