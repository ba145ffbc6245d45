//! The dates parsers on real and hostile bytes: the XMP dates of the fixtures match
//! exiftool's reading, and whatever bytes a damaged file holds, the XMP and QuickTime
//! readers and the offset parser return a value or None and never panic.

use photosync::dates::offset::Offset;
use photosync::dates::{quicktime, xmp};
use proptest::prelude::*;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples");
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

const XMP_FIXTURES: [&str; 4] = [
    "jpg/xmp/no_exif.jpg",
    "jpg/long_description.jpg",
    "heic/IMG_5195.HEIC",
    "jpg/Nikon_D70.jpg",
];

fn heads() -> &'static [Vec<u8>] {
    static CACHE: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        let mut all: Vec<Vec<u8>> = XMP_FIXTURES
            .iter()
            .map(|n| {
                let mut b = fixture(n);
                b.truncate(128 * 1024);
                b
            })
            .collect();
        all.push(mp4());
        all
    })
}

/// ftyp, then moov holding a version 0 mvhd (2019-05-12 14:30:15 UTC).
fn mp4() -> Vec<u8> {
    fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(payload.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(payload);
        out
    }
    let mut mvhd = vec![0, 0, 0, 0];
    mvhd.extend_from_slice(&(1_557_671_415u32 + 2_082_844_800).to_be_bytes());
    mvhd.extend_from_slice(&[0; 90]);
    let mut out = boxed(b"ftyp", b"mp42\0\0\0\0isom");
    out.extend(boxed(b"moov", &boxed(b"mvhd", &mvhd)));
    out
}

#[test]
fn xmp_dates_of_the_fixtures_match_exiftool() {
    let date = |name: &str| {
        xmp::date_in(&fixture(name)).map(|d| {
            (
                d.local.format("%Y-%m-%d %H:%M:%S").to_string(),
                d.offset_seconds,
            )
        })
    };
    // exiftool: XMP CreateDate 2013:09:23 10:09:46+02:00 (no DateCreated).
    assert_eq!(
        date("jpg/xmp/no_exif.jpg"),
        Some(("2013-09-23 10:09:46".into(), Some(7200)))
    );
    // exiftool: DateCreated 2003:08:31 (photoshop), CreateDate 2005:12:17 22:03:32Z.
    assert_eq!(
        date("jpg/long_description.jpg"),
        Some(("2003-08-31 00:00:00".into(), None))
    );
    // exiftool: DateCreated and CreateDate 2021:04:11 15:47:53; the packet is in a HEIF item.
    assert_eq!(
        date("heic/IMG_5195.HEIC"),
        Some(("2021-04-11 15:47:53".into(), None))
    );
    // No XMP packet at all.
    assert_eq!(date("jpg/Canon_40D.jpg"), None);
    let utc = quicktime::creation_time(&mp4())
        .map(|t| t.local - chrono::Duration::seconds(t.offset_seconds.unwrap_or_default().into()));
    assert_eq!(
        utc.map(|u| u.format("%Y-%m-%d %H:%M:%S").to_string()),
        Some("2019-05-12 14:30:15".into())
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn embedded_date_readers_never_panic_on_mutated_files(
        pick in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..32),
        cut in any::<prop::sample::Index>(),
    ) {
        let all = heads();
        let mut bytes = all[pick.index(all.len())].clone();
        // Mutations cluster in the first 16 KiB, where the segments and boxes are.
        let hot = bytes.len().min(16 * 1024);
        for (at, value) in flips {
            let i = at.index(hot);
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = xmp::date_in(&bytes);
        let _ = quicktime::creation_time(&bytes);
    }

    #[test]
    fn offset_parser_never_panics(text in "[-+ 0-9ymd:.hx]{0,24}") {
        if let Ok(o) = Offset::parse(&text) {
            // What it accepts, it prints in a form it reads back the same.
            prop_assert_eq!(Offset::parse(&o.to_string()).ok(), Some(o));
        }
    }

    #[test]
    fn exact_shifts_undo(days in 0u32..5000, secs in 0u32..200_000, start in 0i64..2_000_000_000) {
        let date = chrono::DateTime::from_timestamp(start, 0).unwrap().naive_utc();
        let h = secs / 3600;
        let m = secs / 60 % 60;
        let s = secs % 60;
        let fwd = Offset::parse(&format!("+{days}d {h}:{m:02}:{s:02}")).unwrap();
        let back = Offset::parse(&format!("-{days}d {h}:{m:02}:{s:02}")).unwrap();
        prop_assert_eq!(fwd.apply(date).and_then(|d| back.apply(d)), Some(date));
    }
}
