//! Sync against the emulator, one behaviour each: the first run uploads every photo
//! once with its checksum tag, title and privacy; a second run uploads nothing and
//! makes few calls; an account filled by the old script gets only the missing photos;
//! local duplicates go up once; a dry run changes nothing.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::{Privacy, SyncEvent};
use photosync::emulators::flickr::EmulatorConfig;
use sync_common::*;

#[test]
fn first_run_uploads_every_photo_once_with_checksum_title_and_family_privacy() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 6);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let (report, events) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();

    assert_eq!((report.uploaded, report.skipped, report.failed), (6, 0, 0));
    assert_eq!(report.bytes, photos.iter().map(|p| p.size).sum::<u64>());
    let on_flickr = emu.photos();
    let counts = md5_counts(&on_flickr);
    assert_eq!(
        counts
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        local_md5s(&photos)
    );
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    for p in &on_flickr {
        assert!(
            p.machine_tags.contains(&format!("checksum:md5={}", p.md5)),
            "{p:?}"
        );
        assert!(p.title.starts_with("p-"), "{}", p.title);
        assert!(p.is_family && !p.is_public && !p.is_friend);
    }
    // Generated files have no EXIF: their taken date (the mtime) is set on Flickr.
    let local = &photos[0];
    let remote = on_flickr
        .iter()
        .find(|p| Some(&p.md5) == local.md5.as_ref())
        .unwrap();
    assert_eq!(
        remote.date_taken,
        local.taken.local.format("%Y-%m-%d %H:%M:%S").to_string()
    );

    assert!(matches!(
        events.first(),
        Some(SyncEvent::Planned {
            to_upload: 6,
            already_there: 0,
            ..
        })
    ));
    assert_eq!(events.last(), Some(&SyncEvent::Finished));
    let uploaded = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Uploaded { .. }))
        .count();
    assert_eq!(uploaded, 6);
}

#[test]
fn second_run_uploads_nothing_and_makes_only_a_few_calls() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 8);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    let before = total_calls(&emu);

    let (report, _) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();

    assert_eq!((report.uploaded, report.skipped), (0, 8));
    assert_eq!(emu.photos().len(), 8);
    let calls = total_calls(&emu) - before;
    assert!(calls <= 3, "{calls} calls: {:?}", emu.call_counts());
    assert_eq!(report.api_calls, calls);
    assert_eq!(report.index_calls, calls);
}

#[test]
fn an_account_filled_by_the_old_script_gets_only_the_missing_photos() {
    let emu = emulator(EmulatorConfig::instant_search());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let paths = write_photos(dir.path(), "p", 5);
    for path in &paths[..3] {
        upload_like_the_old_script(&client, path);
    }
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let (report, _) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();

    assert_eq!((report.uploaded, report.skipped), (2, 3));
    let counts = md5_counts(&emu.photos());
    assert_eq!(counts.len(), 5);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert_eq!(emu.call_counts().get("upload"), Some(&5));
}

#[test]
fn the_same_bytes_at_several_paths_are_uploaded_once() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let paths = write_photos(dir.path(), "p", 2);
    std::fs::create_dir(dir.path().join("copy")).unwrap();
    std::fs::copy(&paths[0], dir.path().join("copy/again.jpg")).unwrap();
    std::fs::copy(&paths[0], dir.path().join("copy/more.jpg")).unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let (report, events) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();

    assert_eq!((report.uploaded, report.skipped), (2, 2));
    assert_eq!(emu.photos().len(), 2);
    let duplicates: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            SyncEvent::Skipped { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(duplicates.len(), 2);
    assert!(
        duplicates.iter().all(|r| r.contains("duplicate")),
        "{duplicates:?}"
    );
    assert!(matches!(
        events[0],
        SyncEvent::Planned {
            to_upload: 2,
            duplicates: 2,
            ..
        }
    ));
}

#[test]
fn photos_only_on_flickr_are_counted_and_kept() {
    let emu = emulator(EmulatorConfig::instant_search());
    let client = client_for(&emu);
    let elsewhere = tempfile::tempdir().unwrap();
    for path in write_photos(elsewhere.path(), "gone", 2) {
        upload_like_the_old_script(&client, &path);
    }
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 1);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!((report.uploaded, report.remote_only), (1, 2));
    assert_eq!(emu.photos().len(), 3);
}

