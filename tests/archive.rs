//! The archive destination on real files: copies once, never overwrites, survives a
//! full disk (an injected one, and a real small tmpfs where the machine allows it),
//! and verify finds what changed.

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::archive::{
    self, ArchiveError, ArchiveEvent, ArchiveOptions, ArchiveReport, Layout, Sink, Storage,
};
use photosync::library::photo::Photo;
use photosync::library::scan::{self, ScanOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// `n` files of `size` bytes each, every one with bytes of its own, named with a date
/// (so the layout puts them in 2019/05/02).
fn library(dir: &Path, n: usize, size: usize) -> PathBuf {
    let lib = dir.join("library");
    fs::create_dir_all(&lib).unwrap();
    for i in 0..n {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend((0..size).map(|j| ((i * 7919 + j * 31) % 251) as u8));
        fs::write(
            lib.join(format!("IMG_20190502_1430{:02}.jpg", i % 60)),
            bytes,
        )
        .unwrap();
    }
    lib
}

fn scanned(lib: &Path, cat: &mut Catalog) -> Vec<Photo> {
    scan::scan(
        lib,
        cat,
        &ScanOptions::default(),
        &Cancel::new(),
        &mut |_| {},
    )
    .unwrap()
    .photos
}

fn run(photos: &[Photo], root: &Path, cat: &mut Catalog, opts: &ArchiveOptions) -> ArchiveReport {
    archive::archive_photos(photos, root, cat, opts, &Cancel::new(), &|_| {}).unwrap()
}

/// Every file in the archive (temporaries included), relative path -> MD5.
/// The archive's files and their MD5s, its own `.photosync/` folder (the catalog's copy,
/// changed copies moved aside) and lock file left out.
fn contents(root: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".photosync")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != ".photosync.lock")
        .map(|e| {
            let md5 = photosync::library::hash::md5_file(e.path()).unwrap();
            (e.path().strip_prefix(root).unwrap().to_path_buf(), md5)
        })
        .collect()
}

fn md5s(photos: &[Photo]) -> BTreeSet<String> {
    photos.iter().filter_map(|p| p.md5.clone()).collect()
}

#[test]
fn two_runs_copy_once_in_the_date_layout() {
    let dir = tempfile::tempdir().unwrap();
    photosync::library::samples::generate(&dir.path().join("library"), 1).unwrap();
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&dir.path().join("library"), &mut cat);
    let readable = md5s(&photos);

    let events = std::sync::Mutex::new(Vec::new());
    let first = archive::archive_photos(
        &photos,
        &root,
        &mut cat,
        &ArchiveOptions::default(),
        &Cancel::new(),
        &|e| events.lock().unwrap().push(e),
    )
    .unwrap();
    assert_eq!(first.copied as usize, readable.len());
    assert_eq!(first.failed, 0);
    let held = contents(&root);
    assert_eq!(held.values().cloned().collect::<BTreeSet<_>>(), readable);
    assert_eq!(held.len(), readable.len(), "one copy per MD5: {held:?}");
    let events = events.into_inner().unwrap();
    assert!(matches!(events[0], ArchiveEvent::Planned { to_copy, .. } if to_copy == first.copied));
    let copied = events
        .iter()
        .filter(|e| matches!(e, ArchiveEvent::Copied { .. }))
        .count();
    assert_eq!(copied as u64, first.copied);
    assert_eq!(events.last(), Some(&ArchiveEvent::Finished));
    // The layout is YYYY/MM/DD/name, from each photo's taken date (a local duplicate
    // is copied once, under the first one's name).
    for p in photos.iter().filter(|p| p.md5.is_some()) {
        let stem = p.path.file_stem().unwrap().to_string_lossy().to_string();
        let want = p.taken.local.format("%Y/%m/%d/").to_string() + &stem;
        let at: Vec<_> = held
            .iter()
            .filter(|(_, m)| Some(*m) == p.md5.as_ref())
            .map(|(rel, _)| rel.to_string_lossy().to_string())
            .collect();
        assert_eq!(at.len(), 1);
        let dup = photos.iter().any(|o| o.md5 == p.md5 && o.path != p.path);
        assert!(
            at[0].starts_with(&want) || dup,
            "{} -> {at:?}",
            p.path.display()
        );
    }

    let second = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert_eq!(second.copied, 0);
    // One keeper per MD5 is already there; the other paths are its local duplicates, as
    // on every destination.
    assert_eq!(second.already_there as usize, readable.len());
    assert_eq!(
        second.counts.duplicates as usize,
        photos.iter().filter(|p| p.md5.is_some()).count() - readable.len()
    );
    assert_eq!(contents(&root), held);
}

