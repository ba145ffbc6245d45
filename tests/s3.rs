//! The S3 destination against a real S3 server (s3s-fs, see s3_common): a sync uploads
//! each distinct photo once under the layout's key with its MD5 in the metadata, a
//! second sync sends nothing, a restore brings the bytes back, an object deleted behind
//! photosync's back is found by the next listing and uploaded again, verify compares the
//! listing with the catalog without downloading, and big files go up in parts.

mod s3_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::SyncEvent;
use photosync::destinations::s3::{self, S3Options, S3Report};
use photosync::library::photo::Photo;
use photosync::library::scan::{self, ScanOptions};
use photosync::restore::{self, RestoreOptions};
use s3_common::S3Server;
use std::fs;
use std::path::{Path, PathBuf};

/// `n` files of `size` bytes each, all different, named with a date (2019/05/02), and
/// one duplicate of the first.
fn library(dir: &Path, n: usize, size: usize) -> PathBuf {
    let lib = dir.join("library");
    fs::create_dir_all(lib.join("dup")).unwrap();
    for i in 0..n {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend((0..size).map(|j| ((i * 7919 + j * 31) % 251) as u8));
        let name = format!("IMG_20190502_1430{:02}.jpg", i % 60);
        fs::write(lib.join(&name), &bytes).unwrap();
        if i == 0 {
            fs::write(lib.join("dup").join(name), &bytes).unwrap();
        }
    }
    lib
}

fn scanned(lib: &Path, cat: &mut Catalog) -> Vec<Photo> {
    let opts = ScanOptions::default();
    scan::scan(lib, cat, &opts, &Cancel::new(), &mut |_| {})
        .unwrap()
        .photos
}

fn options(server: &S3Server, prefix: &str) -> S3Options {
    let mut opts = S3Options::new(server.url(prefix));
    opts.connection = server.connection();
    opts
}

fn sync(photos: &[Photo], cat: &mut Catalog, opts: &S3Options) -> S3Report {
    s3::sync_photos(photos, cat, opts, &Cancel::new(), &|_| {}).unwrap()
}

#[test]
fn round_trip_once_then_nothing_then_restore_byte_exact() {
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 5, 40_000);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let opts = options(&server, "backup/main");

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
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 10_000);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let opts = options(&server, "");
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
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 2, 10_000);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let opts = options(&server, "p");
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
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 1, 1_000);
    let taken = server.object_file("2019/05/02/IMG_20190502_143000.jpg");
    fs::create_dir_all(taken.parent().unwrap()).unwrap();
    fs::write(&taken, b"someone else's bytes").unwrap();
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let report = sync(&photos, &mut cat, &options(&server, ""));
    assert_eq!(report.uploaded, 1, "{report:?}");
    assert_eq!(fs::read(&taken).unwrap(), b"someone else's bytes");
    let copies = cat.remote_index("s3://photos").unwrap();
    let md5 = photos[0].md5.clone().unwrap();
    let key = &copies[&md5][0];
    assert!(key.starts_with("2019/05/02/IMG_20190502_143000-"), "{key}");
}

#[test]
fn big_files_go_up_in_parts_and_are_known_by_their_metadata() {
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 1, 13 * 1024 * 1024);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let mut opts = options(&server, "big");
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
    let server = S3Server::start();
    let proxy = s3_common::FaultyProxy::start(&server.endpoint);
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 1, 50_000);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let mut opts = options(&server, "");
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
    // damaged PUT, the good one.
    assert!(retried.is_empty(), "{retried:?}");
    assert_eq!(
        proxy
            .faults
            .passed
            .load(std::sync::atomic::Ordering::SeqCst),
        3
    );
    let stored = fs::read(server.object_file("2019/05/02/IMG_20190502_143000.jpg")).unwrap();
    assert_eq!(stored, fs::read(&photos[0].path).unwrap());
}

#[test]
fn slow_down_answers_are_waited_out() {
    let server = S3Server::start();
    let proxy = s3_common::FaultyProxy::start(&server.endpoint);
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 5_000);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let mut opts = options(&server, "");
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
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 10_000);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let opts = options(&server, "");
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

/// The child of the kill test: syncs the library in `PHOTOSYNC_S3_KILL_DIR` through the
/// proxy at `endpoint` until its parent kills it.
fn sync_until_killed(endpoint: String) {
    let dir = PathBuf::from(std::env::var("PHOTOSYNC_S3_KILL_DIR").unwrap());
    let mut cat = Catalog::open(&dir.join("catalog.sqlite3")).unwrap();
    let photos = scanned(&dir.join("library"), &mut cat);
    let mut opts =
        S3Options::new(photosync::destinations::s3::S3Url::parse("s3://photos/big").unwrap());
    opts.connection = photosync::destinations::s3::Connection {
        endpoint: Some(endpoint),
        access_key_id: Some(s3_common::KEY_ID.into()),
        secret_access_key: Some(s3_common::SECRET.into()),
        ..Default::default()
    };
    (opts.multipart_from, opts.part_size) = (6 << 20, 5 << 20);
    sync(&photos, &mut cat, &opts);
}

