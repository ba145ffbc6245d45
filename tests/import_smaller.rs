//! Smaller copies end to end: resized and recompressed exports of a photo (with its EXIF,
//! without it, as PNG) are reported and not imported, the largest form is; the frames of
//! a burst, and small exports of frames whose original is on no drive, are all imported;
//! `keep_smaller` imports the copies too; a second run copies nothing.

mod import_common;

use import_common::*;
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::import::{self, ImportOptions, ImportReport};
use std::path::{Path, PathBuf};

struct Drive {
    sources: Vec<PathBuf>,
    library: PathBuf,
    catalog: PathBuf,
}

/// Drive A: the original of Canon_40D, two of its burst frames, a small export of a
/// third frame (its original lost), the original of Pentax_K10D; drive B: exports of the
/// Canon at three sizes (one without EXIF, one a PNG), an export of the library's Nikon,
/// a larger-is-better check (the library holds a small Pentax, A the original).
fn drives(dir: &Path) -> Drive {
    let (a, b, lib) = (dir.join("A"), dir.join("B"), dir.join("library"));
    let canon = a.join("DCIM/IMG_0100.JPG");
    copy_to(&fixture("Canon_40D.jpg"), &canon);
    burst_frame(&canon, &a.join("DCIM/IMG_0101.JPG"), 2, 0);
    burst_frame(&canon, &a.join("DCIM/IMG_0102.JPG"), 0, 2);
    let lost = dir.join("lost/IMG_0103.JPG");
    burst_frame(&canon, &lost, 1, 0);
    smaller_copy(&lost, &a.join("web/IMG_0103_web.jpg"), 0.75, 85, true);
    copy_to(&fixture("Pentax_K10D.jpg"), &a.join("DCIM/IMGP0001.JPG"));
    smaller_copy(&canon, &b.join("album/IMG_0100_1024.jpg"), 0.75, 85, true);
    smaller_copy(&canon, &b.join("album/IMG_0100_phone.jpg"), 0.5, 70, true);
    smaller_copy(&canon, &b.join("mail/small.jpg"), 0.4, 50, false);
    let png = b.join("mail/IMG_0100.png");
    let img = decode_rgb(&canon);
    image::imageops::resize(&img, 60, 41, image::imageops::FilterType::CatmullRom)
        .save(&png)
        .unwrap();
    copy_to(&fixture("Nikon_D70.jpg"), &lib.join("2008/nikon.jpg"));
    smaller_copy(
        &fixture("Nikon_D70.jpg"),
        &b.join("album/nikon_small.jpg"),
        0.5,
        80,
        true,
    );
    smaller_copy(
        &fixture("Pentax_K10D.jpg"),
        &lib.join("2009/pentax_small.jpg"),
        0.5,
        80,
        true,
    );
    Drive {
        sources: vec![a, b],
        library: lib,
        catalog: dir.join("catalog.sqlite3"),
    }
}

fn import(d: &Drive, keep_smaller: bool) -> ImportReport {
    let mut cat = Catalog::open(&d.catalog).unwrap();
    let opts = ImportOptions {
        keep_smaller,
        ..ImportOptions::default()
    };
    import::import(
        &d.sources,
        &d.library,
        &mut cat,
        &opts,
        &Cancel::new(),
        &|_| {},
    )
    .unwrap()
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn the_largest_form_is_imported_and_every_burst_frame_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = drives(dir.path());
    let report = import(&d, false);
    let mut smaller: Vec<(String, String, bool)> = report
        .smaller
        .iter()
        .map(|s| (name(&s.path), name(&s.kept), s.kept_in_library))
        .collect();
    smaller.sort();
    assert_eq!(
        smaller,
        [
            ("IMG_0100.png".into(), "IMG_0100.JPG".into(), false),
            ("IMG_0100_1024.jpg".into(), "IMG_0100.JPG".into(), false),
            ("IMG_0100_phone.jpg".into(), "IMG_0100.JPG".into(), false),
            ("nikon_small.jpg".into(), "nikon.jpg".into(), true),
            ("small.jpg".into(), "IMG_0100.JPG".into(), false),
        ],
        "{report:#?}"
    );
    assert!(report
        .smaller
        .iter()
        .all(|s| !s.imported && s.difference.is_none_or(|d| d < 0.8)));
    // The Canon, its two frames, the lost frame's export, the Pentax original.
    assert_eq!((report.imported, report.failed), (5, 0), "{report:#?}");
    assert_eq!(report.sources[0].new, 5);
    assert_eq!((report.sources[1].smaller, report.sources[1].new), (5, 0));
    let held = md5s_under(&d.library);
    for frame in [
        "DCIM/IMG_0100.JPG",
        "DCIM/IMG_0101.JPG",
        "DCIM/IMG_0102.JPG",
        "web/IMG_0103_web.jpg",
        "DCIM/IMGP0001.JPG",
    ] {
        let md5 = photosync::library::hash::md5_file(&d.sources[0].join(frame)).unwrap();
        assert!(held.contains_key(&md5), "{frame} not imported: {report:#?}");
    }
    assert_eq!(held.len(), 2 + 5);

    let again = import(&d, false);
    assert_eq!(again.imported, 0, "{again:#?}");
    assert_eq!(again.sources[0].in_library, 5);
    assert_eq!(again.smaller.len(), 5);
}

