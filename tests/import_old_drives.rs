//! The proof of issue 17 on the full "old drives" corpus ([`import_common::old_drives`]):
//! after one import the library holds each distinct picture exactly once, in its largest
//! form, no burst frame lost; the report's counts per drive match the corpus; a second
//! import copies nothing.

mod import_common;

use import_common::*;
use photosync::import::SourceReport;

/// files, new, in library, copies, other form, smaller, damaged, unreadable.
fn counts(s: &SourceReport) -> [u64; 8] {
    [
        s.files,
        s.new,
        s.in_library,
        s.copies,
        s.other_form,
        s.smaller,
        s.damaged,
        s.unreadable,
    ]
}

#[test]
fn each_picture_once_in_its_largest_form_and_a_second_import_copies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = old_drives(dir.path());
    let report = run(&d.sources, &d.library, &d.catalog, false);
    assert_eq!(
        counts(&report.sources[0]),
        [8, 8, 0, 0, 0, 0, 0, 0],
        "{report:#?}"
    );
    assert_eq!(
        counts(&report.sources[1]),
        [11, 0, 0, 3, 2, 4, 1, 1],
        "{report:#?}"
    );
    assert_eq!(
        counts(&report.sources[2]),
        [3, 1, 0, 0, 0, 2, 0, 0],
        "{report:#?}"
    );
    assert_eq!((report.imported, report.failed), (9, 1));
    // The one damaged file is a copy of an original on drive A cut short: left out.
    let (cut, why) = &report.damaged[0];
    assert!(cut.ends_with("IMG_0005_cut.JPG"), "{report:#?}");
    assert!(
        why.contains("IMG_0005.JPG starts with all of its bytes"),
        "{why}"
    );

    let held = md5s_under(&d.library);
    assert_eq!(held.len(), 10, "{held:#?}");
    assert!(held.values().all(|paths| paths.len() == 1), "{held:#?}");
    for p in &d.distinct {
        let md5 = photosync::library::hash::md5_file(&dir.path().join(p)).unwrap();
        assert!(
            held.contains_key(&md5),
            "{} missing from the library",
            p.display()
        );
    }
    // Each smaller copy names the largest form it belongs to.
    let kept = |suffix: &[u8]| {
        use std::os::unix::ffi::OsStrExt;
        let s = report
            .smaller
            .iter()
            .find(|s| s.path.as_os_str().as_bytes().ends_with(suffix))
            .unwrap_or_else(|| panic!("{report:#?}"));
        (s.kept.file_name().unwrap().to_owned(), s.kept_in_library)
    };
    assert_eq!(kept(b"IMG_0001_1024.jpg"), ("IMG_0001.JPG".into(), false));
    assert_eq!(kept(b"IMG_0001_640.jpg"), ("IMG_0001.JPG".into(), false));
    assert_eq!(kept(b"sony.jpg"), ("IMG_0004.JPG".into(), false));
    assert_eq!(kept(b"rafale\xe9.jpg"), ("IMG_0101.JPG".into(), false));
    assert_eq!(kept(b"kodak.png"), ("IMG_0005.JPG".into(), false));
    assert_eq!(kept(b"olympus_small.jpg"), ("olympus.jpg".into(), true));

    let again = run(&d.sources, &d.library, &d.catalog, false);
    assert_eq!(again.imported, 0, "{again:#?}");
    assert_eq!(counts(&again.sources[0]), [8, 0, 8, 0, 0, 0, 0, 0]);
    assert_eq!(counts(&again.sources[1])[5], 4);
    assert_eq!(md5s_under(&d.library), held);
}
