//! One library holding the files destinations disagree about (a RAW file, an oversize
//! photo, a RAW format Google Photos does not read, a broken file, a duplicate) synced to
//! Flickr, Google Photos and an archive: every destination tells it in the same words,
//! every file counted once; the broken file is refused by both clouds and recorded, and
//! a second run sends nothing again, shows the refusals and fails nothing.

mod gphotos_common;
mod sync_common;

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::rules::Rules;
use photosync::destinations::archive::Archive;
use photosync::destinations::archive::ArchiveOptions;
use photosync::destinations::flickr::sync::Flickr;
use photosync::destinations::flickr::sync::{flickr_accepts, SyncEvent};
use photosync::destinations::gphotos::sync::Gphotos;
use photosync::destinations::gphotos::sync::{gphotos_accepts, GphotosSyncOptions};
use photosync::emulators::flickr::EmulatorConfig;
use photosync::emulators::gphotos::{GooglePhotosConfig, GooglePhotosEmulator};
use photosync::engine::outcome::Counts;
use photosync::engine::run::{sync_all, Event, Outcome, Target};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use sync_common::{client_for, emulator, fast_options, jpeg_bytes};

/// Files over this size are "oversize" for both clouds in this test.
const LIMIT: u64 = 1000;

fn library(dir: &Path) {
    std::fs::create_dir_all(dir.join("copy")).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write("a.jpg", &jpeg_bytes("a"));
    write("b.jpg", &jpeg_bytes("b"));
    write("copy/a.jpg", &jpeg_bytes("a"));
    // A Canon RAW: TIFF header with CR2's marker at offset 8.
    write("raw.cr2", b"II*\0\x10\0\0\0CR\x02\0raw bytes");
    write("big.jpg", &jpeg_bytes(&"x".repeat(LIMIT as usize + 1)));
    write("odd.x3f", b"FOVb sigma raw");
    // Named as a JPEG; its bytes are nothing either cloud can decode.
    write("broken.jpg", b"these bytes are no image at all");
}

struct Run {
    reports: BTreeMap<String, (Counts, Vec<PathBuf>, Vec<PathBuf>, u64)>,
    flickr_events: Vec<(&'static str, PathBuf)>,
    gphotos_events: Vec<(&'static str, PathBuf)>,
}

fn word(e: &SyncEvent) -> Option<(&'static str, PathBuf)> {
    match e {
        SyncEvent::NotTaken { path, .. } => Some(("not_taken", path.clone())),
        SyncEvent::Refused { path, .. } => Some(("refused", path.clone())),
        SyncEvent::RefusedBefore { path, .. } => Some(("refused_before", path.clone())),
        SyncEvent::Failed { path, .. } => Some(("failed", path.clone())),
        _ => None,
    }
}

fn run(
    lib: &Path,
    archive: &Path,
    catalog: &mut Catalog,
    flickr: &photosync::emulators::flickr::Emulator,
    google: &GooglePhotosEmulator,
) -> Run {
    let small = |mut accepts: photosync::engine::plan::Accepts| {
        accepts.max_photo_bytes = Some(LIMIT);
        accepts
    };
    let cancel = Cancel::new();
    let destinations = vec![
        Target::Archive(Archive::new(archive, ArchiveOptions::default(), &cancel)),
        Target::Flickr(
            Flickr::new(
                &client_for(flickr),
                photosync::destinations::flickr::sync::SyncOptions {
                    accepts: small(flickr_accepts()),
                    ..fast_options()
                },
                &cancel,
            )
            .expect("client"),
        ),
        Target::Gphotos(
            Gphotos::new(
                &gphotos_common::client(google),
                GphotosSyncOptions {
                    accepts: small(gphotos_accepts()),
                    ..GphotosSyncOptions::default()
                },
                &cancel,
            )
            .expect("client"),
        ),
    ];
    let events = Arc::new(Mutex::new((Vec::new(), Vec::new())));
    let sink = events.clone();
    let on_event = move |e: Event| {
        let mut seen = sink.lock().unwrap();
        match e {
            Event::Flickr(e) => seen.0.extend(word(&e)),
            Event::Gphotos(e) => seen.1.extend(word(&e)),
            _ => {}
        }
    };
    let multi = sync_all(
        lib,
        catalog,
        destinations,
        &Rules::default(),
        &cancel,
        &on_event,
    )
    .expect("scan");
    let paths = |list: &[(PathBuf, String)]| -> Vec<PathBuf> {
        list.iter()
            .map(|(p, _)| p.file_name().unwrap().into())
            .collect()
    };
    let mut reports = BTreeMap::new();
    for (name, outcome) in multi.outcomes {
        let entry = match outcome {
            Outcome::Archive(Ok(r)) => (r.counts, paths(&r.not_taken), paths(&r.refused), r.failed),
            Outcome::Flickr(Ok(r)) => (r.counts, paths(&r.not_taken), paths(&r.refused), r.failed),
            Outcome::Gphotos(Ok(r)) => (r.counts, paths(&r.not_taken), paths(&r.refused), r.failed),
            other => panic!("{name}: {other:?}"),
        };
        let name = if name.starts_with("archive:") {
            "archive".into()
        } else {
            name
        };
        reports.insert(name, entry);
    }
    let (flickr_events, gphotos_events) = std::mem::take(&mut *events.lock().unwrap());
    Run {
        reports,
        flickr_events,
        gphotos_events,
    }
}

fn names(list: &[&str]) -> Vec<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

#[test]
fn every_destination_tells_the_same_words_and_a_refusal_fails_only_its_own_run() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, archive) = (dir.path().join("library"), dir.path().join("drive"));
    library(&lib);
    std::fs::create_dir_all(&archive).unwrap();
    let flickr = emulator(EmulatorConfig::default());
    let google = GooglePhotosEmulator::start(GooglePhotosConfig::default()).unwrap();
    let mut catalog = Catalog::in_memory().unwrap();