#[test]
fn a_dry_run_plans_and_uploads_nothing() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 3);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let opts = photosync::destinations::flickr::sync::SyncOptions {
        dry_run: true,
        ..fast_options()
    };

    let (report, events) = run(&photos, &mut catalog, &client, &opts);

    assert_eq!(report.unwrap().uploaded, 0);
    assert!(emu.photos().is_empty());
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(matches!(events[0], SyncEvent::Planned { to_upload: 3, .. }));
}

#[test]
fn privacy_and_extra_tags_reach_flickr() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 1);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let opts = photosync::destinations::flickr::sync::SyncOptions {
        privacy: Privacy::Public,
        extra_tags: vec!["family trip".into(), "backup".into()],
        ..fast_options()
    };

    run(&photos, &mut catalog, &client, &opts).0.unwrap();

    let photo = &emu.photos()[0];
    assert!(photo.is_public);
    assert!(
        photo.tags.contains(&"familytrip".to_string()),
        "{:?}",
        photo.tags
    );
    assert!(photo.tags.contains(&"backup".to_string()));
}

#[test]
fn a_file_flickr_refuses_fails_its_run_alone_and_only_that_run() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 2);
    let bad = dir.path().join("not-a-photo.jpg");
    std::fs::write(&bad, b"plain text, not an image").unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let (report, events) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();

    // Refused in this run: it fails this run (failed counts it), under its own word.
    assert_eq!((report.uploaded, report.failed), (2, 1));
    assert_eq!((report.counts.refused, report.counts.failed), (1, 0));
    let bad = std::fs::canonicalize(&bad).unwrap();
    let (path, error) = &report.refused[0];
    assert_eq!(path, &bad);
    assert!(
        error.contains("Flickr does not accept this file"),
        "{error}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, SyncEvent::Refused { path, .. } if *path == bad)));
    let backend = format!("flickr:{}", emu.user_nsid());
    assert!(catalog.journal_unfinished(&backend).unwrap().is_empty());
    // Refused, not retried...
    assert_eq!(emu.call_counts()["upload"], 3);
    // ...nor sent again by the next run, which still shows it and does not fail.
    let again = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!((again.uploaded, again.failed), (0, 0));
    assert_eq!(again.counts.refused_before, 1);
    assert!(
        again.refused[0].1.contains("not sent again"),
        "{:?}",
        again.refused
    );
    assert_eq!(emu.call_counts()["upload"], 3);
}

#[test]
fn a_file_changed_since_the_scan_is_not_uploaded_under_its_old_checksum() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let paths = write_photos(dir.path(), "p", 2);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    std::fs::write(&paths[1], jpeg_bytes("edited after the scan, and longer")).unwrap();

    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!((report.uploaded, report.failed), (1, 1));
    assert!(
        report.errors[0].1.contains("changed since it was scanned"),
        "{:?}",
        report.errors
    );
    assert_eq!(emu.photos().len(), 1);
}

#[test]
fn no_more_uploads_in_flight_than_the_concurrency() {
    let emu = emulator(EmulatorConfig {
        latency: std::time::Duration::from_millis(20),
        ..EmulatorConfig::default()
    });
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 12);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let opts = photosync::destinations::flickr::sync::SyncOptions {
        concurrency: 3,
        ..fast_options()
    };

    let (report, events) = run(&photos, &mut catalog, &client, &opts);

    assert_eq!(report.unwrap().uploaded, 12);
    let mut in_flight = 0i32;
    let mut most = 0;
    for e in &events {
        match e {
            SyncEvent::Started { .. } => in_flight += 1,
            SyncEvent::Uploaded { .. } | SyncEvent::Failed { .. } => in_flight -= 1,
            _ => {}
        }
        most = most.max(in_flight);
    }
    assert_eq!(most, 3);
}

#[test]
fn rejected_credentials_stop_the_run_before_anything_is_sent() {
    let emu = emulator(EmulatorConfig::default());
    let client = photosync::destinations::flickr::api::Client::new(
        photosync::destinations::flickr::api::Credentials {
            api_key: emu.api_key(),
            shared_secret: emu.shared_secret(),
            access_token: Some(emu.access_token()),
            access_secret: Some("not-the-secret".into()),
        },
        photosync::destinations::flickr::api::Endpoints::under(&emu.endpoint()),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 2);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let (result, events) = run(&photos, &mut catalog, &client, &fast_options());

    let error = result.unwrap_err().to_string();
    assert!(
        error.contains("checking the Flickr login failed"),
        "{error}"
    );
    assert!(error.contains("photosync login"), "{error}");
    assert!(events.is_empty());
    assert!(emu.photos().is_empty());
    assert_eq!(emu.call_counts().get("upload"), None);
}
