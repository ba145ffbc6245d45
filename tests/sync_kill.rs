//! Crash safety: a sync killed with SIGKILL at random moments, twenty times, then run
//! once to the end, leaves every photo on Flickr exactly once and no upload
//! unresolved in the catalog. Each killed run is this test binary again, started as a
//! child that runs `child_sync` against the emulator living in the parent.

mod kill_common;
mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::api::{Client, Credentials, Endpoints};
use photosync::destinations::flickr::sync;
use photosync::emulators::flickr::EmulatorConfig;
use std::path::{Path, PathBuf};
use std::time::Duration;
use sync_common::*;

const CHILD: &str = "PHOTOSYNC_SYNC_KILL_CHILD";

/// The killed run. Does nothing unless started by the test below.
#[test]
fn child_sync() {
    let Some(f) = kill_common::child_args(CHILD) else {
        return;
    };
    let client = Client::new(
        Credentials {
            api_key: f[1].clone(),
            shared_secret: f[2].clone(),
            access_token: Some(f[3].clone()),
            access_secret: Some(f[4].clone()),
        },
        Endpoints::under(&f[0]),
    )
    .unwrap();
    let mut catalog = Catalog::open(Path::new(&f[6])).unwrap();
    let photos = scan(Path::new(&f[5]), &mut catalog);
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
    let args = [
        emu.endpoint(),
        emu.api_key(),
        emu.shared_secret(),
        emu.access_token(),
        emu.access_secret(),
        library.display().to_string(),
        catalog_file.display().to_string(),
    ];
    kill_common::kill_runs("child_sync", CHILD, &args, 20, 7, 100..700);
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
