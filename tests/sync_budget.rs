//! The call budget: with the emulator's hourly budget as small as the run's options
//! say, every call of the run (login, index, uploads, dates) is paced under it, so
//! Flickr never answers HTTP 429, and the run still finishes.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::{SyncEvent, SyncOptions};
use photosync::emulators::flickr::EmulatorConfig;
use std::time::{Duration, Instant};
use sync_common::*;

#[test]
fn a_run_stays_under_the_call_budget_and_finishes() {
    let emu = emulator(EmulatorConfig {
        calls_per_hour: 100,
        ..EmulatorConfig::default()
    });
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "p", 20);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    // The same 100 calls, counted over 4 seconds instead of an hour so the test is
    // quick: a burst of 5, then about 24 calls a second.
    let opts = SyncOptions {
        calls_per_hour: 100,
        budget_window: Duration::from_secs(4),
        ..fast_options()
    };

    let started = Instant::now();
    let (report, events) = run(&photos, &mut catalog, &client, &opts);
    let elapsed = started.elapsed();
    let report = report.unwrap();

    assert_eq!(report.uploaded, 20);
    let throttled: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Retried { error, .. } if error.contains("429")))
        .collect();
    assert!(throttled.is_empty(), "{throttled:?}");
    // Login, one index page, 20 uploads and 20 dates: all within the budget.
    let calls = total_calls(&emu);
    assert_eq!(calls, 42);
    assert!(calls <= 100);
    assert_eq!(report.api_calls, calls);
    // 37 calls past the burst at ~24 a second: the pacer spread them out.
    assert!(elapsed >= Duration::from_millis(1400), "{elapsed:?}");
}
