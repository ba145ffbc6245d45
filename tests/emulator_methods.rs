//! The write methods and albums: delete, tags, setMeta, setPerms, photosets, upload status.

mod emulator_common;

use emulator_common::{jpeg, xml_text, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

fn upload(client: &Client, salt: &str, tags: &str) -> String {
    xml_text(
        &client.upload("f.jpg", &jpeg(salt), &[("tags", tags)]).body,
        "photoid",
    )
    .expect("photoid")
}

#[test]
fn delete_removes_the_photo_and_its_original() {
    let emu = start();
    let client = Client::user(&emu);
    let id = upload(&client, "del", "");
    let path = emu.photos()[0].original_path.clone();
    assert_eq!(
        client.call("flickr.photos.delete", &[("photo_id", &id)])["stat"],
        "ok"
    );
    assert!(emu.photos().is_empty());
    assert!(!path.exists());
    assert_eq!(
        client.call("flickr.photos.delete", &[("photo_id", &id)])["code"],
        1
    );
}

#[test]
fn tags_can_be_added_set_and_removed() {
    let emu = start();
    let client = Client::user(&emu);
    let id = upload(&client, "tags", "one");
    client.call(
        "flickr.photos.addTags",
        &[("photo_id", &id), ("tags", "two \"three four\" ONE")],
    );
    assert_eq!(emu.photos()[0].tags, vec!["one", "two", "threefour"]);
    let info = client.call("flickr.photos.getInfo", &[("photo_id", &id)]);
    let tag_id = info["photo"]["tags"]["tag"][1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        client.call("flickr.photos.removeTag", &[("tag_id", &tag_id)])["stat"],
        "ok"
    );
    assert_eq!(emu.photos()[0].tags, vec!["one", "threefour"]);
    client.call(
        "flickr.photos.setTags",
        &[("photo_id", &id), ("tags", "checksum:md5=abc")],
    );
    assert_eq!(emu.photos()[0].machine_tags, vec!["checksum:md5=abc"]);
}

#[test]
fn set_meta_and_set_perms() {
    let emu = start();
    let client = Client::user(&emu);
    let id = upload(&client, "meta", "");
    client.call(
        "flickr.photos.setMeta",
        &[
            ("photo_id", &id),
            ("title", "Ünïcödé"),
            ("description", "d"),
        ],
    );
    client.call(
        "flickr.photos.setPerms",
        &[
            ("photo_id", &id),
            ("is_public", "0"),
            ("is_friend", "1"),
            ("is_family", "1"),
        ],
    );
    let p = &emu.photos()[0];
    assert_eq!((p.title.as_str(), p.description.as_str()), ("Ünïcödé", "d"));
    assert!(!p.is_public && p.is_friend && p.is_family);
    assert_eq!(
        client.call("flickr.photos.setMeta", &[("photo_id", &id)])["code"],
        2
    );
}

#[test]
fn write_methods_need_write_perms() {
    let emu = start();
    let client = Client::user(&emu);
    let id = upload(&client, "perm", "");
    let app = Client::app(&emu);
    assert_eq!(
        app.call(
            "flickr.photos.setMeta",
            &[("photo_id", &id), ("title", "x")]
        )["code"],
        99
    );
}

#[test]
fn set_dates_checks_its_arguments() {
    let emu = start();
    let client = Client::user(&emu);
    let id = upload(&client, "dates", "");
    assert_eq!(
        client.call("flickr.photos.setDates", &[("photo_id", &id)])["code"],
        2
    );
    assert_eq!(
        client.call(
            "flickr.photos.setDates",
            &[("photo_id", &id), ("date_taken", "yesterday")]
        )["code"],
        5
    );
    let ok = client.call(
        "flickr.photos.setDates",
        &[
            ("photo_id", &id),
            ("date_taken", "2003-07-01 10:00:00"),
            ("date_taken_granularity", "0"),
        ],
    );
    assert_eq!(ok["stat"], "ok");
    assert_eq!(emu.photos()[0].date_taken, "2003-07-01 10:00:00");
}

#[test]
fn photosets_create_add_list_and_get_photos() {
    let emu = start();
    let client = Client::user(&emu);
    let a = upload(&client, "a", "");
    let b = upload(&client, "b", "");
    let created = client.call(
        "flickr.photosets.create",
        &[("title", "Ferien 2019"), ("primary_photo_id", &a)],
    );
    let set = created["photoset"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        client.call(
            "flickr.photosets.addPhoto",
            &[("photoset_id", &set), ("photo_id", &b)]
        )["stat"],
        "ok"
    );
    assert_eq!(
        client.call(
            "flickr.photosets.addPhoto",
            &[("photoset_id", &set), ("photo_id", &b)]
        )["code"],
        3
    );
    assert_eq!(
        client.call(
            "flickr.photosets.addPhoto",
            &[("photoset_id", "1"), ("photo_id", &b)]
        )["code"],
        1
    );
    let list = client.call("flickr.photosets.getList", &[]);
    assert_eq!(
        list["photosets"]["photoset"][0]["title"]["_content"],
        "Ferien 2019"
    );
    assert_eq!(list["photosets"]["photoset"][0]["photos"], 2);
    let photos = client.call(
        "flickr.photosets.getPhotos",
        &[("photoset_id", &set), ("extras", "date_upload")],
    );
    let ids: Vec<&str> = photos["photoset"]["photo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![a.as_str(), b.as_str()]);
    assert_eq!(photos["photoset"]["photo"][0]["isprimary"], "1");
    client.call("flickr.photos.delete", &[("photo_id", &a)]);
    let info = client.call("flickr.photosets.getInfo", &[("photoset_id", &set)]);
    assert_eq!(info["photoset"]["primary"], b.as_str());
}

#[test]
fn upload_status_reports_the_limits() {
    let emu = Emulator::start(EmulatorConfig {
        max_photo_bytes: 1234,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let answer = Client::user(&emu).call("flickr.people.getUploadStatus", &[]);
    assert_eq!(answer["user"]["filesize"]["maxbytes"], 1234);
    assert_eq!(answer["user"]["ispro"], 1);
}

#[test]
fn check_token_reports_the_perms() {
    let emu = start();
    let answer = Client::user(&emu).call(
        "flickr.auth.oauth.checkToken",
        &[("oauth_token", &emu.access_token())],
    );
    assert_eq!(answer["oauth"]["perms"]["_content"], "delete");
}
