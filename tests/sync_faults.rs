//! With a fifth of all requests failing, in every way Flickr fails (HTTP 5xx, error
//! 105, connections dropped before the answer, uploads stored but their answer lost),
//! every photo still ends on Flickr exactly once.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::{SyncEvent, SyncOptions};
use photosync::emulators::flickr::{EmulatorConfig, FaultKind};
use sync_common::*;

#[test]
fn every_photo_exactly_once_through_a_fifth_of_requests_failing() {
    let emu = emulator(EmulatorConfig {
        seed: 42,
        calls_per_hour: 100_000,
        ..EmulatorConfig::default()
    });
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 40);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    emu.set_fault_kinds(&FaultKind::ALL);
    emu.set_fault_rate(0.2);
    let opts = SyncOptions {
        max_attempts: 12,
        ..fast_options()
    };

    let (report, events) = run(&photos, &mut catalog, &client, &opts);
    let report = report.unwrap();

    assert_eq!(report.failed, 0, "{:?}", report.errors);
    assert_eq!(report.uploaded, 40);
    assert_each_exactly_once(&emu, &photos);
    let retries = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Retried { .. }))
        .count();
    assert!(retries > 0, "the faults were not met");
    // Some uploads lost their answer (stored or not): each was looked up by checksum.
    let lost = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Retried { error, .. } if error.contains("network error calling upload")))
        .count();
    assert!(lost > 0, "no upload lost its answer");
    assert!(emu.call_counts()["upload"] > 40);

    emu.set_fault_rate(0.0);
    let again = run(&photos, &mut catalog, &client, &opts).0.unwrap();
    assert_eq!(again.uploaded, 0);
}