#[test]
fn a_different_photo_with_a_taken_name_gets_a_hash_suffix_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 2, 1000);
    let root = dir.path().join("archive");
    let taken = root.join("2019/05/02/IMG_20190502_143000.jpg");
    fs::create_dir_all(taken.parent().unwrap()).unwrap();
    fs::write(&taken, b"someone else's photo").unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);

    let report = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert_eq!((report.adopted, report.copied), (1, 2));
    assert_eq!(fs::read(&taken).unwrap(), b"someone else's photo");
    let held = contents(&root);
    let p0 = photos
        .iter()
        .find(|p| p.path.ends_with("IMG_20190502_143000.jpg"))
        .unwrap();
    let md5 = p0.md5.clone().unwrap();
    let suffixed = PathBuf::from(format!("2019/05/02/IMG_20190502_143000-{}.jpg", &md5[..8]));
    assert_eq!(held.get(&suffixed), Some(&md5), "{held:?}");
    assert!(held.contains_key(Path::new("2019/05/02/IMG_20190502_143001.jpg")));
}

#[test]
fn a_photo_already_anywhere_in_the_archive_is_not_copied_again() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 1000);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    let first = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert_eq!(first.copied, 3);

    // Another layout: the same MD5s are found, nothing is copied.
    let other = ArchiveOptions {
        layout: Layout::parse("%Y/%f-%h.%e").unwrap(),
        ..ArchiveOptions::default()
    };
    assert_eq!(run(&photos, &root, &mut cat, &other).copied, 0);

    // A catalog that never saw this archive reads it first, and copies nothing either.
    let mut fresh = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut fresh);
    let report = run(&photos, &root, &mut fresh, &other);
    assert_eq!((report.adopted, report.copied), (3, 0));
    assert_eq!(contents(&root).len(), 3);
}

/// A disk that fills up: writes fail with ENOSPC once `limit` bytes were written in all.
struct FullAfter {
    limit: u64,
    written: Arc<AtomicU64>,
}

struct FullSink {
    inner: Box<dyn Sink>,
    limit: u64,
    written: Arc<AtomicU64>,
}

impl Storage for FullAfter {
    fn create(&self, path: &Path) -> io::Result<Box<dyn Sink>> {
        Ok(Box::new(FullSink {
            inner: archive::Disk.create(path)?,
            limit: self.limit,
            written: self.written.clone(),
        }))
    }
}

impl Write for FullSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let before = self.written.fetch_add(buf.len() as u64, Ordering::SeqCst);
        if before >= self.limit {
            return Err(io::Error::from_raw_os_error(libc::ENOSPC));
        }
        // Part of the buffer fits, as on a real disk.
        let fits = ((self.limit - before) as usize).min(buf.len());
        self.inner.write(&buf[..fits])
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Sink for FullSink {
    fn sync(&mut self) -> io::Result<()> {
        self.inner.sync()
    }
}

