//! `--albums folders`: every photo lands in the album of its folder once, a full album
//! continues in "Title (2)", an album made by a run that was killed before recording
//! it is found again by title, and an album the user deleted is made again.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::{Albums, SyncEvent, SyncOptions};
use photosync::emulators::flickr::{AlbumRecord, Emulator, EmulatorConfig, FaultKind};
use std::collections::{BTreeMap, BTreeSet};
use sync_common::*;

fn album_options(w: &World) -> SyncOptions {
    SyncOptions {
        albums: Albums::Folders {
            root: w.dir.path().to_path_buf(),
        },
        ..fast_options()
    }
}

/// Album title -> the MD5s it holds, as the emulator has them.
fn albums_by_md5(emu: &Emulator) -> BTreeMap<String, Vec<String>> {
    let md5_of: BTreeMap<String, String> =
        emu.photos().into_iter().map(|p| (p.id, p.md5)).collect();
    emu.albums()
        .into_iter()
        .map(
            |AlbumRecord {
                 title, photo_ids, ..
             }| {
                (
                    title,
                    photo_ids.iter().map(|id| md5_of[id].clone()).collect(),
                )
            },
        )
        .collect()
}

#[test]
fn every_folder_becomes_an_album_and_a_second_run_adds_nothing() {
    let folders = [("2019/Rome", "r", 3), ("2020", "x", 2), ("", "top", 1)];
    let mut w = World::new(EmulatorConfig::default(), &folders);
    let opts = album_options(&w);

    let (report, events) = w.sync(&opts);
    let report = report.unwrap();
    assert_eq!(
        (report.uploaded, report.album_adds, report.albums_created),
        (6, 6, 3)
    );
    let albums = albums_by_md5(&w.emu);
    let root_name = w
        .dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut expected = vec!["2019/Rome".to_string(), "2020".to_string(), root_name];
    expected.sort();
    assert_eq!(albums.keys().cloned().collect::<Vec<_>>(), expected);
    assert_eq!(albums["2019/Rome"].len(), 3);
    let album_events = events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Album { .. }));
    assert_eq!(album_events.count(), 6);

    let before = w.emu.call_counts();
    let again = w.sync(&opts).0.unwrap();
    assert_eq!((again.uploaded, again.album_adds), (0, 0));
    let after = w.emu.call_counts();
    for method in [
        "flickr.photosets.addPhoto",
        "flickr.photosets.create",
        "flickr.photosets.getList",
    ] {
        assert_eq!(before.get(method), after.get(method), "{method}");
    }
}

#[test]
fn photos_already_on_flickr_join_their_albums_too() {
    let mut w = World::new(EmulatorConfig::default(), &[("old", "o", 3)]);
    // A first backup without albums, then albums switched on.
    w.sync(&fast_options()).0.unwrap();
    let report = w.sync(&album_options(&w)).0.unwrap();
    assert_eq!((report.uploaded, report.album_adds), (0, 3));
    assert_eq!(albums_by_md5(&w.emu)["old"].len(), 3);
}

#[test]
fn a_full_album_continues_in_the_next_part() {
    // Flickr says the album is full (error 10) before photosync thinks it is.
    let config = EmulatorConfig {
        max_per_set: 4,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("big", "b", 11)]);
    let opts = SyncOptions {
        max_per_album: 5,
        ..album_options(&w)
    };

    let report = w.sync(&opts).0.unwrap();
    assert_eq!(report.errors, vec![]);
    let albums = albums_by_md5(&w.emu);
    let sizes: Vec<(&str, usize)> = albums.iter().map(|(t, m)| (t.as_str(), m.len())).collect();
    assert_eq!(sizes, vec![("big", 4), ("big (2)", 4), ("big (3)", 3)]);
    let all: BTreeSet<_> = albums.values().flatten().cloned().collect();
    assert_eq!(all, local_md5s(&w.photos));
}

#[test]
fn albums_made_by_a_lost_run_are_found_and_deleted_ones_made_again() {
    let mut w = World::new(EmulatorConfig::instant_search(), &[("trip", "t", 3)]);
    let opts = album_options(&w);
    w.sync(&opts).0.unwrap();
    // The catalog is lost: the index finds the photos, getList finds the album.
    w.catalog = Catalog::in_memory().unwrap();
    w.rescan();
    let report = w.sync(&opts).0.unwrap();
    assert_eq!((report.uploaded, report.albums_created), (0, 0));
    assert_eq!(w.emu.albums().len(), 1);
    assert_eq!(w.emu.albums()[0].photo_ids.len(), 3);

    // The user deletes the album; a new photo in the folder makes it anew.
    let id = w.emu.albums()[0].id.clone();
    call(
        &w.client,
        "flickr.photosets.delete",
        &[("photoset_id", &id)],
    );
    write_photos(&w.dir.path().join("trip"), "new", 1);
    w.rescan();
    let report = w.sync(&opts).0.unwrap();
    assert_eq!(
        (report.uploaded, report.albums_created),
        (1, 1),
        "{:?}",
        report.errors
    );
    assert_eq!(w.emu.albums().len(), 1);
    assert_eq!(w.emu.albums()[0].photo_ids.len(), 1);
}

#[test]
fn albums_are_complete_through_faults() {
    let config = EmulatorConfig {
        seed: 7,
        calls_per_hour: 100_000,
        ..EmulatorConfig::default()
    };
    let mut w = World::new(config, &[("a", "a", 8), ("b", "b", 8), ("c", "c", 8)]);
    w.emu.set_fault_kinds(&FaultKind::ALL);
    w.emu.set_fault_rate(0.2);
    let opts = SyncOptions {
        max_attempts: 12,
        ..album_options(&w)
    };
    for _ in 0..5 {
        if w.sync(&opts).0.unwrap().errors.is_empty() {
            break;
        }
    }
    w.emu.set_fault_rate(0.0);
    w.sync(&opts).0.unwrap();
    let albums = albums_by_md5(&w.emu);
    assert_eq!(
        albums.keys().cloned().collect::<Vec<_>>(),
        vec!["a", "b", "c"]
    );
    for (title, md5s) in &albums {
        let unique: BTreeSet<_> = md5s.iter().collect();
        assert_eq!((md5s.len(), unique.len()), (8, 8), "{title}");
    }
    assert_each_exactly_once(&w.emu, &w.photos);
}

fn call(
    client: &photosync::destinations::flickr::api::Client,
    method: &str,
    params: &[(&str, &str)],
) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    rt.block_on(client.call(method, &params)).unwrap();
}
