//! `import` end to end on a built "old drives" corpus ([`import_common::corpus`]): after
//! one run the library holds each distinct photo exactly once, the report's counts match
//! the corpus, the sources are unchanged, a second run copies nothing, and the catalog
//! knows each imported photo's origin. A read that hangs is that file's error.

mod import_common;

use import_common::*;
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::archive::{Disk, Sink, Storage};
use photosync::import::{self, ImportOptions, SourceReport};
use photosync::library::kind::MediaKind;
use photosync::library::walk::Found;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn counts(s: &SourceReport) -> [u64; 7] {
    [
        s.files,
        s.new,
        s.in_library,
        s.copies,
        s.other_form,
        s.damaged,
        s.unreadable,
    ]
}

#[test]
fn each_distinct_photo_lands_once_and_a_second_import_copies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let sources = vec![c.drive_a.clone(), c.drive_b.clone()];
    let (a_before, b_before) = (md5s_under(&c.drive_a), md5s_under(&c.drive_b));

    let dry = run(&sources, &c.library, &c.catalog, true);
    assert_eq!(dry.imported, 5);
    assert_eq!(md5s_under(&c.library).len(), 1, "a dry run copies nothing");

    let first = run(&sources, &c.library, &c.catalog, false);
    //             files new held copies other damaged unreadable
    assert_eq!(
        counts(&first.sources[0]),
        [5, 4, 0, 1, 0, 0, 0],
        "{first:#?}"
    );
    assert_eq!(
        counts(&first.sources[1]),
        [6, 1, 0, 0, 3, 1, 1],
        "{first:#?}"
    );
    assert_eq!((first.imported, first.failed), (5, 1), "{first:#?}");
    assert_eq!(first.errors.len(), 1);
    assert!(first.errors[0].0.ends_with("bad/IMG_9999.JPG"));
    assert!(first.damaged[0].0.ends_with("fixed/IMG_0003_cut.JPG"));

    let held = md5s_under(&c.library);
    assert!(held.values().all(|paths| paths.len() == 1), "{held:?}");
    assert_eq!(held.len(), 6, "{held:?}");
    let pictures: std::collections::BTreeSet<String> = held
        .values()
        .map(|p| imgmd5(&c.library.join(&p[0])))
        .collect();
    assert_eq!(pictures.len(), 6, "six distinct pictures, each once");
    // The original with the fuller EXIF is kept; the edited copy's dates are reported.
    let nikon = md5s_under(&c.drive_a)
        .into_iter()
        .find(|(_, p)| p[0].ends_with("IMG_0002.JPG"))
        .unwrap();
    assert!(held.contains_key(&nikon.0));
    let edited = first
        .other_forms
        .iter()
        .find(|o| o.path.ends_with("fixed/IMG_0002.JPG"))
        .unwrap();
    assert!(!edited.kept_in_library && edited.dates_differ, "{edited:?}");
    assert!(edited.kept.ends_with("DCIM/IMG_0002.JPG"));
    let olympus = first
        .other_forms
        .iter()
        .find(|o| o.path.ends_with("olympus.jpg"))
        .unwrap();
    assert!(
        olympus.kept_in_library && olympus.dates_differ,
        "{olympus:?}"
    );
    // The non-UTF-8 name keeps its bytes in the library.
    assert!(held
        .values()
        .any(|p| p[0].to_string_lossy().contains("caf\u{FFFD}.jpg")));

    assert_eq!(
        md5s_under(&c.drive_a),
        a_before,
        "sources are never written"
    );
    assert_eq!(
        md5s_under(&c.drive_b),
        b_before,
        "sources are never written"
    );
    let imports = Catalog::open(&c.catalog).unwrap().imports().unwrap();
    assert_eq!(imports.len(), 5);
    assert!(imports.iter().all(|i| i
        .library_path
        .starts_with(std::fs::canonicalize(&c.library).unwrap())));

    let second = run(&sources, &c.library, &c.catalog, false);
    assert_eq!(second.imported, 0, "{second:#?}");
    assert_eq!(counts(&second.sources[0]), [5, 0, 5, 0, 0, 0, 0]);
    assert_eq!(counts(&second.sources[1]), [6, 0, 1, 0, 3, 1, 1]);
    assert_eq!(md5s_under(&c.library), held);
}

#[test]
fn the_next_scan_of_the_library_reads_no_imported_file_again() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    run(
        std::slice::from_ref(&c.drive_a),
        &c.library,
        &c.catalog,
        false,
    );
    let mut cat = Catalog::open(&c.catalog).unwrap();
    let report = photosync::library::scan::scan(
        &c.library,
        &mut cat,
        &Default::default(),
        &Cancel::new(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report.stats.media, 5);
    assert_eq!(report.stats.hashed, 0, "{:?}", report.stats);
}

