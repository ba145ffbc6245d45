//! The sample library (`photosync samples`, and `photosync demo`'s default) synced to
//! the emulator twice: its odd files (a duplicate, random bytes named .jpg, scans
//! without EXIF) each get their per-file outcome, and the second run uploads nothing and
//! fails nothing.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::SyncEvent;
use photosync::emulators::flickr::EmulatorConfig;
use sync_common::*;

#[test]
fn the_sample_library_goes_up_once_with_per_file_outcomes() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    photosync::library::samples::generate(dir.path(), 1).unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let (report, events) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();

    let distinct = local_md5s(&photos).len() as u64;
    assert_eq!(report.uploaded + report.failed, distinct, "{report:?}");
    assert!(
        report.failed >= 1,
        "the random bytes named .jpg: {report:?}"
    );
    assert!(report
        .errors
        .iter()
        .all(|(path, _)| path.starts_with(std::fs::canonicalize(dir.path()).unwrap())));
    let duplicates = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Skipped { reason, .. } if reason.contains("duplicate")))
        .count();
    assert!(duplicates >= 1);
    let counts = md5_counts(&emu.photos());
    assert_eq!(counts.len() as u64, report.uploaded);
    assert!(counts.values().all(|n| *n == 1));
    // Photos dated by file name or mtime got that date on Flickr.
    for photo in photos.iter().filter(|p| {
        matches!(
            p.taken.source,
            photosync::dates::DateSource::FileName | photosync::dates::DateSource::Mtime
        )
    }) {
        if let Some(remote) = emu
            .photos()
            .into_iter()
            .find(|r| Some(&r.md5) == photo.md5.as_ref())
        {
            let want = photo.taken.local.format("%Y-%m-%d %H:%M:%S").to_string();
            assert_eq!(remote.date_taken, want, "{}", photo.path.display());
        }
    }

    let again = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!(again.uploaded, 0);
    // What Flickr refused is not sent again, is still shown, and fails no later run.
    assert_eq!(again.failed, 0);
    assert_eq!(again.counts.refused_before, report.counts.refused);
    assert_eq!(again.refused.len() as u64, report.counts.refused);
}
