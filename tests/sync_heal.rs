//! Copies that heal, on Flickr: a full index read (`verify` option) forgets copies its
//! listing does not show once Flickr confirms by id that they are gone, and the next
//! upload of each waits for a checksum search to find no other copy. Search lags behind
//! uploads, so a listing right after a sync misses photos that are there: asked for by
//! id, they are kept, never forgotten nor uploaded twice.

mod sync_common;

use photosync::destinations::flickr::sync::SyncOptions;
use photosync::emulators::flickr::EmulatorConfig;
use std::time::Duration;
use sync_common::*;

fn lagging_world(lag: Duration) -> World {
    let config = EmulatorConfig {
        seed: 5,
        calls_per_hour: 100_000,
        search_lag: lag,
        ..EmulatorConfig::default()
    };
    World::new(config, &[("", "heal", 3)])
}

fn verifying() -> SyncOptions {
    SyncOptions {
        verify: true,
        lookup_delay: Duration::from_millis(50),
        ..fast_options()
    }
}

#[test]
fn a_listing_that_lags_forgets_nothing_and_uploads_nothing_twice() {
    // Far longer than the run: every listing and search of this test misses the uploads.
    let mut w = lagging_world(Duration::from_secs(600));
    assert_eq!(w.sync(&fast_options()).0.unwrap().uploaded, 3);
    let report = w.sync(&verifying()).0.unwrap();
    assert_eq!((report.uploaded, report.healed), (0, 0), "{report:?}");
    assert_each_exactly_once(&w.emu, &w.photos);
    assert_eq!(w.catalog.remote_index(&backend(&w)).unwrap().len(), 3);
    assert!(w.catalog.lost_open(&backend(&w)).unwrap().is_empty());
}

#[test]
fn a_photo_deleted_on_flickr_is_uploaded_again_once() {
    let mut w = lagging_world(Duration::ZERO);
    assert_eq!(w.sync(&fast_options()).0.unwrap().uploaded, 3);
    let gone = w.emu.photos()[0].id.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params = [("photo_id".to_string(), gone)];
    rt.block_on(w.client.call("flickr.photos.delete", &params))
        .unwrap();
    // The incremental index does not notice; the full read does, and heals it.
    assert_eq!(w.sync(&fast_options()).0.unwrap().uploaded, 0);
    let report = w.sync(&verifying()).0.unwrap();
    assert_eq!((report.uploaded, report.healed), (1, 1), "{report:?}");
    assert_each_exactly_once(&w.emu, &w.photos);
    let again = w.sync(&verifying()).0.unwrap();
    assert_eq!((again.uploaded, again.healed), (0, 0));
}

fn backend(w: &World) -> String {
    format!("flickr:{}", w.emu.user_nsid())
}