    let first = run(&lib, &archive, &mut catalog, &flickr, &google);
    let counts = |done, duplicates, not_taken, refused| Counts {
        done,
        duplicates,
        not_taken,
        refused,
        ..Counts::default()
    };
    let (f, g, a) = (
        &first.reports["flickr"],
        &first.reports["gphotos"],
        &first.reports["archive"],
    );
    assert_eq!(f.0, counts(2, 1, 3, 1));
    assert_eq!(g.0, counts(3, 1, 2, 1));
    assert_eq!(a.0, counts(6, 1, 0, 0));
    assert_eq!(f.1, names(&["big.jpg", "odd.x3f", "raw.cr2"]));
    assert_eq!(g.1, names(&["big.jpg", "odd.x3f"]));
    assert_eq!(
        (f.2.clone(), g.2.clone()),
        (names(&["broken.jpg"]), names(&["broken.jpg"]))
    );
    // The refusal is news in the run that met it: the run failed.
    assert_eq!((f.3, g.3, a.3), (1, 1, 0));
    let words = |events: &[(&str, PathBuf)]| -> Vec<String> {
        let mut w: Vec<String> = events
            .iter()
            .map(|(w, p)| format!("{w} {}", p.file_name().unwrap().to_string_lossy()))
            .collect();
        w.sort();
        w
    };
    assert_eq!(
        words(&first.flickr_events),
        [
            "not_taken big.jpg",
            "not_taken odd.x3f",
            "not_taken raw.cr2",
            "refused broken.jpg"
        ]
    );
    assert_eq!(
        words(&first.gphotos_events),
        [
            "not_taken big.jpg",
            "not_taken odd.x3f",
            "refused broken.jpg"
        ]
    );
    assert_eq!(flickr.photos().len(), 2);
    assert_eq!(google.items().len(), 3);
    let refusals = catalog.all_refusals().unwrap();
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert!(refusals
        .iter()
        .any(|(b, _, m)| b.starts_with("gphotos:") && m.contains("BAD_IMAGE")));

    // Nothing is sent again; the refusals are still shown, and nothing fails.
    let second = run(&lib, &archive, &mut catalog, &flickr, &google);
    let (f, g, a) = (
        &second.reports["flickr"],
        &second.reports["gphotos"],
        &second.reports["archive"],
    );
    let again = |already_there, not_taken| Counts {
        already_there,
        duplicates: 1,
        not_taken,
        refused_before: u64::from(not_taken > 0),
        ..Counts::default()
    };
    assert_eq!(f.0, again(2, 3));
    assert_eq!(g.0, again(3, 2));
    assert_eq!(a.0, again(6, 0));
    assert_eq!(
        (f.2.clone(), g.2.clone()),
        (names(&["broken.jpg"]), names(&["broken.jpg"]))
    );
    assert_eq!((f.3, g.3, a.3), (0, 0, 0));
    assert_eq!(
        words(&second.gphotos_events),
        [
            "not_taken big.jpg",
            "not_taken odd.x3f",
            "refused_before broken.jpg"
        ]
    );
    assert_eq!((flickr.photos().len(), google.items().len()), (2, 3));
}
