//! Crash recovery: uploads journalled as started but never finished (the process was
//! killed) are looked up on Flickr before anything else, so the one that reached
//! Flickr is not uploaded again, and the one that did not is.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::emulators::flickr::EmulatorConfig;
use sync_common::*;

#[test]
fn unfinished_uploads_are_resolved_by_checksum_before_planning() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let paths = write_photos(dir.path(), "p", 3);
    let catalog_file = dir.path().join("catalog.sqlite3");
    let mut catalog = Catalog::open(&catalog_file).unwrap();
    let photos = scan(dir.path(), &mut catalog);
    // A first run saw the account empty...
    run(&[], &mut catalog, &client, &fast_options()).0.unwrap();
    let backend = format!("flickr:{}", emu.user_nsid());
    // ...then started two uploads and was killed: one reached Flickr, one did not.
    let md5 = |p: &std::path::Path| photosync::library::hash::md5_file(p).unwrap();
    let date = Some("2003-07-01 12:00:00");
    catalog
        .journal_start(&backend, &md5(&paths[0]), &paths[0], date)
        .unwrap();
    catalog
        .journal_start(&backend, &md5(&paths[1]), &paths[1], date)
        .unwrap();
    let stored = upload_like_the_old_script(&client, &paths[0]);
    drop(catalog);

    let mut catalog = Catalog::open(&catalog_file).unwrap();
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!((report.uploaded, report.skipped), (2, 1));
    let counts = md5_counts(&emu.photos());
    assert_eq!(counts.len(), 3);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert!(catalog.journal_unfinished(&backend).unwrap().is_empty());
    assert_eq!(
        catalog.remote_index(&backend).unwrap()[&md5(&paths[0])],
        vec![stored.clone()]
    );
    // The killed run had not set its taken date yet: the recovery did.
    let recovered = emu.photos().into_iter().find(|p| p.id == stored).unwrap();
    assert_eq!(recovered.date_taken, "2003-07-01 12:00:00");
}

#[test]
fn an_unfinished_upload_missing_from_the_index_is_searched_for() {
    let emu = emulator(EmulatorConfig::instant_search());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let paths = write_photos(dir.path(), "p", 1);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let backend = format!("flickr:{}", emu.user_nsid());
    let md5 = photosync::library::hash::md5_file(&paths[0]).unwrap();
    catalog
        .journal_start(&backend, &md5, &paths[0], None)
        .unwrap();
    // Flickr has it, but uploaded with a posted date the incremental index skips.
    let id = upload_like_the_old_script(&client, &paths[0]);
    catalog
        .finish_full_index(&backend, &Default::default(), 0)
        .unwrap();
    catalog
        .record_remote(
            &backend,
            &[],
            Some(chrono::Utc::now().timestamp() + 10 * 86400),
        )
        .unwrap();

    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!(report.uploaded, 0);
    assert_eq!(emu.photos().len(), 1);
    assert_eq!(catalog.remote_index(&backend).unwrap()[&md5], vec![id]);
    let searches = emu.call_counts()["flickr.photos.search"];
    assert_eq!(searches, 2, "one index page and one lookup");
}
