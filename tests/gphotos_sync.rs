//! The Google Photos sync engine against the emulator: batching, exactly once under faults,
//! resumable uploads resumed, the daily quota across runs, a revoked login, and tokens left
//! by a run that died.

mod gphotos_common;
mod sync_common;

use gphotos_common::{
    album_options, album_sizes, calls, client, leave_tokens, start as emulator, sync,
};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::gphotos::api::{self as gphotos, checksum_of, NewItem};
use photosync::destinations::gphotos::sync::{
    self as gphotos_sync, GphotosSyncError, GphotosSyncOptions,
};
use photosync::emulators::gphotos::{FaultKind, GooglePhotosConfig, GooglePhotosEmulator};
use photosync::library::photo::Photo;
use std::collections::BTreeMap;
use std::time::Duration;
use sync_common::{md5_hex, scan, write_photos};

/// Every local MD5 is in the library exactly once, with photosync's checksum description.
fn assert_exactly_once(emu: &GooglePhotosEmulator, photos: &[Photo]) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in emu.items() {
        assert_eq!(
            checksum_of(&item.description).as_deref(),
            Some(item.md5.as_str())
        );
        *counts.entry(item.md5).or_default() += 1;
    }
    for photo in photos {
        let md5 = photo.md5.clone().unwrap();
        assert_eq!(counts.get(&md5), Some(&1), "{md5} of {:?}", photo.path);
    }
    assert_eq!(counts.len(), photos.len());
}

#[test]
fn batches_of_fifty_and_a_second_run_creates_nothing() {
    let emu = emulator(GooglePhotosConfig::default());
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 120);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions::default();

    let first = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((first.uploaded, first.failed), (120, 0));
    assert_eq!(first.batch_create_calls, 3);
    assert_eq!(calls(&emu, "mediaItems.batchCreate"), 3);
    assert_eq!(calls(&emu, "uploads"), 120);
    assert_eq!(first.api_calls, 123);
    assert_eq!(emu.quota_used(), 123);
    assert_exactly_once(&emu, &photos);

    let second = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(
        (second.uploaded, second.skipped, second.api_calls),
        (0, 120, 0)
    );
    assert_eq!(calls(&emu, "mediaItems.batchCreate"), 3);
    assert_eq!(emu.items().len(), 120);
}

#[test]
fn faults_of_every_kind_then_a_clean_run_leave_every_photo_exactly_once() {
    let emu = emulator(GooglePhotosConfig {
        fault_rate: 0.2,
        seed: 7,
        ..GooglePhotosConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "f", 80);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions {
        concurrency: 6,
        ..GphotosSyncOptions::default()
    };
    // The faulty run may fail some photos; it must not create any twice.
    let faulty = sync(&photos, &mut catalog, &client, &opts);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in emu.items() {
        *counts.entry(item.md5).or_default() += 1;
    }
    assert!(counts.values().all(|n| *n == 1), "{faulty:?}");

    emu.set_fault_rate(0.0);
    let clean = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(clean.failed, 0, "{:?}", clean.errors);
    assert_exactly_once(&emu, &photos);
    let backend = gphotos_sync::backend_name(&client);
    assert_eq!(catalog.remote_index(&backend).unwrap().len(), 80);
}

#[test]
fn a_cut_resumable_upload_goes_on_from_the_server_s_offset() {
    let emu = emulator(GooglePhotosConfig {
        seed: 3,
        ..GooglePhotosConfig::default()
    });
    emu.set_fault_kinds(&[FaultKind::CutUpload]);
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = sync_common::jpeg_bytes("big");
    bytes.resize(3 * 1024 * 1024 + 1234, 7);
    bytes.extend([0xFF, 0xD9]);
    let path = dir.path().join("big.jpg");
    std::fs::write(&path, &bytes).unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions {
        resumable_above: 1024 * 1024,
        chunk_size: 1024 * 1024,
        ..GphotosSyncOptions::default()
    };
    emu.set_fault_rate(0.5);
    let report = sync(&photos, &mut catalog, &client, &opts).unwrap();
    emu.set_fault_rate(0.0);
    assert_eq!(report.uploaded, 1, "{:?}", report.errors);
    assert!(report.resumed >= 1, "{report:?}");
    assert!(calls(&emu, "uploads.query") >= 1);
    // Resumed, not restarted: well under twice the file went over the wire.
    let size = bytes.len() as u64;
    assert!(
        report.bytes_sent >= size && report.bytes_sent < 2 * size,
        "{report:?}"
    );
    let items = emu.items();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].md5, md5_hex(&bytes));
}

