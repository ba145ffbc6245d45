//! With a data folder the emulator's photos, albums and originals survive a restart.

mod emulator_common;

use emulator_common::{jpeg, md5_hex, xml_text, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

fn start(dir: &std::path::Path) -> Emulator {
    Emulator::start(EmulatorConfig {
        data_dir: Some(dir.to_path_buf()),
        ..EmulatorConfig::default()
    })
    .unwrap()
}

#[test]
fn photos_and_albums_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = jpeg("kept");
    let (id, key) = {
        let emu = start(dir.path());
        let client = Client::user(&emu);
        let id = xml_text(
            &client
                .upload(
                    "k.jpg",
                    &bytes,
                    &[("title", "kept"), ("tags", "checksum:md5=x")],
                )
                .body,
            "photoid",
        )
        .unwrap();
        client.call(
            "flickr.photosets.create",
            &[("title", "album"), ("primary_photo_id", &id)],
        );
        let key = emu.api_key();
        emu.stop();
        (id, key)
    };
    let emu = start(dir.path());
    assert_eq!(emu.api_key(), key, "credentials follow the seed");
    let photos = emu.photos();
    assert_eq!(photos.len(), 1);
    assert_eq!(
        (photos[0].id.as_str(), photos[0].title.as_str()),
        (id.as_str(), "kept")
    );
    assert_eq!(std::fs::read(&photos[0].original_path).unwrap(), bytes);
    assert_eq!(photos[0].md5, md5_hex(&bytes));
    let client = Client::user(&emu);
    let found = client.call(
        "flickr.photos.search",
        &[("user_id", "me"), ("machine_tags", "checksum:md5=x")],
    );
    assert_eq!(found["photos"]["total"], 1);
    assert_eq!(
        client.call("flickr.photosets.getList", &[])["photosets"]["total"],
        1
    );
    let next = xml_text(&client.upload("n.jpg", &jpeg("next"), &[]).body, "photoid").unwrap();
    assert_ne!(next, id);
}

#[test]
fn without_a_data_folder_the_files_go_away() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    Client::user(&emu).upload("t.jpg", &jpeg("temp"), &[]);
    let path = emu.photos()[0].original_path.clone();
    assert!(path.exists());
    emu.stop();
    assert!(!path.exists());
}

#[test]
fn a_corrupt_state_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("emulator.json"), "{not json").unwrap();
    let error = Emulator::start(EmulatorConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..EmulatorConfig::default()
    })
    .err()
    .expect("refused");
    assert!(error.to_string().contains("emulator.json"), "{error}");
}
