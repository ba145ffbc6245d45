//! Cancelling a sync: nothing new starts, what finished is recorded, and the next run
//! uploads the rest and nothing twice.

mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::emulator::EmulatorConfig;
use photosync::sync::{self, SyncError, SyncEvent};
use sync_common::*;

#[test]
fn a_cancelled_run_keeps_its_uploads_and_the_next_one_finishes() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 12);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let cancel = Cancel::new();
    let opts = sync::SyncOptions {
        concurrency: 2,
        ..fast_options()
    };

    let result = sync::sync_flickr(&photos, &mut catalog, &client, &opts, &cancel, &|e| {
        if matches!(e, SyncEvent::Uploaded { .. }) {
            cancel.cancel();
        }
    });

    let Err(SyncError::Cancelled(partial)) = result else {
        panic!("expected a cancelled run, got {result:?}")
    };
    assert!(
        partial.uploaded >= 1 && partial.uploaded <= 2,
        "{partial:?}"
    );
    assert_eq!(emu.photos().len() as u64, partial.uploaded);

    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!(report.uploaded + partial.uploaded, 12);
    let counts = md5_counts(&emu.photos());
    assert_eq!(counts.len(), 12);
    assert!(counts.values().all(|n| *n == 1));
}
