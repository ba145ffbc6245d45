//! Flickr's paging is unstable (issue 13 item 8): a page after the first may start one
//! item off, repeating one or skipping one. A full read of the index must still see
//! every photo (a skipped one would be uploaded again, or forgotten as lost), and a copy
//! it does not see is asked for by id before it is forgotten. A copy really deleted on
//! Flickr is still found gone and made again.

mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::account::verify::{self, VerifyOptions};
use photosync::destinations::flickr::account::AccountOptions;
use photosync::destinations::flickr::sync::{Pacing, SyncOptions};
use photosync::emulators::flickr::EmulatorConfig;
use std::time::Duration;
use sync_common::*;

/// An account the old script filled with `n` photos, the library holding them all, and
/// pages that shift at `rate`; search itself keeps up (the lag is another test's).
fn shifting_world(n: usize, rate: f64) -> World {
    let config = EmulatorConfig {
        seed: 21,
        calls_per_hour: 1_000_000,
        unstable_paging: rate,
        ..EmulatorConfig::instant_search()
    };
    World::filled(config, |client, dir| {
        fill_account(client, dir, n);
    })
}

fn verify_report(w: &mut World) -> verify::VerifyReport {
    let opts = VerifyOptions {
        root: Some(w.dir.path().to_path_buf()),
        ..VerifyOptions::default()
    };
    let account = AccountOptions {
        pacing: Pacing {
            retry_delay: Duration::from_millis(5),
            budget_window: Duration::from_secs(10),
            ..Pacing::default()
        },
        ..AccountOptions::default()
    };
    verify::verify_flickr(&mut w.catalog, &w.client, &account, &opts, &Cancel::new()).unwrap()
}

#[test]
fn full_reads_through_shifting_pages_miss_nothing_and_forget_nothing_that_exists() {
    let mut w = shifting_world(1600, 0.3);
    let verifying = SyncOptions {
        verify: true,
        ..fast_options()
    };
    // A run without a catalog reads the whole account: every photo is found, none is
    // sent again. Read a few times, so that pages do shift.
    for _ in 0..4 {
        w.catalog = Catalog::in_memory().unwrap();
        w.rescan();
        let first = w.sync(&fast_options()).0.unwrap();
        assert_eq!(
            (first.uploaded, first.skipped),
            (0, 1600),
            "{:?}",
            first.errors
        );
    }
    // Full reads again and again: nothing is forgotten, nothing uploaded.
    for _ in 0..3 {
        let again = w.sync(&verifying).0.unwrap();
        assert_eq!((again.uploaded, again.healed), (0, 0), "{:?}", again.errors);
        let checked = verify_report(&mut w);
        assert_eq!(checked.forgotten, 0, "{checked:?}");
        assert!(checked.ok(), "{checked:?}");
    }
    assert_each_exactly_once(&w.emu, &w.photos);
    assert_eq!(w.emu.call_counts().get("upload"), Some(&1600));

    // A copy deleted on Flickr is still found gone, and made again once.
    let gone = w.emu.photos()[700].clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params = [("photo_id".to_string(), gone.id.clone())];
    rt.block_on(w.client.call("flickr.photos.delete", &params))
        .unwrap();
    let healed = w.sync(&verifying).0.unwrap();
    assert_eq!((healed.uploaded, healed.healed), (1, 1), "{healed:?}");
    assert_each_exactly_once(&w.emu, &w.photos);
}
