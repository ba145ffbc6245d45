//! Damaged files in an import: the only copy of a photo is imported though damaged,
//! flagged in the catalog as a library file would be, and counted as damaged; a copy
//! cut short beside its whole original (on a source, or in the library) is left out,
//! and the report names the original.

mod import_common;

use import_common::*;
use photosync::catalog::Catalog;
use photosync::import::ImportReport;
use std::path::Path;

fn cut(from: &Path, to: &Path, keep: usize) {
    let bytes = std::fs::read(from).unwrap();
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::write(to, &bytes[..keep.min(bytes.len())]).unwrap();
}

/// The library's flags: file name -> why it is damaged.
fn flagged(catalog: &Path, library: &Path) -> Vec<(String, String)> {
    let cat = Catalog::open(catalog).unwrap();
    let root = std::fs::canonicalize(library).unwrap();
    cat.damaged_under(&root)
        .unwrap()
        .into_iter()
        .map(|(p, why)| (p.file_name().unwrap().to_string_lossy().into(), why))
        .collect()
}

/// Why the file at `name` (a path's end) is listed as damaged.
fn reason(report: &ImportReport, name: &str) -> String {
    let (_, why) = report
        .damaged
        .iter()
        .find(|(p, _)| p.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not listed as damaged: {report:#?}"));
    why.clone()
}

#[test]
fn the_only_copy_of_a_photo_is_imported_though_damaged_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let (drive, library) = (dir.path().join("drive"), dir.path().join("library"));
    let catalog = dir.path().join("catalog.sqlite3");
    std::fs::create_dir_all(&library).unwrap();
    let nikon = std::fs::read(fixture("Nikon_D70.jpg")).unwrap();
    // Cut short, two byte-identical copies of it, and a shorter cut of the same photo:
    // the longer holds all the shorter has.
    cut(
        &fixture("Nikon_D70.jpg"),
        &drive.join("a/nikon.jpg"),
        nikon.len() * 2 / 3,
    );
    cut(
        &fixture("Nikon_D70.jpg"),
        &drive.join("b/nikon.jpg"),
        nikon.len() * 2 / 3,
    );
    cut(
        &fixture("Nikon_D70.jpg"),
        &drive.join("c/nikon.jpg"),
        nikon.len() / 3,
    );
    // Whole to its last byte, its structure broken (DQT length 1).
    let broken = broken_jpeg(&std::fs::read(fixture("Pentax_K10D.jpg")).unwrap());
    std::fs::write(drive.join("broken.jpg"), &broken).unwrap();
    std::fs::write(drive.join("empty.jpg"), b"").unwrap();

    let dry = run(std::slice::from_ref(&drive), &library, &catalog, true);
    assert!(reason(&dry, "a/nikon.jpg").contains("would be imported all the same"));
    let report = run(std::slice::from_ref(&drive), &library, &catalog, false);
    let s = &report.sources[0];
    assert_eq!(
        (s.files, s.new, s.copies, s.damaged, report.imported),
        (5, 0, 1, 4, 2),
        "{report:#?}"
    );
    let why = |name: &str| reason(&report, name);
    assert!(why("a/nikon.jpg").contains("imported all the same"));
    assert!(why("c/nikon.jpg").contains("a/nikon.jpg starts with all of its bytes"));
    assert!(why("broken.jpg").contains("broken") && why("broken.jpg").contains("imported"));
    assert!(why("empty.jpg").contains("not imported"));

    let held = md5s_under(&library);
    let md5 = |p: &Path| photosync::library::hash::md5_file(p).unwrap();
    assert_eq!(held.len(), 2, "{held:#?}");
    assert!(held.contains_key(&md5(&drive.join("a/nikon.jpg"))));
    assert!(held.contains_key(&md5(&drive.join("broken.jpg"))));
    let flags = flagged(&catalog, &library);
    assert_eq!(flags.len(), 2, "{flags:#?}");
    assert!(flags.iter().any(|(_, why)| why.contains("cut short")));
    assert!(flags.iter().any(|(_, why)| why.contains("broken")));

    let again = run(std::slice::from_ref(&drive), &library, &catalog, false);
    assert_eq!(
        (again.imported, again.sources[0].in_library),
        (0, 3),
        "{again:#?}"
    );
    assert_eq!(md5s_under(&library), held);
}

#[test]
fn a_copy_cut_short_beside_its_whole_original_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let (drive, library) = (dir.path().join("drive"), dir.path().join("library"));
    let catalog = dir.path().join("catalog.sqlite3");
    // On the drive: Canon whole and a cut copy of it. In the library: Nikon whole; on
    // the drive a cut copy of it. A cut copy of the Pentax whose whole original was
    // edited (other bytes from its start): no file holds its bytes, so it is imported.
    copy_to(&fixture("Canon_40D.jpg"), &drive.join("DCIM/canon.jpg"));
    let canon_len = std::fs::metadata(fixture("Canon_40D.jpg")).unwrap().len() as usize;
    cut(
        &fixture("Canon_40D.jpg"),
        &drive.join("backup/canon.jpg"),
        canon_len - 10,
    );
    copy_to(&fixture("Nikon_D70.jpg"), &library.join("2004/nikon.jpg"));
    cut(
        &fixture("Nikon_D70.jpg"),
        &drive.join("backup/nikon.jpg"),
        9000,
    );
    exiftool_copy(
        &fixture("Pentax_K10D.jpg"),
        &drive.join("DCIM/pentax.jpg"),
        "0:0:0 1:0:0",
        &[],
    );
    cut(
        &fixture("Pentax_K10D.jpg"),
        &drive.join("backup/pentax.jpg"),
        8000,
    );

    let report = run(std::slice::from_ref(&drive), &library, &catalog, false);
    let s = &report.sources[0];
    assert_eq!(
        (s.files, s.new, s.damaged, report.imported),
        (5, 2, 3, 3),
        "{report:#?}"
    );
    let why = |name: &str| reason(&report, name);
    assert!(why("backup/canon.jpg").contains("DCIM/canon.jpg starts with all of its bytes"));
    assert!(why("backup/nikon.jpg").contains("2004/nikon.jpg starts with all of its bytes"));
    assert!(why("backup/pentax.jpg").contains("imported all the same"));
    let held = md5s_under(&library);
    let md5 = |p: &Path| photosync::library::hash::md5_file(p).unwrap();
    assert_eq!(held.len(), 4, "{held:#?}");
    assert!(!held.contains_key(&md5(&drive.join("backup/canon.jpg"))));
    assert!(!held.contains_key(&md5(&drive.join("backup/nikon.jpg"))));
    assert!(held.contains_key(&md5(&drive.join("backup/pentax.jpg"))));
}
