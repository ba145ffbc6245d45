//! Flickr's search index lags behind uploads. An upload whose answer was lost is looked
//! up by checksum before it is sent again; when search does not see it yet, a second
//! look after a delay must find it, or the photo would be uploaded twice.

mod sync_common;

use photosync::destinations::flickr::sync::SyncOptions;
use photosync::emulators::flickr::{EmulatorConfig, FaultKind};
use std::time::Duration;
use sync_common::*;

/// Uploads stored by the emulator whose answers are lost, searchable only 300 ms later.
fn lagging_world() -> World {
    let config = EmulatorConfig {
        seed: 3,
        calls_per_hour: 100_000,
        search_lag: Duration::from_millis(300),
        ..EmulatorConfig::default()
    };
    let w = World::new(config, &[("", "lag", 12)]);
    w.emu.set_fault_kinds(&[FaultKind::DropAfterWork]);
    w.emu.set_fault_rate(0.3);
    w
}

fn options(lookup_delay: Duration) -> SyncOptions {
    SyncOptions {
        concurrency: 1,
        max_attempts: 12,
        lookup_delay,
        ..fast_options()
    }
}

#[test]
fn a_second_look_after_a_delay_finds_an_upload_search_did_not_see_yet() {
    let mut w = lagging_world();
    let report = w.sync(&options(Duration::from_millis(600))).0.unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.errors);
    assert_each_exactly_once(&w.emu, &w.photos);
}

#[test]
fn without_the_second_look_the_same_run_makes_duplicates() {
    // The control: shows that the faults above do hit uploads whose photo search
    // cannot see yet, so the test above would fail without the delayed look.
    let mut w = lagging_world();
    w.sync(&options(Duration::ZERO)).0.unwrap();
    let counts = md5_counts(&w.emu.photos());
    assert!(counts.values().any(|n| *n > 1), "{counts:?}");
}
