//! Upload and replace: multipart, signed fields, stored bytes and MD5, tags as Flickr parses
//! them, async tickets, refusals, getInfo, getSizes and downloading the original.

mod emulator_common;

use emulator_common::{jpeg, md5_hex, xml_text, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

#[test]
fn upload_stores_the_bytes_and_answers_the_photo_id() {
    let emu = start();
    let client = Client::user(&emu);
    let bytes = jpeg("one");
    let md5 = md5_hex(&bytes);
    let tags = format!("checksum:md5={md5} holiday \"San Francisco\"");
    let reply = client.upload(
        "Café 1.jpg",
        &bytes,
        &[
            ("title", "Grüße"),
            ("description", "<b>hi</b>"),
            ("tags", &tags),
            ("is_public", "0"),
            ("is_family", "1"),
        ],
    );
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<rsp stat=\"ok\">"), "{}", reply.body);
    let id = xml_text(&reply.body, "photoid").expect("photoid");
    let photos = emu.photos();
    assert_eq!(photos.len(), 1);
    let p = &photos[0];
    assert_eq!(p.id, id);
    assert_eq!(p.md5, md5);
    assert_eq!(p.title, "Grüße");
    assert_eq!(std::fs::read(&p.original_path).unwrap(), bytes);
    assert_eq!(
        p.tags,
        vec![
            format!("checksummd5{md5}"),
            "holiday".to_string(),
            "sanfrancisco".to_string()
        ]
    );
    assert_eq!(p.machine_tags, vec![format!("checksum:md5={md5}")]);
    assert!(!p.is_public && p.is_family && !p.is_friend);
    assert_eq!(emu.call_counts().get("upload"), Some(&1));
}

#[test]
fn get_info_shows_title_tags_dates_and_visibility() {
    let emu = start();
    let client = Client::user(&emu);
    let reply = client.upload(
        "x.jpg",
        &jpeg("info"),
        &[("title", "日本の夏"), ("tags", "checksum:md5=ABC")],
    );
    let id = xml_text(&reply.body, "photoid").unwrap();
    let info = client.call("flickr.photos.getInfo", &[("photo_id", &id)]);
    let photo = &info["photo"];
    assert_eq!(photo["id"], id.as_str());
    assert_eq!(photo["title"]["_content"], "日本の夏");
    let tag = &photo["tags"]["tag"][0];
    assert_eq!(tag["raw"], "checksum:md5=ABC");
    assert_eq!(tag["_content"], "checksummd5abc");
    assert_eq!(tag["machine_tag"], 1);
    assert_eq!(photo["visibility"]["ispublic"], 1);
    assert_eq!(photo["dates"]["takenunknown"], "1");
    assert_eq!(photo["originalformat"], "jpg");
}

#[test]
fn get_info_of_unknown_photo_is_error_1() {
    let emu = start();
    let answer = Client::user(&emu).call("flickr.photos.getInfo", &[("photo_id", "123")]);
    assert_eq!(answer["code"], 1);
    assert_eq!(answer["message"], "Photo \"123\" not found (invalid ID)");
}

#[test]
fn private_photos_are_hidden_from_calls_without_a_token() {
    let emu = start();
    let reply = Client::user(&emu).upload("p.jpg", &jpeg("private"), &[("is_public", "0")]);
    let id = xml_text(&reply.body, "photoid").unwrap();
    assert_eq!(
        Client::app(&emu).call("flickr.photos.getInfo", &[("photo_id", &id)])["code"],
        1
    );
}

#[test]
fn original_can_be_downloaded_from_get_sizes() {
    let emu = start();
    let client = Client::user(&emu);
    let bytes = jpeg("download me");
    let id = xml_text(&client.upload("d.jpg", &bytes, &[]).body, "photoid").unwrap();
    let sizes = client.call("flickr.photos.getSizes", &[("photo_id", &id)]);
    let original = sizes["sizes"]["size"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["label"] == "Original")
        .expect("Original size")
        .clone();
    let url = original["source"].as_str().unwrap();
    assert!(url.starts_with(&emu.endpoint()), "{url}");
    let mut resp = client.agent.get(url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.body_mut().read_to_vec().unwrap(), bytes);
}

