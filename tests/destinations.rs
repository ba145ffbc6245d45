//! One run to several destinations through the core: one scan, every destination in turn
//! (archive, Flickr, Google Photos), and a destination that cannot go on (an archive drive
//! that is not there) leaving the others' work done and recorded.

mod gphotos_common;
mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::rules::Rules;
use photosync::destinations::archive::Archive;
use photosync::destinations::archive::ArchiveOptions;
use photosync::destinations::flickr::sync::Flickr;
use photosync::destinations::gphotos::api::Client;
use photosync::destinations::gphotos::sync::Gphotos;
use photosync::destinations::gphotos::sync::GphotosSyncOptions;
use photosync::emulators::flickr::EmulatorConfig;
use photosync::emulators::gphotos::{GooglePhotosConfig, GooglePhotosEmulator};
use photosync::engine::run::{sync_all, Event, MultiReport, Outcome, Target};
use std::path::Path;
use std::sync::{Arc, Mutex};
use sync_common::{client_for, emulator, fast_options, write_photos};

/// Runs once to `archive` (missing or not), Flickr and Google Photos, counting scans.
fn run(
    library: &Path,
    catalog: &mut Catalog,
    archive: &Path,
    flickr: &photosync::destinations::flickr::api::Client,
    gphotos: &Arc<Client>,
) -> (MultiReport, usize) {
    let scans = Mutex::new(0);
    let cancel = Cancel::new();
    let destinations = vec![
        Target::Gphotos(
            Gphotos::new(gphotos, GphotosSyncOptions::default(), &cancel).expect("client"),
        ),
        Target::Flickr(Flickr::new(flickr, fast_options(), &cancel).expect("client")),
        Target::Archive(Archive::new(archive, ArchiveOptions::default(), &cancel)),
    ];
    let events = |e: Event| {
        if matches!(e, Event::Scanned(_)) {
            *scans.lock().unwrap() += 1;
        }
    };
    let report = sync_all(
        library,
        catalog,
        destinations,
        &Rules::default(),
        &cancel,
        &events,
    )
    .expect("scan");
    let scans = *scans.lock().unwrap();
    (report, scans)
}

#[test]
fn one_scan_feeds_every_destination_and_a_missing_drive_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library");
    write_photos(&library, "d", 5);
    let archive = dir.path().join("drive");
    let flickr_emu = emulator(EmulatorConfig::default());
    let gphotos_emu = GooglePhotosEmulator::start(GooglePhotosConfig::default()).unwrap();
    let (flickr, gphotos) = (
        client_for(&flickr_emu),
        gphotos_common::client(&gphotos_emu),
    );
    let mut catalog = Catalog::in_memory().unwrap();

    // The drive is not mounted: the archive fails, Flickr and Google Photos still run.
    let (first, scans) = run(&library, &mut catalog, &archive, &flickr, &gphotos);
    assert_eq!(scans, 1);
    assert_eq!(first.scan.hashed, 5);
    let names: Vec<&str> = first.outcomes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[1..], ["flickr", "gphotos"]);
    assert!(matches!(first.outcomes[0].1, Outcome::Archive(Err(_))));
    assert!(matches!(&first.outcomes[1].1, Outcome::Flickr(Ok(r)) if r.uploaded == 5));
    assert!(matches!(&first.outcomes[2].1, Outcome::Gphotos(Ok(r)) if r.uploaded == 5));

    // Mounted: only the archive has work left.
    std::fs::create_dir_all(&archive).unwrap();
    let (second, scans) = run(&library, &mut catalog, &archive, &flickr, &gphotos);
    assert_eq!((scans, second.scan.hashed), (1, 0));
    assert!(matches!(&second.outcomes[0].1, Outcome::Archive(Ok(r)) if r.copied == 5));
    assert!(matches!(&second.outcomes[1].1, Outcome::Flickr(Ok(r)) if r.uploaded == 0));
    assert!(matches!(&second.outcomes[2].1, Outcome::Gphotos(Ok(r)) if r.uploaded == 0));
    assert_eq!(flickr_emu.photos().len(), 5);
    assert_eq!(gphotos_emu.items().len(), 5);
}
