//! The S3 destination against a real S3 server (s3s-fs, see s3_common): a sync uploads
//! each distinct photo once under the layout's key with its MD5 in the metadata, a
//! second sync sends nothing, a restore brings the bytes back, an object deleted behind
//! photosync's back is found by the next listing and uploaded again, verify compares the
//! listing with the catalog without downloading, and big files go up in parts
//! (resumed after a kill: s3_resume.rs).

mod s3_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::SyncEvent;
use photosync::destinations::s3;
use photosync::restore::{self, RestoreOptions};
use s3_common::{scanned, set_up, sync};
use std::fs;
use std::path::PathBuf;

#[test]
fn round_trip_once_then_nothing_then_restore_byte_exact() {
    let (server, dir, lib, mut cat, photos, opts) = set_up(5, 40_000, "backup/main");

    let first = sync(&photos, &mut cat, &opts);
    assert_eq!((first.uploaded, first.failed), (5, 0), "{first:?}");
    assert_eq!(first.counts.duplicates, 1);
    let key = "backup/main/2019/05/02/IMG_20190502_143003.jpg";
    let stored = fs::read(server.object_file(key)).unwrap();
    assert_eq!(
        stored,
        fs::read(lib.join("IMG_20190502_143003.jpg")).unwrap()
    );

    let second = sync(&photos, &mut cat, &opts);
    assert_eq!(
        (second.uploaded, second.already_there),
        (0, 5),
        "{second:?}"
    );
    assert_eq!(second.bytes, 0);

    // A catalog that never saw the bucket learns it from the listing: nothing is sent.
    let mut fresh = Catalog::open_or_memory(None).unwrap();
    let photos2 = scanned(&lib, &mut fresh);
    let adopted = sync(&photos2, &mut fresh, &opts);
    assert_eq!((adopted.uploaded, adopted.adopted), (0, 5), "{adopted:?}");

    let back = dir.path().join("restored");
    let report = restore::restore_s3(
        &opts.url,
        &opts.connection,
        &back,
        &mut cat,
        &RestoreOptions::default(),
        &Cancel::new(),
        &|_| {},
    )
    .unwrap();
    assert_eq!((report.downloaded, report.failed), (5, 0), "{report:?}");
    for photo in photos
        .iter()
        .filter(|p| !p.path.starts_with(lib.join("dup")))
    {
        let name = photo.path.file_name().unwrap();
        let restored = fs::read(back.join("2019/05/02").join(name)).unwrap();
        assert_eq!(restored, fs::read(&photo.path).unwrap(), "{name:?}");
    }
}

#[test]
fn a_deleted_object_is_found_by_verify_and_uploaded_again() {
    let (server, _dir, _, mut cat, photos, opts) = set_up(3, 10_000, "");
    sync(&photos, &mut cat, &opts);

    let verified = s3::verify(&opts.url, &opts.connection, &mut cat, None, &Cancel::new()).unwrap();
    assert!(verified.is_ok(), "{verified:?}");
    assert_eq!(verified.checked, 3);

    fs::remove_file(server.object_file("2019/05/02/IMG_20190502_143001.jpg")).unwrap();
    fs::write(server.object_file("stranger.txt"), b"not a photo of ours").unwrap();
    let verified = s3::verify(&opts.url, &opts.connection, &mut cat, None, &Cancel::new()).unwrap();
    assert_eq!(
        verified.missing,
        vec![PathBuf::from(
            "s3://photos/2019/05/02/IMG_20190502_143001.jpg"
        )]
    );
    assert_eq!(
        verified.unknown,
        vec![PathBuf::from("s3://photos/stranger.txt")]
    );
    assert_eq!(verified.forgotten, 1);

    let healed = sync(&photos, &mut cat, &opts);
    assert_eq!((healed.uploaded, healed.healed), (1, 1), "{healed:?}");
    assert!(server
        .object_file("2019/05/02/IMG_20190502_143001.jpg")
        .exists());
}

#[test]
fn a_deletion_is_healed_by_the_next_sync_without_a_verify() {
    let (server, _dir, _, mut cat, photos, opts) = set_up(2, 10_000, "p");
    sync(&photos, &mut cat, &opts);
    fs::remove_file(server.object_file("p/2019/05/02/IMG_20190502_143000.jpg")).unwrap();
    let again = sync(&photos, &mut cat, &opts);
    assert_eq!(
        (again.uploaded, again.forgotten, again.healed),
        (1, 1, 1),
        "{again:?}"
    );
}

#[test]
fn a_key_held_by_other_bytes_is_not_overwritten() {
    let (server, _dir, _, mut cat, photos, opts) = set_up(1, 1_000, "");
    let taken = server.object_file("2019/05/02/IMG_20190502_143000.jpg");
    fs::create_dir_all(taken.parent().unwrap()).unwrap();
    fs::write(&taken, b"someone else's bytes").unwrap();
    let report = sync(&photos, &mut cat, &opts);
    assert_eq!(report.uploaded, 1, "{report:?}");
    assert_eq!(fs::read(&taken).unwrap(), b"someone else's bytes");
    let copies = cat.remote_index("s3://photos").unwrap();
    let md5 = photos[0].md5.clone().unwrap();
    let key = &copies[&md5][0];
    assert!(key.starts_with("2019/05/02/IMG_20190502_143000-"), "{key}");
}