#[test]
fn keep_smaller_imports_the_copies_and_still_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = drives(dir.path());
    let report = import(&d, true);
    assert_eq!(report.imported, 10, "{report:#?}");
    assert_eq!(report.smaller.len(), 5);
    assert!(report.smaller.iter().all(|s| s.imported));
    assert_eq!(report.sources[1].smaller, 0);
    assert_eq!(md5s_under(&d.library).len(), 2 + 10);
}

#[test]
fn the_html_report_shows_each_source_and_both_sides_of_every_smaller_copy() {
    let dir = tempfile::tempdir().unwrap();
    let d = drives(dir.path());
    import(&d, false);
    let (html, section) = imports_section(&d);
    for s in &d.sources {
        assert!(section.contains(&s.canonicalize().unwrap().display().to_string()));
    }
    assert!(section.contains("<td>smaller</td><td>5</td>"), "{section}");
    assert_eq!(pictures_per_decision(&section), [2; 5]);
    assert!(!html.contains("href=") && !html.contains("src=\"http"));
}

/// The HTML report of the library, and its imports section.
fn imports_section(d: &Drive) -> (String, String) {
    let mut cat = Catalog::open(&d.catalog).unwrap();
    let report = photosync::report::run(
        Some(&d.library),
        &mut cat,
        &photosync::dates::rules::Rules::default(),
        &photosync::report::Limits::default(),
        &Cancel::new(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report.imports.len(), d.sources.len());
    let html = photosync::report::html::render(&report);
    let section = &html[html.find("<section id=\"imports\">").unwrap()..];
    let section = section[..section.find("</section>").unwrap()].to_string();
    (html, section)
}

/// How many pictures each smaller-copy decision of the section shows.
fn pictures_per_decision(section: &str) -> Vec<usize> {
    section
        .split("<div class=\"photo smaller\">")
        .skip(1)
        .map(|d| d.matches("src=\"data:image/jpeg;base64,").count())
        .collect()
}

fn one_drive(dir: &Path, source: PathBuf, library: PathBuf) -> Drive {
    Drive {
        sources: vec![source],
        library,
        catalog: dir.join("catalog.sqlite3"),
    }
}

/// A preview that shows another picture (here an EXIF block copied onto a photo, its
/// preview with it) gives that photo a wrong fingerprint. It can only make a pair worth
/// a look: the pictures themselves decide, so nothing is taken for a copy.
#[test]
fn a_stale_preview_never_makes_another_picture_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (a, library) = (dir.path().join("A"), dir.path().join("library"));
    std::fs::create_dir_all(&library).unwrap();
    let canon = fixture("Canon_40D.jpg");
    let other = a.join("DCIM/IMG_0200.JPG");
    with_exif_of(&canon, &other);
    // A small export of the Canon's picture, whose original is on no drive.
    smaller_copy(&canon, &a.join("web/canon_small.jpg"), 0.5, 80, true);
    let d = one_drive(dir.path(), a, library);
    let report = import(&d, false);
    assert!(report.smaller.is_empty(), "{report:#?}");
    assert_eq!((report.imported, report.failed), (2, 0), "{report:#?}");
    // The search was fooled: the photo's fingerprint is its stale preview's.
    let md5 = photosync::library::hash::md5_file(&other).unwrap();
    let prints = Catalog::open(&d.catalog)
        .unwrap()
        .percepts(&[&md5])
        .unwrap();
    assert!(prints[&md5].preview.is_some(), "{prints:#?}");
}

/// A camera original whose preview is its own is fingerprinted from the preview, and
/// its exports (which copied the EXIF block, preview and all) are still found.
#[test]
fn a_fresh_preview_finds_the_exports_of_its_photo() {
    let dir = tempfile::tempdir().unwrap();
    let (a, library) = (dir.path().join("A"), dir.path().join("library"));
    std::fs::create_dir_all(&library).unwrap();
    let original = a.join("DCIM/IMGP0001.JPG");
    copy_to(&fixture("Pentax_K10D.jpg"), &original);
    smaller_copy(&original, &a.join("web/pentax_half.jpg"), 0.5, 80, true);
    smaller_copy(&original, &a.join("web/pentax_tiny.jpg"), 0.3, 60, false);
    let d = one_drive(dir.path(), a, library);
    let report = import(&d, false);
    assert_eq!(
        (report.imported, report.smaller.len()),
        (1, 2),
        "{report:#?}"
    );
    let md5 = photosync::library::hash::md5_file(&original).unwrap();
    let prints = Catalog::open(&d.catalog)
        .unwrap()
        .percepts(&[&md5])
        .unwrap();
    assert!(prints[&md5].preview.is_some(), "{prints:#?}");
}