#[test]
fn the_daily_quota_stops_a_run_cleanly_and_the_next_day_finishes() {
    let emu = emulator(GooglePhotosConfig {
        daily_quota: 30,
        ..GooglePhotosConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "q", 45);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions {
        daily_quota: 30,
        ..GphotosSyncOptions::default()
    };
    let first = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(first.failed, 0, "{:?}", first.errors);
    let stopped = first.stopped.clone().expect("stopped by the quota");
    assert!(stopped.contains(&format!(
        "{} photos left, the quota resets at 00:00 Pacific",
        first.left
    )));
    assert_eq!(first.uploaded + first.left, 45);
    assert!(emu.quota_used() <= 30);

    // Same day: counted in the catalog, so nothing is even tried.
    // Same day: what is left of the budget (counted in the catalog) is used, no more.
    let again = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert!(first.api_calls + again.api_calls <= 30, "{again:?}");
    assert!(again.stopped.is_some());
    assert_eq!(emu.quota_used(), first.api_calls + again.api_calls);

    emu.advance_clock(Duration::from_secs(24 * 3600));
    let next = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(next.stopped, None, "{first:?}\n{again:?}\n{next:?}");
    assert_eq!(first.uploaded + again.uploaded + next.uploaded, 45);
    assert_exactly_once(&emu, &photos);
}

#[test]
fn a_revoked_refresh_token_says_to_log_in_again() {
    let emu = emulator(GooglePhotosConfig::default());
    let client = client(&emu);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let r = http
            .post(emu.revoke_url())
            .form(&[("token", client.config().refresh_token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
    });
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "r", 2);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let err = sync(
        &photos,
        &mut catalog,
        &client,
        &GphotosSyncOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, GphotosSyncError::Login(_)));
    assert!(
        err.to_string()
            .contains("run `photosync login gphotos` again"),
        "{err}"
    );
}

#[test]
fn tokens_left_by_a_dead_run_are_reused_and_a_lost_batch_create_is_resolved() {
    let emu = emulator(GooglePhotosConfig::default());
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "k", 6);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    leave_tokens(&client, &mut catalog, &photos[..3], true);
    leave_tokens(&client, &mut catalog, &photos[3..], false);
    assert_eq!(emu.items().len(), 3);
    let uploads = calls(&emu, "uploads");

    let report = sync(
        &photos,
        &mut catalog,
        &client,
        &GphotosSyncOptions::default(),
    )
    .unwrap();
    // The three tokens the lost call used are no longer valid: Google fails the whole
    // call, the split isolates them, and only their bytes go again.
    let resent: u64 = photos[..3].iter().map(|p| p.size).sum();
    assert_eq!(
        (report.uploaded, report.reused_tokens, report.bytes_sent),
        (6, 3, resent)
    );
    assert_eq!(report.bad_tokens, 3);
    assert_eq!(calls(&emu, "uploads"), uploads + 3);
    assert_exactly_once(&emu, &photos);
}