/// A FIFO with no writer: opening it blocks, as a read on a dying disk does.
fn stuck_file(dir: &std::path::Path) -> PathBuf {
    let fifo = dir.join("stuck.jpg");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    fifo
}

#[test]
fn a_read_that_hangs_is_given_up_after_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = stuck_file(dir.path());
    let found = Found {
        path: fifo,
        kind: MediaKind::Jpeg,
        size: 10,
        mtime_ns: 0,
        inode: 0,
    };
    let started = Instant::now();
    let err = photosync::import::read_watched(&found, Duration::from_millis(300), &Cancel::new())
        .unwrap_err();
    assert!(err.contains("no answer from the drive"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Files are read in batches under one watchdog; a batch that hangs is read again file
/// by file, so the files beside the one that hangs are still read.
#[test]
fn a_batch_with_a_read_that_hangs_reads_every_other_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = stuck_file(dir.path());
    let found = |path: PathBuf| Found {
        size: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(10),
        mtime_ns: std::fs::metadata(&path)
            .ok()
            .and_then(|m| m.modified().ok())
            .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as i64)
            .unwrap_or(0),
        path,
        kind: MediaKind::Jpeg,
        inode: 0,
    };
    let (a, b) = (dir.path().join("a.jpg"), dir.path().join("b.jpg"));
    copy_to(&fixture("Canon_40D.jpg"), &a);
    copy_to(&fixture("Nikon_D70.jpg"), &b);
    let batch = [found(a), found(fifo), found(b)];
    let read = photosync::import::read_batch(&batch, Duration::from_millis(300), &Cancel::new());
    assert_eq!(read.len(), 3);
    assert!(read[0].as_ref().is_ok_and(|p| p.md5.is_some()), "{read:?}");
    assert!(
        read[1]
            .as_ref()
            .is_err_and(|e| e.contains("no answer from the drive")),
        "{read:?}"
    );
    assert!(read[2].as_ref().is_ok_and(|p| p.md5.is_some()), "{read:?}");
}

#[test]
fn a_source_inside_the_library_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let mut cat = Catalog::open(&c.catalog).unwrap();
    let inside: PathBuf = c.library.join("2005");
    let err = photosync::import::import(
        &[inside],
        &c.library,
        &mut cat,
        &Default::default(),
        &Cancel::new(),
        &|_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("overlap"), "{err}");
}

/// A library disk with room for `files` temporaries: then every create fails with ENOSPC.
struct RoomFor {
    files: AtomicU64,
}

impl Storage for RoomFor {
    fn create(&self, path: &std::path::Path) -> std::io::Result<Box<dyn Sink>> {
        if self.files.fetch_sub(1, Ordering::SeqCst) == 0 {
            self.files.store(0, Ordering::SeqCst);
            return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
        }
        Disk.create(path)
    }
}

#[test]
fn a_full_library_disk_stops_the_copies_and_lists_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let (drive, library) = (dir.path().join("drive"), dir.path().join("library"));
    distinct_jpegs(&drive, 20, 64);
    std::fs::create_dir_all(&library).unwrap();
    let catalog = dir.path().join("catalog.sqlite3");
    let opts = ImportOptions {
        threads: 1,
        storage: Arc::new(RoomFor {
            files: AtomicU64::new(3),
        }),
        ..ImportOptions::default()
    };
    let mut cat = Catalog::open(&catalog).unwrap();
    let sources = [drive.clone()];
    let full =
        import::import(&sources, &library, &mut cat, &opts, &Cancel::new(), &|_| {}).unwrap();
    drop(cat);
    assert_eq!((full.imported, full.failed), (3, 17), "{full:#?}");
    assert_eq!(full.sources[0].failed, 17);
    assert_eq!(full.errors.len(), 17);
    assert!(
        full.errors
            .iter()
            .all(|(_, e)| e.contains("No space") || e.contains("disk is full")),
        "{:?}",
        full.errors
    );
    assert_eq!(md5s_under(&library).len(), 3, "no partial file");

    let rest = run(&sources, &library, &catalog, false);
    assert_eq!(
        (rest.imported, rest.failed, rest.sources[0].in_library),
        (17, 0, 3)
    );
    let held = md5s_under(&library);
    assert_eq!(held.len(), 20);
    assert!(held.values().all(|p| p.len() == 1));
}