#[test]
fn async_upload_answers_a_ticket_that_completes() {
    let emu = start();
    let client = Client::user(&emu);
    let reply = client.upload("a.jpg", &jpeg("async"), &[("async", "1")]);
    let ticket = xml_text(&reply.body, "ticketid").expect("ticketid");
    let first = client.call("flickr.photos.upload.checkTickets", &[("tickets", &ticket)]);
    assert_eq!(first["uploader"]["ticket"][0]["complete"], 0);
    let second = client.call(
        "flickr.photos.upload.checkTickets",
        &[("tickets", &format!("{ticket},999"))],
    );
    let done = &second["uploader"]["ticket"][0];
    assert_eq!(done["complete"], 1);
    assert_eq!(done["photoid"], emu.photos()[0].id.as_str());
    assert_eq!(second["uploader"]["ticket"][1]["invalid"], 1);
}

#[test]
fn replace_swaps_the_bytes_and_keeps_the_metadata() {
    let emu = start();
    let client = Client::user(&emu);
    let id = xml_text(
        &client
            .upload(
                "r.jpg",
                &jpeg("before"),
                &[("title", "keep me"), ("tags", "a b")],
            )
            .body,
        "photoid",
    )
    .unwrap();
    let after = jpeg("after");
    let reply = client
        .upload_to("/services/replace/", "r2.jpg", &after, &[("photo_id", &id)])
        .unwrap();
    assert!(
        reply.body.contains(&format!(">{id}</photoid>")),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("originalsecret="), "{}", reply.body);
    let p = &emu.photos()[0];
    assert_eq!(p.md5, md5_hex(&after));
    assert_eq!(p.title, "keep me");
    assert_eq!(std::fs::read(&p.original_path).unwrap(), after);
    assert_eq!(emu.call_counts().get("replace"), Some(&1));
}

#[test]
fn upload_refusals_use_the_upload_api_codes() {
    let emu = Emulator::start(EmulatorConfig {
        max_photo_bytes: 100,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = Client::user(&emu);
    let code = |reply: emulator_common::Reply| {
        reply
            .body
            .split("code=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_string)
    };
    assert_eq!(code(client.upload("e.jpg", b"", &[])).as_deref(), Some("4"));
    assert_eq!(
        code(client.upload("t.txt", b"hello, not an image", &[])).as_deref(),
        Some("5")
    );
    let cr2 = b"II*\x00\x10\x00\x00\x00CR\x02\x00 raw bytes".to_vec();
    assert_eq!(
        code(client.upload("x.cr2", &cr2, &[])).as_deref(),
        Some("5")
    );
    let big = jpeg(&"x".repeat(200));
    assert_eq!(
        code(client.upload("big.jpg", &big, &[])).as_deref(),
        Some("8")
    );
    assert!(emu.photos().is_empty());
}

#[test]
fn upload_needs_a_valid_signature_over_the_fields() {
    let emu = start();
    let mut client = Client::user(&emu);
    client.secret = "wrong".to_string();
    let reply = client.upload("s.jpg", &jpeg("sig"), &[("title", "t")]);
    assert!(reply.body.contains("code=\"96\""), "{}", reply.body);
    let client = Client::app(&emu);
    let reply = client.upload("s.jpg", &jpeg("sig"), &[("title", "t")]);
    assert!(reply.body.contains("code=\"99\""), "{}", reply.body);
    assert!(emu.photos().is_empty());
}

#[test]
fn exif_date_becomes_the_taken_date() {
    let emu = start();
    let client = Client::user(&emu);
    // A JPEG with an APP1 EXIF segment holding DateTimeOriginal 2019:05:12 14:30:15.
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\x00\x2a\x00\x00\x00\x08");
    // IFD0: one entry, ExifIFD pointer (0x8769) -> offset 26.
    tiff.extend_from_slice(&[
        0x00, 0x01, 0x87, 0x69, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 26, 0, 0, 0,
        0,
    ]);
    // Exif IFD at 26: one entry, DateTimeOriginal (0x9003) ASCII count 20 at offset 44.
    tiff.extend_from_slice(&[
        0x00, 0x01, 0x90, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 20, 0x00, 0x00, 0x00, 44, 0, 0, 0, 0,
    ]);
    tiff.extend_from_slice(b"2019:05:12 14:30:15\0");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1];
    bytes.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    bytes.extend_from_slice(&app1);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    let id = xml_text(&client.upload("exif.jpg", &bytes, &[]).body, "photoid").unwrap();
    let info = client.call("flickr.photos.getInfo", &[("photo_id", &id)]);
    assert_eq!(info["photo"]["dates"]["taken"], "2019-05-12 14:30:15");
    assert_eq!(info["photo"]["dates"]["takenunknown"], "0");
}
