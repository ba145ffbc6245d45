//! Flickr as it really fails (issue 13, items 8-10), against the emulator in its harsher
//! defaults: odd file names in the multipart header, the upload API's documented refusals
//! (video limit, duplicate, free-account throttle, replace on a free account, setDates out
//! of range), and a search index that lags behind uploads with unstable paging.

mod sync_common;

use photosync::emulators::flickr::EmulatorConfig;
use std::collections::BTreeSet;
use sync_common::*;

/// A file name made of the given bytes (not necessarily UTF-8).
#[cfg(unix)]
fn name_of(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// Syncs `w` and checks that `uploaded` photos went up, nothing failed, and each
/// photo is on the emulator exactly once.
fn synced_cleanly(w: &mut World, uploaded: u64) {
    let report = w.sync(&fast_options()).0.unwrap();
    assert_eq!(
        (report.uploaded, report.failed),
        (uploaded, 0),
        "{:?}",
        report.errors
    );
    assert_each_exactly_once(&w.emu, &w.photos);
}

#[cfg(unix)]
#[test]
fn files_named_with_line_breaks_quotes_and_non_utf8_bytes_upload_with_their_titles() {
    let mut w = World::new(EmulatorConfig::default(), &[]);
    let names: [&[u8]; 4] = [
        b"line\nbreak.jpg",
        b"say \"cheese\".jpg",
        b"carriage\r\nreturn.jpg",
        b"caf\xe9.jpg",
    ];
    for (i, name) in names.iter().enumerate() {
        let path = w.dir.path().join(name_of(name));
        std::fs::write(path, jpeg_bytes(&format!("odd {i}"))).unwrap();
    }
    w.rescan();
    assert_eq!(w.photos.len(), 4);
    synced_cleanly(&mut w, 4);
    let titles: BTreeSet<String> = w.emu.photos().into_iter().map(|p| p.title).collect();
    let expected: BTreeSet<String> = [
        "line\nbreak",
        "say \"cheese\"",
        "carriage\r\nreturn",
        "caf\u{fffd}",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(titles, expected);
}

/// The bytes of a small MP4 (an `ftyp` box), different for every `salt`.
fn mp4_bytes(salt: &str) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    bytes.extend_from_slice(salt.as_bytes());
    bytes
}

#[test]
fn a_video_past_the_accounts_video_limit_is_refused_once_and_recorded() {
    let config = EmulatorConfig {
        max_videos: 1,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("", "photo", 2)]);
    std::fs::write(w.dir.path().join("first.mp4"), mp4_bytes("one")).unwrap();
    std::fs::write(w.dir.path().join("second.mp4"), mp4_bytes("two")).unwrap();
    w.rescan();
    let opts = photosync::destinations::flickr::sync::SyncOptions {
        concurrency: 1,
        ..fast_options()
    };
    let report = w.sync(&opts).0.unwrap();
    assert_eq!(report.uploaded, 3);
    assert_eq!(report.refused.len(), 1, "{:?}", report.refused);
    assert!(
        report.refused[0].1.contains("video limit"),
        "{:?}",
        report.refused
    );
    assert_eq!(
        w.emu.call_counts()["upload"],
        4,
        "refused once, not retried"
    );
    let again = w.sync(&opts).0.unwrap();
    assert_eq!((again.uploaded, again.counts.refused_before), (0, 1));
    assert_eq!(w.emu.call_counts()["upload"], 4);
}

#[test]
fn a_duplicate_flickr_detects_is_adopted_with_the_id_flickr_gives_and_tagged() {
    let config = EmulatorConfig {
        dedup_check: true,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("", "dup", 3)]);
    // The same bytes already on the account, put there without our tags (another app).
    let path = w.photos[0].path.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params = vec![("title".to_string(), "from the phone".to_string())];
    let theirs = match rt.block_on(w.client.upload(&path, &params, false)).unwrap() {
        photosync::destinations::flickr::api::UploadAnswer::PhotoId(id) => id,
        other => panic!("{other:?}"),
    };
    synced_cleanly(&mut w, 3);
    let md5 = w.photos[0].md5.clone().unwrap();
    let adopted = w.emu.photos().into_iter().find(|p| p.md5 == md5).unwrap();
    assert_eq!(adopted.id, theirs);
    assert!(
        adopted.machine_tags.iter().any(|t| t.contains(&md5)),
        "{adopted:?}"
    );
    // The next run finds it by its tag and sends nothing.
    let again = w.sync(&fast_options()).0.unwrap();
    assert_eq!(again.uploaded, 0);
}

#[test]
fn a_free_accounts_upload_wait_is_honoured_and_every_photo_arrives_once() {
    let config = EmulatorConfig {
        pro: false,
        upload_wait: std::time::Duration::from_millis(300),
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("", "slow", 4)]);
    synced_cleanly(&mut w, 4);
    // Throttled uploads were sent again after the wait, not given up on.
    assert!(w.emu.call_counts()["upload"] > 4);
}

