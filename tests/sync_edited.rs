//! The image-data tag in the sync engine: an upload carries `checksum:imgmd5=`; a
//! photo whose metadata changed after upload updates its copy (date, checksum tag)
//! in four calls instead of a second upload, or replaces its file when asked; the
//! old script's uploads gain the tag once.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::destinations::flickr::sync::{SyncEvent, SyncOptions};
use photosync::emulators::flickr::EmulatorConfig;
use std::path::Path;
use sync_common::*;

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn an_edited_photo_updates_its_copy_in_four_calls_and_is_not_uploaded_again() {
    let emu = emulator(EmulatorConfig::default());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jpg");
    write(&path, &jpeg("first", b"pixels"));
    write(&dir.path().join("b.jpg"), &jpeg("other", b"other pixels"));
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!(report.uploaded, 2);
    let before = photos.iter().find(|p| p.path.ends_with("a.jpg")).unwrap();
    let img = before.imgmd5.clone().unwrap();
    let old_md5 = before.md5.clone().unwrap();
    let id = emu
        .photos()
        .iter()
        .find(|p| p.md5 == old_md5)
        .unwrap()
        .id
        .clone();
    let tags = |id: &str| {
        emu.photos()
            .into_iter()
            .find(|p| p.id == id)
            .unwrap()
            .machine_tags
    };
    assert!(tags(&id).contains(&format!("checksum:imgmd5={img}")));

    write(&path, &jpeg("second, longer", b"pixels"));
    let photos = scan(dir.path(), &mut catalog);
    let after = photos.iter().find(|p| p.path.ends_with("a.jpg")).unwrap();
    let new_md5 = after.md5.clone().unwrap();
    assert_ne!(new_md5, old_md5);
    assert_eq!(after.imgmd5.as_deref(), Some(img.as_str()));

    let before_calls = total_calls(&emu);
    let (report, events) = run(&photos, &mut catalog, &client, &fast_options());
    let report = report.unwrap();
    assert_eq!((report.uploaded, report.edited_updated), (0, 1));
    assert_eq!(report.edited_replaced, 0);
    assert!(events.iter().any(
        |e| matches!(e, SyncEvent::Edited { photo_id, replaced: false, .. } if *photo_id == id)
    ));
    // Login, one index page; then setDates, addTags, getInfo, removeTag.
    assert_eq!(
        total_calls(&emu) - before_calls,
        6,
        "{:?}",
        emu.call_counts()
    );
    let now = tags(&id);
    assert!(now.contains(&format!("checksum:md5={new_md5}")), "{now:?}");
    assert!(!now.contains(&format!("checksum:md5={old_md5}")), "{now:?}");
    let copy = emu.photos().into_iter().find(|p| p.id == id).unwrap();
    assert_eq!(
        copy.date_taken,
        after.taken.local.format("%Y-%m-%d %H:%M:%S").to_string()
    );
    assert_eq!(emu.photos().len(), 2);

    // Recorded: the next run does nothing more.
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!((report.uploaded, report.edited_updated), (0, 0));

    // With replace_edited, the file on Flickr becomes the edited one.
    write(&path, &jpeg("third, longer still", b"pixels"));
    let photos = scan(dir.path(), &mut catalog);
    let opts = SyncOptions {
        replace_edited: true,
        ..fast_options()
    };
    let report = run(&photos, &mut catalog, &client, &opts).0.unwrap();
    assert_eq!((report.uploaded, report.edited_replaced), (0, 1));
    let copy = emu.photos().into_iter().find(|p| p.id == id).unwrap();
    assert_eq!(
        std::fs::read(copy.original_path).unwrap(),
        std::fs::read(&path).unwrap()
    );
}

#[test]
fn the_old_scripts_uploads_gain_the_image_tag_once() {
    let emu = emulator(EmulatorConfig::instant_search());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    for (name, pixels) in [("a.jpg", &b"aaa"[..]), ("b.jpg", &b"bbb"[..])] {
        let path = dir.path().join(name);
        write(&path, &jpeg("old", pixels));
        upload_like_the_old_script(&client, &path);
    }
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!((report.uploaded, report.imgmd5_tagged), (0, 2));
    assert_eq!(emu.call_counts().get("flickr.photos.addTags"), Some(&2));
    for p in &photos {
        let remote = emu
            .photos()
            .into_iter()
            .find(|r| Some(&r.md5) == p.md5.as_ref())
            .unwrap();
        let tag = format!("checksum:imgmd5={}", p.imgmd5.as_deref().unwrap());
        assert!(remote.machine_tags.contains(&tag), "{remote:?}");
    }
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    assert_eq!(report.imgmd5_tagged, 0);
    assert_eq!(emu.call_counts().get("flickr.photos.addTags"), Some(&2));
}