#[test]
fn a_disk_that_fills_up_leaves_no_partial_file_and_the_next_run_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 12, 3 << 20);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    let all = md5s(&photos);

    // Full after 2.5 files' worth of bytes, and after one byte more than the first file.
    for limit in [(5 << 20) / 2, (3 << 20) + 5, 1] {
        let full = ArchiveOptions {
            storage: Arc::new(FullAfter {
                limit,
                written: Arc::default(),
            }),
            threads: 2,
            ..ArchiveOptions::default()
        };
        let report = run(&photos, &root, &mut cat, &full);
        assert!(report.failed >= 1, "limit {limit}: {report:?}");
        assert!(report
            .errors
            .iter()
            .any(|(_, e)| e.contains("No space left on device")));
        // Every photo is accounted for: copied, failed, or left for later and said so.
        assert_eq!(
            report.copied + report.failed + report.already_there,
            all.len() as u64,
            "limit {limit}: {report:?}"
        );
        // Photos never started (the disk was full first) are counted as failed in one
        // error about the archive; when every photo left was already in flight (two
        // threads), each failed with an error of its own and there is none.
        let own_errors = report.errors.iter().filter(|(p, _)| p != &root).count() as u64;
        let never_started = report.failed - own_errors.min(report.failed);
        if never_started > 0 {
            assert!(report
                .errors
                .iter()
                .any(|(_, e)| e.contains("more photos were not copied; free some space")));
        }
        if limit == 1 {
            assert_eq!(report.copied, 0, "limit 1: nothing fits");
        }
        // Only whole, right files under real names; no temporary left behind.
        for (rel, md5) in contents(&root) {
            assert!(
                all.contains(&md5),
                "limit {limit}: {} is partial",
                rel.display()
            );
            assert!(
                !rel.file_name().unwrap().to_string_lossy().starts_with('.'),
                "limit {limit}: temporary {} left",
                rel.display()
            );
        }
    }
    let report = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert_eq!(report.failed, 0);
    let held = contents(&root);
    assert_eq!(held.values().cloned().collect::<BTreeSet<_>>(), all);
    assert_eq!(held.len(), all.len());
}

#[test]
fn a_killed_runs_leftovers_are_cleaned_or_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 5000);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    // Make the catalog know this archive (empty), then play a killed run: one photo
    // renamed into place but not recorded, one half-written temporary.
    assert_eq!(
        run(&[], &root, &mut cat, &ArchiveOptions::default()).copied,
        0
    );
    let day = root.join("2019/05/02");
    fs::create_dir_all(&day).unwrap();
    fs::copy(
        &photos[0].path,
        day.join(photos[0].path.file_name().unwrap()),
    )
    .unwrap();
    let temp = day.join(format!(
        ".photosync-{}.tmp",
        photos[1].md5.as_ref().unwrap()
    ));
    fs::write(&temp, b"half").unwrap();

    let report = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert_eq!((report.copied, report.cleaned), (2, 1));
    assert!(!temp.exists());
    assert_eq!(contents(&root).len(), 3);
    let verify = archive::verify(&root, &mut cat, 2, &Cancel::new(), &mut |_| {}).unwrap();
    assert!(verify.is_ok(), "{verify:?}");
}

#[test]
fn verify_finds_a_flipped_byte_a_deleted_file_and_an_unknown_file() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 4, 20_000);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    run(&photos, &root, &mut cat, &ArchiveOptions::default());
    let clean = archive::verify(&root, &mut cat, 2, &Cancel::new(), &mut |_| {}).unwrap();
    assert!(clean.is_ok(), "{clean:?}");
    assert_eq!(clean.checked, 4);

    let day = root.join("2019/05/02");
    let flipped = day.join("IMG_20190502_143000.jpg");
    let mut bytes = fs::read(&flipped).unwrap();
    bytes[10_000] ^= 0x01;
    fs::write(&flipped, bytes).unwrap();
    let deleted = day.join("IMG_20190502_143001.jpg");
    fs::remove_file(&deleted).unwrap();
    let unknown = day.join("stray.jpg");
    fs::write(&unknown, b"not from photosync").unwrap();

    let mut seen = 0;
    let r = archive::verify(&root, &mut cat, 2, &Cancel::new(), &mut |p| {
        seen = p.files_done
    })
    .unwrap();
    assert!(!r.is_ok());
    assert_eq!(seen, 4);
    assert_eq!(r.missing, vec![deleted]);
    assert_eq!(r.unknown, vec![unknown]);
    assert_eq!(r.corrupted.len(), 1);
    assert_eq!(r.corrupted[0].path, flipped);
    assert_ne!(r.corrupted[0].expected, r.corrupted[0].found);
}

