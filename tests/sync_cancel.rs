//! Cancelling a sync: nothing new starts, what finished is recorded, and the next run
//! uploads the rest and nothing twice. Aborting also stops the uploads in flight.

mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::{self, SyncError, SyncEvent};
use photosync::emulators::flickr::EmulatorConfig;
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

#[test]
fn an_aborted_run_stops_its_uploads_and_the_next_one_resolves_them() {
    let emu = emulator(EmulatorConfig {
        latency: std::time::Duration::from_millis(800),
        ..EmulatorConfig::default()
    });
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 6);
    let catalog_file = dir.path().join("catalog.sqlite3");
    let mut catalog = Catalog::open(&catalog_file).unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let cancel = Cancel::new();
    let started = std::time::Instant::now();
    let mut upload_started_at = None;

    let result = {
        let at = std::sync::Mutex::new(&mut upload_started_at);
        sync::sync_flickr(
            &photos,
            &mut catalog,
            &client,
            &fast_options(),
            &cancel,
            &|e| {
                if matches!(e, SyncEvent::Started { .. }) && !cancel.is_cancelled() {
                    **at.lock().unwrap() = Some(started.elapsed());
                    cancel.abort();
                }
            },
        )
    };

    let Err(SyncError::Cancelled(partial)) = result else {
        panic!("expected a cancelled run, got {result:?}")
    };
    assert_eq!(partial.uploaded, 0);
    // Aborted, not waited for: well before the emulator could answer the upload.
    let aborted_after = started.elapsed() - upload_started_at.unwrap();
    assert!(
        aborted_after < std::time::Duration::from_millis(600),
        "{aborted_after:?}"
    );
    let backend = format!("flickr:{}", emu.user_nsid());
    assert_eq!(catalog.journal_unfinished(&backend).unwrap().len(), 1);
    drop(catalog);

    // Let the emulator finish (or drop) the aborted upload, then go fast.
    std::thread::sleep(std::time::Duration::from_millis(900));
    emu.set_latency(std::time::Duration::ZERO);
    let mut catalog = Catalog::open(&catalog_file).unwrap();
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!(report.failed, 0);
    let counts = md5_counts(&emu.photos());
    assert_eq!(counts.len(), 6);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert!(catalog.journal_unfinished(&backend).unwrap().is_empty());
}
