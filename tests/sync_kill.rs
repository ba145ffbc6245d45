//! Crash safety: a sync killed with SIGKILL at random moments, twenty times, then run
//! once to the end, leaves every photo on Flickr exactly once and no upload
//! unresolved in the catalog. Each killed run is this test binary again, started as a
//! child that runs `child_sync` against the emulator living in the parent.

mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::api::{Client, Credentials, Endpoints};
use photosync::destinations::flickr::sync;
use photosync::emulators::flickr::EmulatorConfig;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use sync_common::*;

const CHILD: &str = "PHOTOSYNC_SYNC_KILL_CHILD";

/// The killed run. Does nothing unless started by the test below.
#[test]
fn child_sync() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let f: Vec<&str> = spec.split('\n').collect();
    let client = Client::new(
        Credentials {
            api_key: f[1].into(),
            shared_secret: f[2].into(),
            access_token: Some(f[3].into()),
            access_secret: Some(f[4].into()),
        },
        Endpoints::under(f[0]),
    )
    .unwrap();
    let mut catalog = Catalog::open(Path::new(f[6])).unwrap();
    let photos = scan(Path::new(f[5]), &mut catalog);
    let _ = sync::sync_flickr(
        &photos,
        &mut catalog,
        &client,
        &fast_options(),
        &Cancel::new(),
        &|_| {},
    );
}

#[test]
fn runs_killed_at_random_moments_leave_every_photo_exactly_once() {
    let emu = emulator(EmulatorConfig {
        latency: Duration::from_millis(15),
        calls_per_hour: 100_000,
        ..EmulatorConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library");
    write_photos(&library, "p", 150);
    let catalog_file: PathBuf = dir.path().join("catalog.sqlite3");
    let spec = [
        emu.endpoint(),
        emu.api_key(),
        emu.shared_secret(),
        emu.access_token(),
        emu.access_secret(),
        library.display().to_string(),
        catalog_file.display().to_string(),
    ]
    .join("\n");
    let mut seed: u64 = 7;
    for _ in 0..20 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(100 + (seed >> 33) % 600);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["child_sync", "--exact", "--test-threads=1"])
            .env(CHILD, &spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let killed_uploads = emu.call_counts().get("upload").copied().unwrap_or(0);

    let client = client_for(&emu);
    let mut catalog = Catalog::open(&catalog_file).unwrap();
    let photos = scan(&library, &mut catalog);
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert!(killed_uploads > 0, "no killed run got to upload");
    assert_eq!(report.failed, 0, "{:?}", report.errors);
    assert_each_exactly_once(&emu, &photos);
    let backend = format!("flickr:{}", emu.user_nsid());
    assert!(catalog.journal_unfinished(&backend).unwrap().is_empty());
    let index = catalog.remote_index(&backend).unwrap();
    let on_flickr: std::collections::BTreeMap<String, String> =
        emu.photos().into_iter().map(|p| (p.md5, p.id)).collect();
    for (md5, ids) in index {
        assert_eq!(ids, vec![on_flickr[&md5].clone()], "{md5}");
    }
}
