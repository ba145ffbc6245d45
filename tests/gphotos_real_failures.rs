//! Google Photos as it really fails (issue 13), against the emulator in its harsher
//! defaults: a bad upload token failing a whole batchCreate, bytes Google cannot decode, an
//! item another app made, files over Google's limits, quota errors in their wordings, and
//! the 7-day login of a project in Testing.

mod gphotos_common;
mod sync_common;

use gphotos_common::{
    album_options, album_sizes, calls, client, leave_tokens, start as emulator, sync,
};
use photosync::catalog::Catalog;
use photosync::destinations::gphotos::api::NewItem;
use photosync::destinations::gphotos::sync::{
    self as gphotos_sync, GphotosSyncError, GphotosSyncOptions,
};
use photosync::emulators::gphotos::{BadToken, GooglePhotosConfig, GooglePhotosEmulator};
use photosync::library::photo::Photo;
use std::collections::BTreeMap;
use sync_common::{jpeg_bytes, scan, write_photos};

/// How many items the library holds per MD5.
fn items_per_md5(emu: &GooglePhotosEmulator) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for item in emu.items() {
        *counts.entry(item.md5).or_default() += 1;
    }
    counts
}

/// `n` photos in a new folder, scanned into a new catalog, and a client of `emu`.
fn library(
    emu: &GooglePhotosEmulator,
    prefix: &str,
    n: usize,
) -> (
    tempfile::TempDir,
    Catalog,
    Vec<Photo>,
    std::sync::Arc<photosync::destinations::gphotos::api::Client>,
) {
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), prefix, n);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    (dir, catalog, photos, client(emu))
}

fn assert_each_once(emu: &GooglePhotosEmulator, photos: &[Photo]) {
    let counts = items_per_md5(emu);
    for photo in photos {
        let md5 = photo.md5.clone().unwrap();
        assert_eq!(counts.get(&md5), Some(&1), "{:?}", photo.path);
    }
}

#[test]
fn one_bad_upload_token_in_fifty_costs_one_upload_and_is_never_replayed() {
    for mode in [BadToken::WholeCall, BadToken::PerItem] {
        let emu = emulator(GooglePhotosConfig {
            bad_token: mode,
            ..GooglePhotosConfig::default()
        });
        let (_dir, mut catalog, photos, client) = library(&emu, "t", 50);
        leave_tokens(&client, &mut catalog, &photos, false);
        // A token Google no longer takes (mistyped, used, past its day) in the journal.
        let backend = gphotos_sync::backend_name(&client);
        let bad = &photos[17];
        let md5 = bad.md5.clone().unwrap();
        let now = client.server_now();
        catalog
            .gphotos_token_record(&backend, &md5, "CAISnot-a-token", &bad.path, now)
            .unwrap();
        let uploads = calls(&emu, "uploads");
        let opts = GphotosSyncOptions::default();
        let report = sync(&photos, &mut catalog, &client, &opts).unwrap();
        assert_eq!(report.failed, 0, "{mode:?}: {:?}", report.errors);
        assert_eq!((report.uploaded, report.reused_tokens), (50, 49));
        assert_eq!(report.bytes_sent, bad.size, "only its bytes went again");
        assert_eq!(calls(&emu, "uploads"), uploads + 1);
        if mode == BadToken::WholeCall {
            assert_eq!(report.bad_tokens, 1);
            // 50, then halves down to the bad one (25, 12, 13, 6, 7, 3, 4, 1, 2, 1, 1),
            // then its new token.
            assert!(report.batch_create_calls <= 14, "{report:?}");
        }
        assert!(catalog.gphotos_tokens(&backend).unwrap().is_empty());
        assert_each_once(&emu, &photos);
        let again = sync(&photos, &mut catalog, &client, &opts).unwrap();
        assert_eq!((again.uploaded, again.api_calls), (0, 0), "{again:?}");
    }
}

#[test]
fn bytes_google_cannot_decode_are_refused_once_with_its_reason_until_the_file_changes() {
    let emu = emulator(GooglePhotosConfig::default());
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "ok", 3);
    let noise: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(dir.path().join("noise.jpg"), &noise).unwrap();
    let whole = jpeg_bytes("cut short");
    let cut = dir.path().join("cut.jpg");
    std::fs::write(&cut, &whole[..whole.len() - 4]).unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = GphotosSyncOptions::default();
    let first = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((first.uploaded, first.counts.refused), (3, 2), "{first:?}");
    assert_eq!(first.refused.len(), 2);
    for (_, reason) in &first.refused {
        assert!(reason.contains("BAD_IMAGE"), "{reason}");
    }
    assert_eq!(calls(&emu, "uploads"), 5, "each sent once, not twice");
    assert_eq!(emu.items().len(), 3);

    let second = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(second.counts.refused_before, 2, "{second:?}");
    assert_eq!((second.uploaded, second.api_calls), (0, 0));

    // Repaired, the file is other bytes: sent, and taken.
    std::fs::write(&cut, &whole).unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let third = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((third.uploaded, third.counts.refused_before), (1, 1));
    assert_eq!(emu.items().len(), 4);
}