#[test]
fn big_files_go_up_in_parts_and_are_known_by_their_metadata() {
    let (server, _dir, lib, mut cat, photos, mut opts) = set_up(1, 13 * 1024 * 1024, "big");
    opts.multipart_from = 6 * 1024 * 1024;
    opts.part_size = 5 * 1024 * 1024;
    let report = sync(&photos, &mut cat, &opts);
    assert_eq!((report.uploaded, report.failed), (1, 0), "{report:?}");
    let key = "big/2019/05/02/IMG_20190502_143000.jpg";
    assert_eq!(
        fs::read(server.object_file(key)).unwrap(),
        fs::read(lib.join("IMG_20190502_143000.jpg")).unwrap()
    );
    // Its ETag is not an MD5: a catalog new to the bucket reads the metadata.
    let mut fresh = Catalog::open_or_memory(None).unwrap();
    let photos2 = scanned(&lib, &mut fresh);
    let again = sync(&photos2, &mut fresh, &opts);
    assert_eq!((again.uploaded, again.adopted), (0, 1), "{again:?}");
    let verified = s3::verify(
        &opts.url,
        &opts.connection,
        &mut fresh,
        None,
        &Cancel::new(),
    )
    .unwrap();
    assert!(verified.is_ok(), "{verified:?}");
}

#[test]
fn a_put_damaged_on_the_way_is_refused_by_the_server_and_sent_again() {
    let (server, _dir, _, mut cat, photos, mut opts) = set_up(1, 50_000, "");
    let proxy = s3_common::FaultyProxy::start(&server.endpoint);
    opts.connection.endpoint = Some(proxy.endpoint.clone());
    proxy
        .faults
        .corrupt_puts
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let events = std::sync::Mutex::new(Vec::new());
    let report = s3::sync_photos(&photos, &mut cat, &opts, &Cancel::new(), &|e| {
        events.lock().unwrap().push(e)
    })
    .unwrap();
    assert_eq!((report.uploaded, report.failed), (1, 0), "{report:?}");
    assert_eq!(
        proxy
            .faults
            .faulted
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    let retried: Vec<String> = events
        .into_inner()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            SyncEvent::Retried { error, .. } => Some(error),
            _ => None,
        })
        .collect();
    // Had the server stored the damaged bytes, their ETag would not be the MD5 and
    // photosync would have told a retry of its own; the server refused them (s3s-fs
    // answers 500, AWS 400 BadDigest) and the client sent them again: the listing, the
    // damaged PUT, the good one, and the catalog's copy.
    assert!(retried.is_empty(), "{retried:?}");
    assert_eq!(
        proxy
            .faults
            .passed
            .load(std::sync::atomic::Ordering::SeqCst),
        4
    );
    let stored = fs::read(server.object_file("2019/05/02/IMG_20190502_143000.jpg")).unwrap();
    assert_eq!(stored, fs::read(&photos[0].path).unwrap());
}

#[test]
fn slow_down_answers_are_waited_out() {
    let (server, _dir, _, mut cat, photos, mut opts) = set_up(3, 5_000, "");
    let proxy = s3_common::FaultyProxy::start(&server.endpoint);
    opts.connection.endpoint = Some(proxy.endpoint.clone());
    proxy
        .faults
        .slow_down
        .store(4, std::sync::atomic::Ordering::SeqCst);
    let report = sync(&photos, &mut cat, &opts);
    assert_eq!((report.uploaded, report.failed), (3, 0), "{report:?}");
    assert_eq!(
        proxy
            .faults
            .faulted
            .load(std::sync::atomic::Ordering::SeqCst),
        4
    );
    let again = sync(&photos, &mut cat, &opts);
    assert_eq!(again.uploaded, 0);
}

#[test]
fn read_data_finds_bytes_that_changed_behind_an_intact_listing() {
    let (server, _dir, _, mut cat, photos, opts) = set_up(3, 10_000, "");
    sync(&photos, &mut cat, &opts);
    // s3s-fs keeps the ETag it computed at upload beside the file: the listing stays intact.
    let victim = server.object_file("2019/05/02/IMG_20190502_143002.jpg");
    let mut bytes = fs::read(&victim).unwrap();
    bytes[5_000] ^= 0xFF;
    fs::write(&victim, &bytes).unwrap();
    let listing = s3::verify(&opts.url, &opts.connection, &mut cat, None, &Cancel::new()).unwrap();
    assert!(listing.is_ok(), "{listing:?}");
    let read = s3::verify(
        &opts.url,
        &opts.connection,
        &mut cat,
        Some(100.0),
        &Cancel::new(),
    )
    .unwrap();
    assert_eq!(read.corrupted.len(), 1, "{read:?}");
    assert_eq!(
        read.corrupted[0].path,
        PathBuf::from("s3://photos/2019/05/02/IMG_20190502_143002.jpg")
    );
    assert_eq!(read.forgotten, 1);
    let healed = sync(&photos, &mut cat, &opts);
    assert_eq!((healed.uploaded, healed.healed), (1, 1), "{healed:?}");
    // Under another key: the damaged object is not overwritten.
    assert_eq!(fs::read(&victim).unwrap(), bytes);
}