#[test]
fn replace_on_a_free_account_says_so_once_and_fixes_only_the_dates() {
    let config = EmulatorConfig {
        pro: false,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[]);
    let edited: Vec<std::path::PathBuf> = (0..2)
        .map(|i| {
            let path = w.dir.path().join(format!("e{i}.jpg"));
            std::fs::write(&path, jpeg("first", format!("pixels {i}").as_bytes())).unwrap();
            path
        })
        .collect();
    w.rescan();
    assert_eq!(w.sync(&fast_options()).0.unwrap().uploaded, 2);
    for (i, path) in edited.iter().enumerate() {
        std::fs::write(
            path,
            jpeg("second, longer", format!("pixels {i}").as_bytes()),
        )
        .unwrap();
    }
    w.rescan();
    let opts = photosync::destinations::flickr::sync::SyncOptions {
        replace_edited: true,
        ..fast_options()
    };
    let report = w.sync(&opts).0.unwrap();
    assert_eq!((report.uploaded, report.edited_updated), (0, 2));
    assert_eq!(report.edited_replaced, 0);
    let messages: Vec<&String> = report.errors.iter().map(|(_, m)| m).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("Pro"), "{messages:?}");
    assert_eq!(w.emu.call_counts()["replace"], 1, "tried once for the run");
    let tagged: BTreeSet<String> = w.emu.photos().into_iter().map(|p| p.md5).collect();
    assert_eq!(tagged.len(), 2, "the files on Flickr stay the first ones");
}

#[test]
fn a_taken_date_flickr_refuses_is_reported_with_its_reason_and_not_retried() {
    let mut w = World::new(EmulatorConfig::default(), &[]);
    let path = w.dir.path().join("future.jpg");
    std::fs::write(&path, jpeg_bytes("future")).unwrap();
    let year_2100 = std::time::UNIX_EPOCH + std::time::Duration::from_secs(4_102_444_800);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(year_2100)
        .unwrap();
    w.rescan();
    let report = w.sync(&fast_options()).0.unwrap();
    assert_eq!(report.uploaded, 1);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0].1.contains("in the future"),
        "{:?}",
        report.errors
    );
    assert_eq!(w.emu.call_counts()["flickr.photos.setDates"], 1);
    let again = w.sync(&fast_options()).0.unwrap();
    assert_eq!((again.uploaded, again.errors.len()), (0, 0));
}

/// Upload code 9 without `duplicate_photo_id`: a copy of ours that search did not show
/// yet (the old script uploaded it a moment before the run read the index) is found by
/// its checksum and adopted; a copy another app put there without our tag is refused
/// with what to do, and not sent again.
#[test]
fn a_duplicate_flickr_does_not_name_is_found_by_its_checksum_or_refused() {
    let config = EmulatorConfig {
        dedup_check: true,
        names_duplicate: false,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("", "dup", 3)]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params = vec![("title".to_string(), "from the phone".to_string())];
    let phone = w.photos[0].path.clone();
    // Its own client: a pooled connection must not outlive the runtime driving it.
    rt.block_on(client_for(&w.emu).upload(&phone, &params, false))
        .unwrap();
    let ours = upload_like_the_old_script(&w.client, &w.photos[1].path);
    let report = w.sync(&fast_options()).0.unwrap();
    // A refusal fails the run it is met in (and only that one).
    assert_eq!(
        (report.uploaded, report.failed),
        (2, 1),
        "{:?}",
        report.errors
    );
    assert_eq!(report.refused.len(), 1, "{:?}", report.refused);
    assert_eq!(report.refused[0].0, phone);
    assert!(
        report.refused[0].1.contains("adopt"),
        "{:?}",
        report.refused
    );
    assert_eq!(md5_counts(&w.emu.photos()).values().max(), Some(&1));
    let backend = format!("flickr:{}", w.emu.user_nsid());
    let md5 = w.photos[1].md5.clone().unwrap();
    assert_eq!(w.catalog.remote_index(&backend).unwrap()[&md5], vec![ours]);
    let uploads = w.emu.call_counts()["upload"];
    let again = w.sync(&fast_options()).0.unwrap();
    assert_eq!((again.uploaded, again.counts.refused_before), (0, 1));
    assert_eq!(w.emu.call_counts()["upload"], uploads);
}

/// An upload whose answer was lost before Flickr stored it is sent again after the
/// lookup finds nothing, through an upload slot like any upload: each send is a start
/// the run tells (one slot at a time here).
#[test]
fn a_lost_upload_flickr_never_stored_is_sent_again_through_a_slot() {
    use photosync::destinations::flickr::sync::{SyncEvent, SyncOptions};
    use photosync::emulators::flickr::FaultKind;
    let config = EmulatorConfig {
        seed: 8,
        calls_per_hour: 100_000,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("", "resend", 8)]);
    w.emu.set_fault_kinds(&[FaultKind::DropBeforeAnswer]);
    w.emu.set_fault_rate(0.3);
    let opts = SyncOptions {
        concurrency: 1,
        max_attempts: 12,
        ..fast_options()
    };
    let (report, events) = w.sync(&opts);
    let report = report.unwrap();
    assert_eq!(
        (report.uploaded, report.failed),
        (8, 0),
        "{:?}",
        report.errors
    );
    assert_each_exactly_once(&w.emu, &w.photos);
    let starts = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Started { .. }))
        .count() as u64;
    let uploads = w.emu.call_counts()["upload"];
    assert!(uploads > 8, "no upload lost its answer");
    assert_eq!(starts, uploads, "every send took a slot");
}
