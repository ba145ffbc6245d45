//! Crash safety of import: runs killed with SIGKILL at varied moments, then one clean
//! run, leave each photo in the library exactly once and no partial file under a real
//! name (a temporary a killed run left is removed by the next run that writes into its
//! folder). Each killed run is this test binary again, running `child_import`.

mod import_common;

use import_common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD: &str = "PHOTOSYNC_IMPORT_KILL_CHILD";

/// The killed run. Does nothing unless started by the test below.
#[test]
fn child_import() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let f: Vec<&str> = spec.split('\n').collect();
    run(
        &[PathBuf::from(f[0])],
        Path::new(f[1]),
        Path::new(f[2]),
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
    let spec = [&drive, &library, &catalog]
        .map(|p| p.display().to_string())
        .join("\n");
    let mut seed: u64 = 11;
    for _ in 0..12 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(50 + (seed >> 33) % 700);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["child_import", "--exact", "--test-threads=1"])
            .env(CHILD, &spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
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