/// Another picture (the Nikon's) at `photo`'s size, given `photo`'s EXIF block, preview
/// and all.
fn with_exif_of(photo: &Path, at: &Path) {
    let (w, h) = decode_rgb(photo).dimensions();
    let nikon = decode_rgb(&fixture("Nikon_D70.jpg"));
    let resized = image::imageops::resize(&nikon, w, h, image::imageops::FilterType::CatmullRom);
    write_jpeg(&resized, at, 90, exif_segment(photo).as_deref());
}

/// A copy of `from` whose capture time has the hundredths `subsec` (exiftool).
fn with_subsec(from: &Path, to: &Path, subsec: &str) {
    exiftool_copy(from, to, "0", &[&format!("-SubSecTimeOriginal={subsec}")]);
}

/// Exports that carry their original's EXIF, capture time to the hundredth included,
/// are confirmed on a strip of each picture, not by the whole look (no alignment is
/// measured); an export without EXIF still gets the whole look.
#[test]
fn a_shot_the_exif_identifies_is_checked_on_a_strip_of_each_picture() {
    let dir = tempfile::tempdir().unwrap();
    let (a, library) = (dir.path().join("A"), dir.path().join("library"));
    std::fs::create_dir_all(&library).unwrap();
    let original = a.join("DCIM/IMGP0001.JPG");
    with_subsec(&fixture("Pentax_K10D.jpg"), &original, "47");
    smaller_copy(&original, &a.join("web/pentax_half.jpg"), 0.5, 80, true);
    smaller_copy(&original, &a.join("web/pentax_q50.jpg"), 0.4, 50, true);
    smaller_copy(&original, &a.join("web/pentax_bare.jpg"), 0.3, 60, false);
    let d = one_drive(dir.path(), a, library);
    let report = import(&d, false);
    assert_eq!((report.imported, report.failed), (1, 0), "{report:#?}");
    let mut seen: Vec<(String, bool)> = report
        .smaller
        .iter()
        .map(|s| (name(&s.path), s.difference.is_some()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("pentax_bare.jpg".into(), true),
            ("pentax_half.jpg".into(), false),
            ("pentax_q50.jpg".into(), false),
        ],
        "{report:#?}"
    );
    // The report's pictures come from the strips' decode and the original's preview.
    assert_eq!(pictures_per_decision(&imports_section(&d).1), [2; 3]);
}

/// The stale preview again, now with a capture time to the hundredth in the copied
/// EXIF block: the EXIF of the photo and of the export name the same shot, the
/// fingerprints agree, and only the strip of the photo's own pixels tells them apart.
#[test]
fn a_copied_exif_block_with_its_preview_never_makes_another_picture_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (a, library) = (dir.path().join("A"), dir.path().join("library"));
    std::fs::create_dir_all(&library).unwrap();
    let canon = dir.path().join("lost/IMG_0100.JPG");
    with_subsec(&fixture("Canon_40D.jpg"), &canon, "47");
    with_exif_of(&canon, &a.join("DCIM/IMG_0200.JPG"));
    smaller_copy(&canon, &a.join("web/canon_small.jpg"), 0.5, 80, true);
    let d = one_drive(dir.path(), a, library);
    let report = import(&d, false);
    assert!(report.smaller.is_empty(), "{report:#?}");
    assert_eq!((report.imported, report.failed), (2, 0), "{report:#?}");
}

/// A burst whose frames all carry one capture time to the hundredth (an EXIF block
/// copied from the first frame onto the others): the time identifies no frame, so the
/// export of a frame whose original is lost gets the whole look, and is imported.
#[test]
fn frames_that_share_one_capture_time_get_the_whole_look() {
    let dir = tempfile::tempdir().unwrap();
    let (a, library) = (dir.path().join("A"), dir.path().join("library"));
    std::fs::create_dir_all(&library).unwrap();
    let canon = a.join("DCIM/IMG_0100.JPG");
    with_subsec(&fixture("Canon_40D.jpg"), &canon, "47");
    burst_frame(&canon, &a.join("DCIM/IMG_0101.JPG"), 2, 0);
    let lost = dir.path().join("lost/IMG_0102.JPG");
    burst_frame(&canon, &lost, 1, 0);
    smaller_copy(&lost, &a.join("web/IMG_0102_web.jpg"), 0.75, 85, true);
    let d = one_drive(dir.path(), a, library);
    let report = import(&d, false);
    assert!(report.smaller.is_empty(), "{report:#?}");
    assert_eq!((report.imported, report.failed), (3, 0), "{report:#?}");
}
