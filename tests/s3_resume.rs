//! Uploads in parts against the real S3 server (s3_common): a sync killed with SIGKILL
//! midway (a child process of this test, through a slow proxy) resumes from the parts its
//! journal holds, sending only the rest, and an upload no photo needs any more is
//! aborted; neither leaves parts behind on the server.

mod s3_common;

use photosync::catalog::Catalog;
use photosync::destinations::s3::{self, S3Options, S3Report};
use photosync::library::photo::Photo;
use s3_common::{library, options, scanned, sync, S3Server};
use std::fs;
use std::path::{Path, PathBuf};

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
