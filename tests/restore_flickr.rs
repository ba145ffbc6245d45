//! Restore from Flickr: a synced library comes back byte for byte, a second restore
//! downloads nothing, hostile titles land inside the folder under safe unique names,
//! bytes that differ from their tag are kept under a marked name, and `only_missing`
//! brings back just what a folder lost.

mod sync_common;

use photosync::cancel::Cancel;
use photosync::destinations::flickr::api::{Client, UploadAnswer};
use photosync::destinations::flickr::sync::Pacing;
use photosync::emulators::flickr::EmulatorConfig;
use photosync::restore::{self, RestoreEvent, RestoreOptions, RestoreReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use sync_common::*;

fn fast() -> RestoreOptions {
    RestoreOptions {
        pacing: Pacing {
            retry_delay: Duration::from_millis(5),
            budget_window: Duration::from_secs(10),
            ..Pacing::default()
        },
        ..RestoreOptions::default()
    }
}

fn restore_into(
    dest: &Path,
    w: &mut World,
    opts: &RestoreOptions,
) -> (RestoreReport, Vec<RestoreEvent>) {
    let events = std::sync::Mutex::new(Vec::new());
    let report = restore::restore_flickr(
        dest,
        &mut w.catalog,
        &w.client,
        opts,
        &Cancel::new(),
        &|e| events.lock().unwrap().push(e),
    )
    .unwrap();
    (report, events.into_inner().unwrap())
}

/// MD5 -> paths of every file under `dir`.
fn files_by_md5(dir: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in walk(dir) {
        let md5 = photosync::library::hash::md5_file(&entry).unwrap();
        out.entry(md5).or_default().push(entry);
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn upload_titled(client: &Client, path: &Path, title: &str, tag: bool) -> String {
    let md5 = photosync::library::hash::md5_file(path).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut params = vec![("title".to_string(), title.to_string())];
    if tag {
        params.push(("tags".to_string(), format!("checksum:md5={md5}")));
    }
    match rt.block_on(client.upload(path, &params, false)).unwrap() {
        UploadAnswer::PhotoId(id) => id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_synced_library_comes_back_byte_for_byte_and_a_second_restore_downloads_nothing() {
    let mut w = World::new(
        EmulatorConfig::instant_search(),
        &[("2019", "a", 5), ("2020/x", "b", 4)],
    );
    w.sync(&fast_options()).0.unwrap();
    let back = tempfile::tempdir().unwrap();

    let (report, events) = restore_into(back.path(), &mut w, &fast());
    assert_eq!(
        (report.downloaded, report.failed, report.mismatched),
        (9, 0, 0),
        "{:?}",
        report.errors
    );
    let restored = files_by_md5(back.path());
    assert_eq!(
        restored
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        local_md5s(&w.photos)
    );
    assert!(restored.values().all(|paths| paths.len() == 1));
    // Date layout from the taken date, names from the titles.
    let p = &restored[w.photos[0].md5.as_ref().unwrap()][0];
    let want = w.photos[0].taken.local.format("%Y/%m/%d").to_string();
    assert!(
        p.parent().unwrap().ends_with(&want),
        "{p:?} not under {want}"
    );
    assert_eq!(p.extension().unwrap(), "jpg");
    assert!(events
        .iter()
        .any(|e| matches!(e, RestoreEvent::Downloaded { verified: true, .. })));
    // The listing is one call for 9 photos (plus the login): no getSizes per photo.
    assert!(report.api_calls <= 3, "{} calls", report.api_calls);

    let (again, _) = restore_into(back.path(), &mut w, &fast());
    assert_eq!((again.downloaded, again.skipped), (0, 9));
}

#[test]
fn hostile_titles_land_inside_the_folder_under_safe_unique_names() {
    let mut w = World::new(EmulatorConfig::instant_search(), &[("", "h", 8)]);
    let titles = [
        "../../etc/x",
        "/etc/passwd",
        "a\0b\u{1b}[31mred",
        "CON",
        &"long ".repeat(200),
        "same",
        "same",
        "",
    ];
    let mut paths: Vec<PathBuf> = w.photos.iter().map(|p| p.path.clone()).collect();
    paths.sort();
    for (path, title) in paths.iter().zip(titles) {
        upload_titled(&w.client, path, title, true);
    }
    let back = tempfile::tempdir().unwrap();
    let (report, _) = restore_into(back.path(), &mut w, &fast());
    assert_eq!(report.downloaded, 8, "{:?}", report.errors);
    let files = walk(back.path());
    assert_eq!(files.len(), 8);
    let root = back.path().canonicalize().unwrap();
    for f in &files {
        let real = f.canonicalize().unwrap();
        assert!(real.starts_with(&root), "{real:?} escaped");
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.len() <= 200 && !name.chars().any(char::is_control),
            "{name:?}"
        );
        assert!(
            !name.starts_with('.') && !name.eq_ignore_ascii_case("con.jpg"),
            "{name:?}"
        );
    }
    let names: std::collections::BTreeSet<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains("same.jpg") && names.contains("same (2).jpg"),
        "{names:?}"
    );
    assert_eq!(files_by_md5(back.path()).len(), 8);
}

#[test]
fn bytes_that_differ_from_their_tag_are_kept_under_a_marked_name_and_untagged_photos_come_back_once(
) {
    let mut w = World::new(EmulatorConfig::instant_search(), &[("", "m", 3)]);
    w.sync(&fast_options()).0.unwrap();
    // Another tool's upload, without a tag.
    let other = tempfile::tempdir().unwrap();
    let untagged = write_photos(other.path(), "phone", 1).remove(0);
    upload_titled(&w.client, &untagged, "from the phone", false);
    // Flickr's copy of one photo changes under us.
    let victim = w
        .emu
        .photos()
        .into_iter()
        .find(|p| !p.md5.is_empty() && p.title.starts_with("m-"))
        .unwrap();
    std::fs::write(&victim.original_path, b"not the photo").unwrap();

    let back = tempfile::tempdir().unwrap();
    let (report, events) = restore_into(back.path(), &mut w, &fast());
    assert_eq!(
        (report.downloaded, report.mismatched, report.unverified),
        (3, 1, 1),
        "{:?}",
        report.errors
    );
    let marked: Vec<_> = walk(back.path())
        .into_iter()
        .filter(|p| {
            p.to_string_lossy()
                .contains(&format!("MISMATCH-{}", victim.id))
        })
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(events
        .iter()
        .any(|e| matches!(e, RestoreEvent::Mismatch { photo_id, .. } if *photo_id == victim.id)));

    let (again, _) = restore_into(back.path(), &mut w, &fast());
    // The untagged photo is known from the first restore; the mismatch is reported again.
    assert_eq!((again.downloaded, again.mismatched), (0, 1));
    let marked_now = walk(back.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("MISMATCH"))
        .count();
    assert_eq!(marked_now, 1, "the differing bytes are kept once");
}

#[test]
fn only_missing_restores_just_what_the_folder_lost() {
    let mut w = World::new(EmulatorConfig::instant_search(), &[("", "k", 6)]);
    w.sync(&fast_options()).0.unwrap();
    let lost: Vec<PathBuf> = w.photos.iter().take(2).map(|p| p.path.clone()).collect();
    for p in &lost {
        std::fs::remove_file(p).unwrap();
    }
    let back = tempfile::tempdir().unwrap();
    let opts = RestoreOptions {
        only_missing: Some(w.dir.path().to_path_buf()),
        ..fast()
    };
    let (report, _) = restore_into(back.path(), &mut w, &opts);
    assert_eq!((report.downloaded, report.skipped), (2, 4));
    let want: std::collections::BTreeSet<String> = w
        .photos
        .iter()
        .take(2)
        .filter_map(|p| p.md5.clone())
        .collect();
    let got: std::collections::BTreeSet<String> = files_by_md5(back.path()).into_keys().collect();
    assert_eq!(got, want);
}

#[test]
fn albums_become_folders_and_leftover_parts_are_removed() {
    let mut w = World::new(
        EmulatorConfig::instant_search(),
        &[("Rome", "r", 2), ("Paris", "p", 2)],
    );
    let opts = photosync::destinations::flickr::sync::SyncOptions {
        albums: photosync::destinations::flickr::sync::Albums::Folders {
            root: w.dir.path().to_path_buf(),
        },
        ..fast_options()
    };
    w.sync(&opts).0.unwrap();
    let back = tempfile::tempdir().unwrap();
    let stale = back.path().join(format!(".123{}", restore::PART_SUFFIX));
    std::fs::write(&stale, b"half").unwrap();
    let (report, _) = restore_into(
        back.path(),
        &mut w,
        &RestoreOptions {
            albums: true,
            ..fast()
        },
    );
    assert_eq!(report.downloaded, 4);
    assert!(!stale.exists());
    for album in ["Rome", "Paris"] {
        assert_eq!(walk(&back.path().join(album)).len(), 2, "{album}");
    }
}