#[test]
fn an_item_another_app_made_stays_out_of_its_album_and_every_other_album_fills() {
    let emu = emulator(GooglePhotosConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let rome = write_photos(&dir.path().join("Rome"), "r", 5);
    write_photos(&dir.path().join("Paris"), "p", 3);
    // The phone backed this one up already.
    let foreign = emu
        .add_foreign_item(&rome[0], Some("IMG_0001.JPG"))
        .unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let opts = album_options(dir.path());
    let first = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((first.uploaded, first.failed), (8, 0), "{:?}", first.errors);
    assert_eq!((first.album_adds, first.albums_created), (7, 2));
    assert_eq!(first.album_notes.len(), 1);
    assert_eq!(first.album_notes[0].0, rome[0]);
    assert!(first.album_notes[0].1.contains("another app"));
    let albums = album_sizes(&emu);
    assert_eq!(albums, vec![("Paris".into(), 3), ("Rome".into(), 4)]);
    // The library holds each photo once: the phone's item stands for the first.
    assert_each_once(&emu, &photos);
    assert!(emu.items().iter().any(|i| i.id == foreign));

    let second = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(
        (second.uploaded, second.album_adds, second.failed),
        (0, 0, 0)
    );
    assert_eq!(second.album_notes.len(), 1);
}

#[test]
fn files_over_google_s_limits_or_of_kinds_it_does_not_take_are_never_sent() {
    // Google's limits (200 MB photos, 20 GB videos), scaled down on both sides.
    let emu = emulator(GooglePhotosConfig {
        max_photo_bytes: 4_000,
        max_video_bytes: 8_000,
        ..GooglePhotosConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let small = &write_photos(dir.path(), "small", 1)[0];
    let mut big = jpeg_bytes("big");
    big.splice(20..20, vec![b'x'; 5_000]);
    std::fs::write(dir.path().join("big.jpg"), &big).unwrap();
    std::fs::write(dir.path().join("long.mp4"), vec![b'v'; 9_000]).unwrap();
    std::fs::write(dir.path().join("old.crw"), b"raw from 2003").unwrap();
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let client = client(&emu);
    let mut opts = GphotosSyncOptions::default();
    opts.accepts.max_photo_bytes = Some(4_000);
    opts.accepts.max_video_bytes = Some(8_000);
    let report = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((report.uploaded, report.failed), (1, 0), "{report:?}");
    let mut not_taken: Vec<(String, String)> = report
        .not_taken
        .iter()
        .map(|(p, why)| (p.file_name().unwrap().to_string_lossy().into(), why.clone()))
        .collect();
    not_taken.sort();
    assert_eq!(not_taken.len(), 3, "{not_taken:?}");
    assert!(not_taken[0].1.contains("limit for photos"), "{not_taken:?}");
    assert!(not_taken[1].1.contains("limit for videos"), "{not_taken:?}");
    assert!(not_taken[2].1.contains(".crw"), "{not_taken:?}");
    // Not one byte of them went out.
    assert_eq!(calls(&emu, "uploads"), 1);
    assert_eq!(report.bytes_sent, std::fs::metadata(small).unwrap().len());

    // A client that sent them anyway would have had them refused, after the bytes.
    opts.accepts = photosync::engine::plan::Accepts::everything("Google Photos");
    let mut fresh = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut fresh);
    let blind = sync(&photos, &mut fresh, &client, &opts).unwrap();
    assert!(blind.bytes_sent > big.len() as u64, "{blind:?}");
    assert!(
        blind
            .refused
            .iter()
            .any(|(p, why)| p.ends_with("big.jpg") && why.contains("too large")),
        "{blind:?}"
    );
}

#[test]
fn a_daily_quota_in_either_wording_stops_the_run_and_says_which_quota_a_per_minute_one_is_waited_out(
) {
    let mut wordings = std::collections::BTreeSet::new();
    // The emulator words each refusal at random: seeds until both were met (the chance
    // that 40 seeds meet only one is 2^-39).
    for seed in 1..=40 {
        if wordings.len() == 2 {
            break;
        }
        // The project's quota is Google's: 10 a day here, whatever photosync was told.
        let emu = emulator(GooglePhotosConfig {
            daily_quota: 10,
            seed,
            ..GooglePhotosConfig::default()
        });
        let (_dir, mut catalog, photos, client) = library(&emu, "q", 20);
        let report = sync(
            &photos,
            &mut catalog,
            &client,
            &GphotosSyncOptions::default(),
        )
        .unwrap();
        let stopped = report.stopped.clone().expect("stopped by Google's quota");
        assert!(
            stopped.starts_with("Google Photos says the project's daily quota is used up"),
            "{stopped}"
        );
        assert!(!stopped.contains("10000 requests is used up"), "{stopped}");
        assert!(stopped.contains("photos left, the quota resets at 00:00 Pacific"));
        assert_eq!(report.failed, 0, "{:?}", report.errors);
        wordings.insert(stopped.contains("ApiCallsPerProjectPerDay"));
    }
    assert_eq!(wordings.len(), 2, "both wordings met");

    // Per minute (in both wordings): waited out, the run finishes.
    let emu = emulator(GooglePhotosConfig::default());
    emu.set_fault_kinds(&[photosync::emulators::gphotos::FaultKind::Http429]);
    emu.set_fault_rate(0.2);
    let (_dir, mut catalog, photos, client) = library(&emu, "m", 30);
    let opts = GphotosSyncOptions::default();
    let report = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(
        (report.stopped.clone(), report.failed),
        (None, 0),
        "{:?}",
        report.errors
    );
    assert_each_once(&emu, &photos);
}

#[test]
fn a_testing_project_s_login_dies_after_seven_days_and_the_error_says_why_and_what_to_do() {
    // The emulator's default: a project in Testing status.
    let emu = emulator(GooglePhotosConfig::default());
    let (_dir, mut catalog, photos, client) = library(&emu, "l", 3);
    let opts = GphotosSyncOptions::default();
    assert_eq!(
        sync(&photos, &mut catalog, &client, &opts)
            .unwrap()
            .uploaded,
        3
    );
    emu.advance_clock(std::time::Duration::from_secs(7 * 86_400));
    let client = client.renewed().unwrap();
    let err = sync(&photos, &mut catalog, &client, &opts).unwrap_err();
    assert!(matches!(err, GphotosSyncError::Login(_)), "{err:?}");
    let text = err.to_string();
    for part in [
        "Token has been expired or revoked.",
        "7 days",
        "Testing status",
        "run `photosync login gphotos` again",
    ] {
        assert!(text.contains(part), "{text}");
    }
}

#[test]
fn with_checksum_none_descriptions_hold_only_the_user_s_text_and_a_lost_answer_still_makes_no_copy()
{
    let emu = emulator(GooglePhotosConfig::default());
    let (_dir, mut catalog, photos, client) = library(&emu, "c", 6);
    let opts = GphotosSyncOptions {
        checksum: gphotos_sync::Checksum::None,
        description: Some("Rome, 2019".into()),
        ..GphotosSyncOptions::default()
    };
    // A run died after its batchCreate went out; a day later its tokens are no use, and
    // no checksum finds its items in the listing: the bytes go again, and Google answers
    // them with the items it made.
    leave_tokens(&client, &mut catalog, &photos[..3], false);
    let backend = gphotos_sync::backend_name(&client);
    let entries = catalog.gphotos_tokens(&backend).unwrap();
    let md5s: Vec<String> = entries.iter().map(|t| t.md5.clone()).collect();
    catalog
        .gphotos_tokens_sent(&backend, &md5s, client.server_now())
        .unwrap();
    let items: Vec<NewItem> = entries
        .iter()
        .map(|t| NewItem {
            upload_token: t.token.clone(),
            file_name: "x.jpg".into(),
            description: opts.description_for(&t.md5),
        })
        .collect();
    let client = client.renewed().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(client.batch_create(&items, None)).unwrap();
    emu.advance_clock(std::time::Duration::from_secs(21 * 3600));
    let report = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!(
        (report.failed, report.bad_tokens),
        (0, 0),
        "{:?}",
        report.errors
    );
    assert_eq!(report.uploaded, 6, "3 new, 3 answered with the items made");
    assert_each_once(&emu, &photos);
    assert_eq!(emu.items().len(), 6);
    let descriptions: Vec<String> = emu.items().into_iter().map(|i| i.description).collect();
    assert_eq!(descriptions, vec!["Rome, 2019"; 6]);
    let again = sync(&photos, &mut catalog, &client, &opts).unwrap();
    assert_eq!((again.uploaded, again.api_calls), (0, 0));
}
