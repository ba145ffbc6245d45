//! `adopt` and `verify` against the emulator: photos another tool uploaded without a
//! tag are adopted, after which sync uploads nothing; verify reports missing,
//! duplicated, untagged and changed photos, and is clean when nothing is wrong.

mod sync_common;

use photosync::cancel::Cancel;
use photosync::destinations::flickr::account::adopt::{self, AdoptEvent};
use photosync::destinations::flickr::account::verify::{self, VerifyOptions};
use photosync::destinations::flickr::account::AccountOptions;
use photosync::destinations::flickr::api::{Client, UploadAnswer};
use photosync::destinations::flickr::sync::Pacing;
use photosync::emulators::flickr::EmulatorConfig;
use std::path::Path;
use std::time::Duration;
use sync_common::*;

fn fast() -> AccountOptions {
    AccountOptions {
        pacing: Pacing {
            retry_delay: Duration::from_millis(5),
            budget_window: Duration::from_secs(10),
            ..Pacing::default()
        },
        ..AccountOptions::default()
    }
}

fn upload_untagged(client: &Client, path: &Path) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params = vec![("title".to_string(), "from the phone".to_string())];
    match rt.block_on(client.upload(path, &params, false)).unwrap() {
        UploadAnswer::PhotoId(id) => id,
        other => panic!("{other:?}"),
    }
}

fn verify(w: &mut World, read_data: bool) -> verify::VerifyReport {
    let opts = VerifyOptions {
        read_data,
        root: Some(w.dir.path().to_path_buf()),
        ..VerifyOptions::default()
    };
    verify::verify_flickr(&mut w.catalog, &w.client, &fast(), &opts, &Cancel::new()).unwrap()
}

#[test]
fn adopted_photos_are_not_uploaded_again() {
    let mut w = World::new(EmulatorConfig::instant_search(), &[("", "phone", 5)]);
    // The phone app uploaded the library, without tags: sync would upload it again.
    for photo in &w.photos {
        upload_untagged(&w.client, &photo.path);
    }
    let events = std::sync::Mutex::new(Vec::new());
    let report = adopt::adopt_flickr(&mut w.catalog, &w.client, &fast(), &Cancel::new(), &|e| {
        events.lock().unwrap().push(e)
    })
    .unwrap();
    assert_eq!(
        (report.adopted, report.failed),
        (5, 0),
        "{:?}",
        report.errors
    );
    assert!(matches!(
        events.lock().unwrap()[0],
        AdoptEvent::Planned {
            untagged: 5,
            tagged: 0
        }
    ));
    for p in w.emu.photos() {
        assert!(
            p.machine_tags.contains(&format!("checksum:md5={}", p.md5)),
            "{p:?}"
        );
    }
    let synced = w.sync(&fast_options()).0.unwrap();
    assert_eq!((synced.uploaded, synced.skipped), (0, 5));
    assert_eq!(w.emu.photos().len(), 5);

    let again =
        adopt::adopt_flickr(&mut w.catalog, &w.client, &fast(), &Cancel::new(), &|_| {}).unwrap();
    assert_eq!((again.adopted, again.already_tagged), (0, 5));
}

#[test]
fn verify_is_clean_after_a_sync_and_reports_what_goes_wrong() {
    let mut w = World::new(EmulatorConfig::instant_search(), &[("", "v", 6)]);
    w.sync(&fast_options()).0.unwrap();
    let clean = verify(&mut w, true);
    assert!(clean.ok(), "{clean:?}");
    assert_eq!(
        (clean.photos_on_flickr, clean.local_photos, clean.read),
        (6, 6, 6)
    );

    // A duplicate made by the old script, an untagged upload, a new local photo, and
    // an original whose bytes changed on Flickr.
    let dup_id = upload_like_the_old_script(&w.client, &w.photos[0].path);
    let other = tempfile::tempdir().unwrap();
    let stray = write_photos(other.path(), "stray", 1).remove(0);
    let untagged_id = upload_untagged(&w.client, &stray);
    write_photos(w.dir.path(), "new", 1);
    w.rescan();
    let victim = w
        .emu
        .photos()
        .into_iter()
        .find(|p| p.title == "v-3")
        .unwrap();
    std::fs::write(&victim.original_path, b"changed").unwrap();

    let report = verify(&mut w, true);
    assert!(!report.ok());
    assert_eq!(report.missing_on_flickr.len(), 1);
    assert!(report.missing_on_flickr[0]
        .to_string_lossy()
        .contains("new-0"));
    let md5 = w
        .photos
        .iter()
        .find(|p| p.path.ends_with("v-0.jpg"))
        .unwrap()
        .md5
        .clone()
        .unwrap();
    assert!(
        report.duplicates[&md5].contains(&dup_id),
        "{:?}",
        report.duplicates
    );
    assert_eq!(report.untagged, vec![untagged_id]);
    assert_eq!(report.corrupted.len(), 1);
    assert_eq!(report.corrupted[0].0, victim.id);
    // Without read_data the changed bytes go unseen; the listing is all it costs.
    let quick = verify(&mut w, false);
    assert!(quick.corrupted.is_empty() && quick.read == 0);
    assert!(quick.api_calls <= 3, "{}", quick.api_calls);
}
