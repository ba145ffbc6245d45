//! Async uploads (`async=1`): the photo ids come from polling
//! flickr.photos.upload.checkTickets, many tickets a call, and every photo still ends
//! on Flickr exactly once, through faults too.

mod sync_common;

use photosync::destinations::flickr::sync::{SyncEvent, SyncOptions};
use photosync::emulators::flickr::{EmulatorConfig, FaultKind};
use std::time::Duration;
use sync_common::*;

fn async_options() -> SyncOptions {
    SyncOptions {
        async_uploads: true,
        ticket_poll: Duration::from_millis(20),
        ..fast_options()
    }
}

#[test]
fn async_uploads_get_their_photo_ids_from_tickets() {
    let mut w = World::new(EmulatorConfig::default(), &[("", "a", 12)]);

    let (report, events) = w.sync(&async_options());
    let report = report.unwrap();
    assert_eq!(
        (report.uploaded, report.failed),
        (12, 0),
        "{:?}",
        report.errors
    );
    let ids: std::collections::BTreeSet<_> = w.emu.photos().into_iter().map(|p| p.id).collect();
    for e in &events {
        if let SyncEvent::Uploaded { photo_id, .. } = e {
            assert!(ids.contains(photo_id), "{photo_id} is not on Flickr");
        }
    }
    let polls = w.emu.call_counts()["flickr.photos.upload.checkTickets"];
    // The emulator answers "not yet" to a ticket's first check: at least 2 polls,
    // and far fewer than a poll per photo per check.
    assert!((2..12).contains(&polls), "{polls} polls");
    assert_each_exactly_once(&w.emu, &w.photos);

    let again = w.sync(&async_options()).0.unwrap();
    assert_eq!(again.uploaded, 0);
}

#[test]
fn async_uploads_are_exactly_once_through_faults() {
    let config = EmulatorConfig {
        seed: 9,
        calls_per_hour: 100_000,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("", "f", 30)]);
    w.emu.set_fault_kinds(&FaultKind::ALL);
    w.emu.set_fault_rate(0.2);
    let opts = SyncOptions {
        max_attempts: 12,
        ..async_options()
    };
    w.sync(&opts).0.unwrap();
    w.emu.set_fault_rate(0.0);
    w.sync(&opts).0.unwrap();
    assert_each_exactly_once(&w.emu, &w.photos);
}
