//! The sample library is what its notes say it is, byte for byte the same for a seed.

use super::bytes::Utc;
use super::table::*;
use super::*;
use exif::{In, Tag, Value};
use std::collections::BTreeMap;
use std::io::BufReader;
use std::time::Duration;

const JPEG_SOI: &[u8] = &[0xFF, 0xD8];
const JPEG_EOI: &[u8] = &[0xFF, 0xD9];

fn generated(seed: u64) -> (tempfile::TempDir, SampleReport) {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = generate(dir.path(), seed).expect("generate");
    (dir, report)
}

/// Every file under `dir`, by path relative to it with `/` separators.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn read_exif(path: &Path) -> Result<exif::Exif, exif::Error> {
    let file = fs::File::open(path).expect("open");
    exif::Reader::new().read_from_container(&mut BufReader::new(file))
}

fn ascii(exif: &exif::Exif, tag: Tag) -> Option<String> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(v) => v.first().map(|s| String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

fn uint(exif: &exif::Exif, tag: Tag) -> Option<u32> {
    exif.get_field(tag, In::PRIMARY)?.value.get_uint(0)
}

/// Walks the JPEG's segments to the end of the scan and returns the SOF's
/// dimensions: a check of well-formedness without a decoder dependency.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u16, u16)> {
    if !bytes.starts_with(JPEG_SOI) || !bytes.ends_with(JPEG_EOI) {
        return None;
    }
    let mut at = 2;
    let mut dims = None;
    loop {
        let (marker, len) = match bytes.get(at..at + 4)? {
            [0xFF, m, hi, lo] => (*m, usize::from(*hi) << 8 | usize::from(*lo)),
            _ => return None,
        };
        let body = bytes.get(at + 4..at + 2 + len)?;
        if marker == 0xC0 || marker == 0xC2 {
            let h = u16::from_be_bytes([body[1], body[2]]);
            let w = u16::from_be_bytes([body[3], body[4]]);
            dims = Some((w, h));
        }
        at += 2 + len;
        if marker == 0xDA {
            // Entropy-coded data runs to EOI; 0xFF inside it is stuffed or RSTn.
            let rest = &bytes[at..bytes.len() - 2];
            let clean = rest.windows(2).all(|p| {
                p[0] != 0xFF || p[1] == 0 || (0xD0..=0xD7).contains(&p[1]) || p[1] == 0xFF
            });
            return if clean { dims } else { None };
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_pixels() {
    let (a, report_a) = generated(7);
    let (b, report_b) = generated(7);
    let (c, _) = generated(8);
    let (a, b, c) = (contents(a.path()), contents(b.path()), contents(c.path()));
    assert_eq!(a, b);
    assert_eq!(report_a, report_b);
    assert_eq!(a.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        let photo = path.ends_with(".jpg") || path.ends_with(".JPG");
        assert_eq!(
            photo,
            bytes != &c[path],
            "{path}: only pixels depend on the seed"
        );
    }
}

#[test]
fn report_matches_what_is_on_disk() {
    let (dir, report) = generated(1);
    let files = contents(dir.path());
    assert_eq!(report.files, files.len());
    assert_eq!(report.files, LIBRARY.len());
    let bytes: u64 = files.values().map(|b| b.len() as u64).sum();
    assert_eq!(report.bytes, bytes);
    assert!((50_000..600_000).contains(&bytes), "{bytes} bytes");
    for entry in LIBRARY {
        assert!(files.contains_key(entry.path), "{}", entry.path);
    }
}

#[test]
fn photos_are_well_formed_jpegs_of_their_size() {
    let (dir, _) = generated(3);
    for entry in LIBRARY {
        let bytes = fs::read(dir.path().join(entry.path)).expect("read");
        match &entry.content {
            Content::Jpeg(photo) => assert_eq!(
                jpeg_dimensions(&bytes),
                Some((photo.width, photo.height)),
                "{}",
                entry.path
            ),
            Content::Truncated(_) => {
                assert!(bytes.starts_with(JPEG_SOI));
                assert!(!bytes.ends_with(JPEG_EOI));
                // Cut inside the image data, after the headers and the EXIF.
                assert!(bytes.windows(2).any(|m| m == [0xFF, 0xDA]));
            }
            Content::CopyOf(_) => assert!(jpeg_dimensions(&bytes).is_some()),
            _ => assert!(!bytes.starts_with(JPEG_SOI), "{}", entry.path),
        }
    }
}

#[test]
fn exif_reads_back_as_written() {
    let (dir, _) = generated(5);
    let mut checked = 0;
    for entry in LIBRARY {
        let (Content::Jpeg(photo) | Content::Truncated(photo)) = &entry.content else {
            continue;
        };
        let read = read_exif(&dir.path().join(entry.path));
        let Some(shot) = &photo.exif else {
            assert!(
                matches!(read, Err(exif::Error::NotFound(_))),
                "{}: {:?}",
                entry.path,
                read.as_ref().err()
            );
            continue;
        };
        let exif = read.expect(entry.path);
        let camera = shot.camera;
        assert_eq!(exif.little_endian(), camera.little_endian);
        assert_eq!(ascii(&exif, Tag::Make).as_deref(), Some(camera.make));
        assert_eq!(ascii(&exif, Tag::Model).as_deref(), Some(camera.model));
        assert_eq!(ascii(&exif, Tag::DateTime).as_deref(), Some(shot.changed));
        assert_eq!(ascii(&exif, Tag::DateTimeOriginal).as_deref(), shot.taken);
        assert_eq!(ascii(&exif, Tag::DateTimeDigitized).as_deref(), shot.taken);
        assert_eq!(
            ascii(&exif, Tag::OffsetTimeOriginal).as_deref(),
            shot.offset
        );
        assert_eq!(
            ascii(&exif, Tag::SubSecTimeOriginal).as_deref(),
            shot.subsec
        );
        assert_eq!(uint(&exif, Tag::Orientation), Some(1));
        if shot.taken.is_some() {
            assert_eq!(
                uint(&exif, Tag::PixelXDimension),
                Some(u32::from(photo.width))
            );
            assert_eq!(
                uint(&exif, Tag::PixelYDimension),
                Some(u32::from(photo.height))
            );
        }
        assert_eq!(
            exif.get_field(Tag::GPSLatitude, In::PRIMARY).is_some(),
            shot.gps.is_some()
        );
        checked += 1;
    }
    assert!(checked >= 18, "{checked}");
}

// Spot checks written out by hand, so a wrong table cannot pass by agreeing with itself.
#[test]
fn the_library_holds_the_promised_cases() {
    let (dir, _) = generated(11);
    let exif = |p: &str| read_exif(&dir.path().join(p));

    let reset = exif("2004/holiday/SANY0006.JPG").expect("sanyo");
    assert_eq!(
        ascii(&reset, Tag::DateTimeOriginal).as_deref(),
        Some("1998:01:01 00:00:00")
    );
    assert_eq!(
        ascii(&reset, Tag::Make).as_deref(),
        Some("SANYO Electric Co.,Ltd.")
    );
    assert!(!reset.little_endian());

    let canon = exif("2011/birthday/IMG_0412.JPG").expect("canon");
    assert_eq!(
        ascii(&canon, Tag::Model).as_deref(),
        Some("Canon PowerShot S95")
    );
    assert_eq!(
        ascii(&canon, Tag::OffsetTimeOriginal).as_deref(),
        Some("+02:00")
    );

    let edit = exif("2011/birthday/IMG_0416 small.jpg").expect("export");
    assert_eq!(ascii(&edit, Tag::DateTimeOriginal), None);
    assert_eq!(
        ascii(&edit, Tag::DateTime).as_deref(),
        Some("2011:06:19 21:14:03")
    );

    let pixel = exif("2019/phone/IMG_20190512_143015.jpg").expect("pixel");
    assert_eq!(
        ascii(&pixel, Tag::DateTimeOriginal).as_deref(),
        Some("2019:05:12 14:30:15")
    );
    let lat = pixel
        .get_field(Tag::GPSLatitude, In::PRIMARY)
        .expect("latitude");
    assert_eq!(lat.display_value().to_string(), "38 deg 42 min 49.2 sec");

    // The truncated copy still has its EXIF: only the image data is gone.
    let cut = exif("2019/phone/IMG_20190512_150244.jpg").expect("truncated");
    assert_eq!(
        ascii(&cut, Tag::DateTimeOriginal).as_deref(),
        Some("2019:05:12 15:02:44")
    );

    for no_exif in [
        "scans/2003-07-14 scan.jpg",
        "scans/scan0001.jpg",
        "2019/phone/IMG-20190514-WA0003.jpg",
    ] {
        assert!(matches!(exif(no_exif), Err(exif::Error::NotFound(_))));
    }
    assert!(exif("scans/unreadable.jpg").is_err());

    let ds_store = fs::read(dir.path().join("2004/holiday/.DS_Store")).expect(".DS_Store");
    assert_eq!(&ds_store[4..8], b"Bud1");
    let notes = fs::read_to_string(dir.path().join("notes.txt")).expect("notes");
    assert!(notes.contains("scans/unreadable.jpg\n"));
}

#[test]
fn the_duplicate_is_byte_identical_and_nothing_else_is() {
    let (dir, _) = generated(2);
    let files = contents(dir.path());
    assert_eq!(
        files["favourites/IMG_0415.JPG"],
        files["2011/birthday/IMG_0415.JPG"]
    );
    let mut seen: BTreeMap<&Vec<u8>, Vec<&String>> = BTreeMap::new();
    for (path, bytes) in &files {
        seen.entry(bytes).or_default().push(path);
    }
    let shared: Vec<_> = seen.values().filter(|paths| paths.len() > 1).collect();
    assert_eq!(
        shared,
        vec![&vec![
            &"2011/birthday/IMG_0415.JPG".to_string(),
            &"favourites/IMG_0415.JPG".to_string()
        ]]
    );
}

#[test]
fn mtimes_are_set_from_the_table() {
    let (dir, _) = generated(4);
    let mtime = |p: &str| {
        fs::metadata(dir.path().join(p))
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    // 2005-01-09 20:15:00 UTC, worked out independently with chrono.
    let expected = chrono::NaiveDate::from_ymd_opt(2005, 1, 9)
        .and_then(|d| d.and_hms_opt(20, 15, 0))
        .expect("date")
        .and_utc()
        .timestamp();
    assert_eq!(expected, 1_105_301_700);
    assert_eq!(
        mtime("scans/scan0001.jpg"),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_105_301_700)
    );
    assert_eq!(
        mtime("scans/scan0002.jpg"),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_105_301_800)
    );
    for entry in LIBRARY {
        assert_eq!(
            mtime(entry.path),
            entry.mtime.system_time(),
            "{}",
            entry.path
        );
    }
}

#[test]
fn civil_dates_agree_with_chrono() {
    for &(y, m, d) in &[
        (1970, 1, 1),
        (2000, 2, 29),
        (2004, 8, 22),
        (2019, 12, 31),
        (2100, 3, 1),
    ] {
        let ours = Utc(y, m, d, 13, 4, 5).unix_seconds();
        let chrono = chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
            .and_then(|date| date.and_hms_opt(13, 4, 5))
            .expect("date")
            .and_utc()
            .timestamp();
        assert_eq!(ours, chrono, "{y}-{m}-{d}");
    }
}

#[test]
fn never_overwrites_and_writes_nothing_when_refusing() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("notes.txt"), "mine").expect("write");
    match generate(dir.path(), 1) {
        Err(SamplesError::Exists { path }) => assert_eq!(path, dir.path().join("notes.txt")),
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).expect("read"),
        "mine"
    );
    assert_eq!(fs::read_dir(dir.path()).expect("read_dir").count(), 1);

    // A second run over a complete library refuses too, leaving it as it was.
    let (dir, _) = generated(1);
    let before = contents(dir.path());
    assert!(matches!(
        generate(dir.path(), 2),
        Err(SamplesError::Exists { .. })
    ));
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn writes_beside_unrelated_files_and_creates_missing_dirs() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("mine.txt"), "mine").expect("write");
    fs::create_dir(dir.path().join("scans")).expect("mkdir");
    let report = generate(dir.path(), 1).expect("generate");
    assert_eq!(report.files, LIBRARY.len());
    assert_eq!(
        fs::read_to_string(dir.path().join("mine.txt")).expect("read"),
        "mine"
    );

    let nested = dir.path().join("a/b/library");
    assert_eq!(generate(&nested, 1).expect("nested").files, LIBRARY.len());
}

#[test]
fn a_file_in_the_way_of_the_directory_is_an_io_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("photos");
    fs::write(&file, "not a dir").expect("write");
    let err = generate(&file, 1).expect_err("must fail");
    assert!(matches!(err, SamplesError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("photos"), "{err}");
}