/// The parts the journal holds for the upload in parts to `backend`.
fn journaled_parts(catalog: &Path, backend: &str) -> usize {
    let Ok(cat) = Catalog::open(catalog) else {
        return 0;
    };
    let unfinished = cat.journal_unfinished(backend).unwrap_or_default();
    let state = unfinished.first().and_then(|u| u.date_taken.as_deref());
    state
        .and_then(s3::UploadState::from_json)
        .map_or(0, |s| s.parts.len())
}

/// A library of one 31 MB photo whose sync (in parts of 5 MB, through a slow proxy) a
/// child process began and was killed (SIGKILL) in, with two parts journaled.
struct Killed {
    server: S3Server,
    proxy: s3_common::FaultyProxy,
    dir: tempfile::TempDir,
    catalog: PathBuf,
}

fn killed_midway(test: &str) -> Killed {
    let server = S3Server::start();
    let proxy = s3_common::FaultyProxy::start(&server.endpoint);
    proxy
        .faults
        .delay_ms
        .store(400, std::sync::atomic::Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    library(dir.path(), 1, 31 << 20);
    let catalog = dir.path().join("catalog.sqlite3");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact"])
        .env("PHOTOSYNC_S3_KILL_CHILD", &proxy.endpoint)
        .env("PHOTOSYNC_S3_KILL_DIR", dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let waited = std::time::Instant::now();
    while journaled_parts(&catalog, "s3://photos/big") < 2 {
        assert!(
            waited.elapsed().as_secs() < 120,
            "the child never sent two parts"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    proxy
        .faults
        .delay_ms
        .store(0, std::sync::atomic::Ordering::SeqCst);
    Killed {
        server,
        proxy,
        dir,
        catalog,
    }
}

impl Killed {
    /// The next run, in this process.
    fn sync_again(&self) -> (S3Report, Vec<Photo>, Catalog) {
        let mut cat = Catalog::open(&self.catalog).unwrap();
        let photos = scanned(&self.dir.path().join("library"), &mut cat);
        let mut opts = options(&self.server, "big");
        opts.connection.endpoint = Some(self.proxy.endpoint.clone());
        (opts.multipart_from, opts.part_size) = (6 << 20, 5 << 20);
        (sync(&photos, &mut cat, &opts), photos, cat)
    }

    /// What the server still keeps of uploads in parts.
    fn leftover_parts(&self) -> Vec<std::ffi::OsString> {
        fs::read_dir(self.server.root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with(".upload"))
            .collect()
    }
}

#[test]
fn an_upload_in_parts_killed_midway_resumes_from_the_journal() {
    if let Ok(endpoint) = std::env::var("PHOTOSYNC_S3_KILL_CHILD") {
        return sync_until_killed(endpoint);
    }
    let killed = killed_midway("an_upload_in_parts_killed_midway_resumes_from_the_journal");
    assert!(!killed.leftover_parts().is_empty());
    let (report, photos, cat) = killed.sync_again();
    println!(
        "resumed: {} of {} bytes sent",
        report.bytes_sent, report.bytes
    );
    assert_eq!(
        (report.uploaded, report.resumed, report.failed),
        (1, 1, 0),
        "{report:?}"
    );
    assert!(report.bytes_sent <= report.bytes - (10 << 20), "{report:?}");
    let key = "big/2019/05/02/IMG_20190502_143000.jpg";
    assert_eq!(
        fs::read(killed.server.object_file(key)).unwrap(),
        fs::read(&photos[0].path).unwrap()
    );
    assert!(cat
        .journal_unfinished("s3://photos/big")
        .unwrap()
        .is_empty());
    assert_eq!(killed.leftover_parts(), Vec::<std::ffi::OsString>::new());
}

#[test]
fn an_upload_in_parts_no_photo_needs_any_more_is_aborted() {
    if let Ok(endpoint) = std::env::var("PHOTOSYNC_S3_KILL_CHILD") {
        return sync_until_killed(endpoint);
    }
    let killed = killed_midway("an_upload_in_parts_no_photo_needs_any_more_is_aborted");
    let lib = killed.dir.path().join("library");
    fs::remove_file(lib.join("IMG_20190502_143000.jpg")).unwrap();
    fs::remove_dir_all(lib.join("dup")).unwrap();
    let (report, _, cat) = killed.sync_again();
    assert_eq!((report.uploaded, report.aborted), (0, 1), "{report:?}");
    assert!(cat
        .journal_unfinished("s3://photos/big")
        .unwrap()
        .is_empty());
    assert_eq!(killed.leftover_parts(), Vec::<std::ffi::OsString>::new());
}