#[test]
fn an_old_token_sent_in_a_lost_batch_create_is_found_in_the_listing() {
    let emu = emulator(GooglePhotosConfig {
        page_repeat_rate: 0.5,
        ..GooglePhotosConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "o", 130);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let (sent, unsent) = photos.split_at(110);
    leave_tokens(&client, &mut catalog, sent, false);
    // Made in batches, as a run would have, before it died without recording them.
    let backend = gphotos_sync::backend_name(&client);
    for chunk in sent.chunks(20) {
        let md5s: Vec<String> = chunk.iter().map(|p| p.md5.clone().unwrap()).collect();
        catalog
            .gphotos_tokens_sent(&backend, &md5s, client.server_now())
            .unwrap();
    }
    let tokens = catalog.gphotos_tokens(&backend).unwrap();
    let items: Vec<NewItem> = tokens
        .iter()
        .map(|t| NewItem {
            upload_token: t.token.clone(),
            file_name: "x.jpg".into(),
            description: gphotos::description_for(Some("kept"), &t.md5),
        })
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = client.renewed().unwrap();
    for chunk in items.chunks(50) {
        rt.block_on(client.batch_create(chunk, None)).unwrap();
    }
    leave_tokens(&client, &mut catalog, unsent, false);
    // A day later those tokens are useless; the items are found by their checksums.
    emu.advance_clock(Duration::from_secs(21 * 3600));
    let report = sync(
        &photos,
        &mut catalog,
        &client,
        &GphotosSyncOptions::default(),
    )
    .unwrap();
    assert_eq!(report.uploaded, 20, "{:?}", report.errors);
    assert_eq!(report.reused_tokens, 0);
    assert!(calls(&emu, "mediaItems.list") >= 2);
    assert_exactly_once(&emu, &photos);
    assert!(catalog.gphotos_tokens(&backend).unwrap().is_empty());
}

#[test]
fn verify_rebuilds_a_lost_catalog_from_descriptions_and_reports_what_is_off() {
    let emu = emulator(GooglePhotosConfig::default());
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "v", 7);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions::default();
    sync(&photos[..6], &mut catalog, &client, &opts).unwrap();

    // The catalog is lost.
    let mut fresh = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut fresh);
    let report =
        gphotos_sync::verify_gphotos(dir.path(), &mut fresh, &client, &Cancel::new()).unwrap();
    assert_eq!((report.items, report.rebuilt), (6, 6));
    assert_eq!(report.missing.len(), 1);
    assert!(report.unknown.is_empty() && report.lost_checksum.is_empty());
    let next = sync(&photos, &mut fresh, &client, &opts).unwrap();
    assert_eq!((next.uploaded, next.skipped), (1, 6));
    assert_exactly_once(&emu, &photos);
}

#[test]
fn a_cancelled_run_finishes_what_is_in_flight_records_it_and_the_next_run_completes() {
    let emu = emulator(GooglePhotosConfig {
        latency: Duration::from_millis(20),
        ..GooglePhotosConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "c", 40);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions::default();
    let cancel = Cancel::new();
    let trigger = cancel.clone();
    let result = gphotos_sync::sync_gphotos(&photos, &mut catalog, &client, &opts, &cancel, &|e| {
        if matches!(
            e,
            photosync::destinations::flickr::sync::SyncEvent::Started { .. }
        ) {
            trigger.cancel();
        }
    });
    let Err(GphotosSyncError::Cancelled(partial)) = result else {
        panic!("{result:?}")
    };
    // The uploads in flight finished and were created; nothing new started after.
    assert!(
        partial.uploaded >= 1 && partial.uploaded <= opts.concurrency as u64,
        "{partial:?}"
    );
    assert_eq!(emu.items().len() as u64, partial.uploaded);
    let rest = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(partial.uploaded + rest.uploaded, 40);
    assert_exactly_once(&emu, &photos);
}

#[test]
fn albums_per_folder_are_created_once_and_filled_once() {
    let emu = emulator(GooglePhotosConfig::default());
    let dir = tempfile::tempdir().unwrap();
    write_photos(&dir.path().join("2019/Rome"), "r", 60);
    write_photos(&dir.path().join("Paris"), "p", 3);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = album_options(dir.path());
    let first = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((first.album_adds, first.albums_created), (63, 2));
    let second = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(
        (second.album_adds, second.albums_created, second.api_calls),
        (0, 0, 0)
    );
    let albums = album_sizes(&emu);
    assert_eq!(
        albums,
        vec![("2019/Rome".to_string(), 60), ("Paris".to_string(), 3)]
    );
}
