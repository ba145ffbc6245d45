//! Property test of the EXIF path on mutated fixtures: whatever bytes a damaged or
//! hostile file holds, parsing returns Ok or Err and never panics or hangs.

use proptest::prelude::*;
use std::path::PathBuf;

fn fixtures() -> &'static [Vec<u8>] {
    static CACHE: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(load)
}

fn load() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples");
    assert!(dir.is_dir(), "fixture photos missing at {}", dir.display());
    let mut out = Vec::new();
    for sub in [
        "jpg",
        "jpg/exif-org",
        "jpg/gps",
        "tiff",
        "heic",
        "heic/mobile",
    ] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| p.is_file()).take(4) {
            let mut bytes = std::fs::read(&p).unwrap();
            // The EXIF lives in the head; keep mutated inputs small so many run.
            bytes.truncate(256 * 1024);
            out.push(bytes);
        }
    }
    assert!(out.len() >= 10, "too few fixtures: {}", out.len());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_mutated_fixtures(
        pick in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..24),
        cut in any::<prop::sample::Index>(),
        complete in any::<bool>(),
    ) {
        let all = fixtures();
        let mut bytes = all[pick.index(all.len())].clone();
        // Mutations cluster in the first 64 KiB, where the EXIF structures are.
        let window = bytes.len().min(64 * 1024);
        for (at, value) in flips {
            let i = at.index(window);
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = photosync::library::exif::parse(&bytes, complete);
    }
}