#[test]
fn an_archive_that_is_not_there_is_refused_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let gone = dir.path().join("media/backup");
    let err = archive::archive_photos(
        &[],
        &gone,
        &mut cat,
        &ArchiveOptions::default(),
        &Cancel::new(),
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(err, ArchiveError::Root { .. }));
    assert!(err.to_string().contains("is the drive mounted?"));
    assert!(!gone.exists());
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let lock = fs::File::create(root.join(".photosync.lock")).unwrap();
    lock.lock().unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let err = archive::archive_photos(
        &[],
        &root,
        &mut cat,
        &ArchiveOptions::default(),
        &Cancel::new(),
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(err, ArchiveError::Busy { .. }), "{err}");
}

/// A real full disk: a 4 MiB tmpfs. Needs the right to mount (root in a container
/// that allows it); elsewhere the test says why it did nothing.
#[test]
fn a_real_full_tmpfs_leaves_no_partial_file_and_the_next_run_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mount = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&root)
        .output();
    match mount {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs here ({}); the injected full disk covers ENOSPC",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("SKIPPED: no mount command ({e}); the injected full disk covers ENOSPC");
            return;
        }
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(root.clone());

    let lib = library(dir.path(), 6, 1 << 20);
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    let all = md5s(&photos);
    let report = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert!(report.failed >= 1, "{report:?}");
    assert!(report.copied >= 1, "{report:?}");
    for (rel, md5) in contents(&root) {
        assert!(all.contains(&md5), "{} is partial", rel.display());
        assert!(
            !rel.to_string_lossy().contains("/."),
            "temporary {} left",
            rel.display()
        );
    }

    let grown = std::process::Command::new("mount")
        .args(["-o", "remount,size=16m"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(grown.success());
    let report = run(&photos, &root, &mut cat, &ArchiveOptions::default());
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(
        contents(&root).values().cloned().collect::<BTreeSet<_>>(),
        all
    );
}

#[test]
fn a_dry_run_plans_and_copies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 1000);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    let planned = std::sync::Mutex::new(None);
    let dry = ArchiveOptions {
        dry_run: true,
        ..ArchiveOptions::default()
    };
    let report = archive::archive_photos(&photos, &root, &mut cat, &dry, &Cancel::new(), &|e| {
        if let ArchiveEvent::Planned { to_copy, .. } = e {
            *planned.lock().unwrap() = Some(to_copy);
        }
    })
    .unwrap();
    assert_eq!(*planned.lock().unwrap(), Some(3));
    assert_eq!(report.copied, 0);
    assert!(contents(&root).is_empty());
}

#[test]
fn a_cancelled_run_starts_no_copy_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 3, 1000);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    // Known archive first, so the cancel meets the copies, not the first read of it.
    run(&[], &root, &mut cat, &ArchiveOptions::default());
    let cancel = Cancel::new();
    cancel.cancel();
    let err = archive::archive_photos(
        &photos,
        &root,
        &mut cat,
        &ArchiveOptions::default(),
        &cancel,
        &|_| {},
    )
    .unwrap_err();
    match err {
        ArchiveError::Cancelled(report) => assert_eq!(report.copied, 0),
        other => panic!("{other}"),
    }
    assert!(contents(&root).is_empty());
    assert_eq!(
        run(&photos, &root, &mut cat, &ArchiveOptions::default()).copied,
        3
    );
}

#[test]
fn verify_lists_leftover_temporaries_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), 2, 1000);
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let photos = scanned(&lib, &mut cat);
    run(&photos, &root, &mut cat, &ArchiveOptions::default());
    let temp = root.join("2019/05/02/.photosync-0123.tmp");
    fs::write(&temp, b"half a copy").unwrap();
    let r = archive::verify(&root, &mut cat, 2, &Cancel::new(), &mut |_| {}).unwrap();
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(r.temporaries, vec![temp]);
}
