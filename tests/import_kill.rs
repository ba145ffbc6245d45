//! Crash safety of import: runs killed with SIGKILL at varied moments, then one clean
//! run, leave each photo in the library exactly once and no partial file under a real
//! name (a temporary a killed run left is removed by the next run that writes into its
//! folder). Each killed run is this test binary again, running `child_import`.

mod import_common;
mod kill_common;

use import_common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const CHILD: &str = "PHOTOSYNC_IMPORT_KILL_CHILD";

/// The killed run. Does nothing unless started by the test below.
#[test]
fn child_import() {
    let Some(f) = kill_common::child_args(CHILD) else {
        return;
    };
    run(
        &[PathBuf::from(&f[0])],
        Path::new(&f[1]),
        Path::new(&f[2]),
        false,
    );
}

#[test]
fn imports_killed_at_varied_moments_then_a_clean_run_hold_each_photo_once() {
    let dir = tempfile::tempdir().unwrap();
    let (drive, library) = (dir.path().join("drive"), dir.path().join("library"));
    // Two folders of the same 120 pictures: every photo has a byte-identical twin.
    distinct_jpegs(&drive.join("a"), 120, 256);
    for e in std::fs::read_dir(drive.join("a")).unwrap() {
        let e = e.unwrap();
        copy_to(&e.path(), &drive.join("b").join(e.file_name()));
    }
    std::fs::create_dir_all(&library).unwrap();
    let catalog = dir.path().join("catalog.sqlite3");
    let args = [&drive, &library, &catalog].map(|p| p.display().to_string());
    kill_common::kill_runs("child_import", CHILD, &args, 12, 11, 50..750);
    let by_killed = md5s_under(&library).len();
    assert!(by_killed > 0, "no killed run got to copy");
    let report = run(std::slice::from_ref(&drive), &library, &catalog, false);
    assert_eq!(report.failed, 0, "{:?}", report.errors);
    let held = md5s_under(&library);
    let names: Vec<&PathBuf> = held.values().flatten().collect();
    assert!(
        names
            .iter()
            .all(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.')),
        "a temporary is left: {names:?}"
    );
    assert!(
        held.values().all(|p| p.len() == 1),
        "a photo twice: {held:?}"
    );
    let source: BTreeSet<String> = md5s_under(&drive).into_keys().collect();
    let lib: BTreeSet<String> = held.into_keys().collect();
    assert_eq!(lib, source, "each photo of the drive, checked whole, once");
}
