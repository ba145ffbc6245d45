//! flickr.photos.search and people.getPhotos: machine tags with their wildcard forms, plain
//! tags, date ranges, extras, paging, the 500 per-page cap and the 4,000-result ceiling.

mod emulator_common;

use emulator_common::{jpeg, md5_hex, xml_text, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};
use serde_json::Value;

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::instant_search()).expect("emulator starts")
}

fn upload_with_checksum(client: &Client, salt: &str) -> (String, String) {
    let bytes = jpeg(salt);
    let md5 = md5_hex(&bytes);
    let reply = client.upload(
        &format!("{salt}.jpg"),
        &bytes,
        &[("tags", &format!("checksum:md5={md5} family"))],
    );
    (xml_text(&reply.body, "photoid").expect("photoid"), md5)
}

fn ids(answer: &Value) -> Vec<String> {
    answer["photos"]["photo"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn search(client: &Client, params: &[(&str, &str)]) -> Value {
    let mut all = vec![("user_id", "me")];
    all.extend_from_slice(params);
    client.call("flickr.photos.search", &all)
}

#[test]
fn finds_a_photo_by_its_checksum_machine_tag() {
    let emu = start();
    let client = Client::user(&emu);
    let (id, md5) = upload_with_checksum(&client, "a");
    upload_with_checksum(&client, "b");
    let answer = search(
        &client,
        &[
            ("machine_tags", &format!("checksum:md5={md5}")),
            ("extras", "machine_tags,tags"),
        ],
    );
    assert_eq!(ids(&answer), vec![id]);
    let photo = &answer["photos"]["photo"][0];
    assert_eq!(photo["machine_tags"], format!("checksum:md5={md5}"));
    assert_eq!(photo["tags"], format!("checksummd5{md5} family"));
    assert_eq!(answer["photos"]["total"], 1);
    // Flickr compares values in clean form: upper case finds it too.
    let upper = search(
        &client,
        &[(
            "machine_tags",
            &format!("checksum:md5={}", md5.to_uppercase()),
        )],
    );
    assert_eq!(upper["photos"]["total"], 1);
}

#[test]
fn wildcard_forms_find_every_checksummed_photo() {
    let emu = start();
    let client = Client::user(&emu);
    upload_with_checksum(&client, "a");
    upload_with_checksum(&client, "b");
    client.upload("plain.jpg", &jpeg("plain"), &[("tags", "other:thing=1")]);
    for query in ["checksum:", "checksum:md5=", "*:md5="] {
        assert_eq!(
            search(&client, &[("machine_tags", query)])["photos"]["total"],
            2,
            "{query}"
        );
    }
    assert_eq!(
        search(&client, &[("machine_tags", "checksum:sha1=")])["photos"]["total"],
        0
    );
    // "=*" is not one of Flickr's wildcard forms.
    assert_eq!(
        search(&client, &[("machine_tags", "checksum:md5=*")])["photos"]["total"],
        0
    );
    let any = search(
        &client,
        &[
            ("machine_tags", "checksum:,other:"),
            ("machine_tag_mode", "any"),
        ],
    );
    assert_eq!(any["photos"]["total"], 3);
    let all = search(
        &client,
        &[
            ("machine_tags", "checksum:,other:"),
            ("machine_tag_mode", "all"),
        ],
    );
    assert_eq!(all["photos"]["total"], 0);
}

#[test]
fn plain_tags_search_uses_clean_forms() {
    let emu = start();
    let client = Client::user(&emu);
    client.upload(
        "sf.jpg",
        &jpeg("sf"),
        &[("tags", "\"San Francisco\" bridge")],
    );
    client.upload("ny.jpg", &jpeg("ny"), &[("tags", "newyork bridge")]);
    assert_eq!(
        search(&client, &[("tags", "sanfrancisco")])["photos"]["total"],
        1
    );
    assert_eq!(search(&client, &[("tags", "bridge")])["photos"]["total"], 2);
    assert_eq!(
        search(&client, &[("tags", "bridge,-newyork")])["photos"]["total"],
        1
    );
    assert_eq!(
        search(&client, &[("tags", "bridge,newyork"), ("tag_mode", "all")])["photos"]["total"],
        1
    );
}

#[test]
fn upload_date_ranges_and_set_dates() {
    let emu = start();
    let client = Client::user(&emu);
    let (old, _) = upload_with_checksum(&client, "old");
    let (new, _) = upload_with_checksum(&client, "new");
    let set = client.call(
        "flickr.photos.setDates",
        &[
            ("photo_id", &old),
            ("date_posted", "1262304000"),
            ("date_taken", "2009-12-31 23:59:59"),
        ],
    );
    assert_eq!(set["stat"], "ok");
    assert_eq!(
        ids(&search(&client, &[("max_upload_date", "1300000000")])),
        vec![old.clone()]
    );
    assert_eq!(
        ids(&search(&client, &[("min_upload_date", "1300000000")])),
        vec![new.clone()]
    );
    assert_eq!(
        ids(&search(
            &client,
            &[("max_upload_date", "2011-01-01 00:00:00")]
        )),
        vec![old.clone()]
    );
    assert_eq!(
        ids(&search(&client, &[("max_taken_date", "2010-01-01")])),
        vec![old.clone()]
    );
    let answer = search(
        &client,
        &[
            ("extras", "date_upload,date_taken"),
            ("sort", "date-posted-asc"),
        ],
    );
    assert_eq!(ids(&answer), vec![old, new]);
    assert_eq!(answer["photos"]["photo"][0]["dateupload"], "1262304000");
    assert_eq!(
        answer["photos"]["photo"][0]["datetaken"],
        "2009-12-31 23:59:59"
    );
}

#[test]
fn parameterless_search_is_refused() {
    let emu = start();
    let answer = Client::user(&emu).call("flickr.photos.search", &[]);
    assert_eq!(answer["code"], 3);
}

#[test]
fn paging_and_the_500_per_page_cap() {
    let emu = start();
    let client = Client::user(&emu);
    for i in 0..7 {
        upload_with_checksum(&client, &format!("p{i}"));
    }
    let page = |page: &str, per_page: &str| {
        search(
            &client,
            &[
                ("page", page),
                ("per_page", per_page),
                ("sort", "date-posted-asc"),
            ],
        )
    };
    let first = page("1", "3");
    assert_eq!(
        (
            first["photos"]["pages"].as_u64(),
            first["photos"]["total"].as_u64()
        ),
        (Some(3), Some(7))
    );
    let mut seen = Vec::new();
    for p in ["1", "2", "3"] {
        seen.extend(ids(&page(p, "3")));
    }
    seen.dedup();
    assert_eq!(seen.len(), 7);
    assert!(ids(&page("4", "3")).is_empty());
    assert_eq!(page("1", "9999")["photos"]["perpage"], 500);
    assert_eq!(page("1", "0")["photos"]["perpage"], 100);
}

#[test]
fn people_get_photos_lists_the_users_photos() {
    let emu = start();
    let client = Client::user(&emu);
    upload_with_checksum(&client, "a");
    let answer = client.call(
        "flickr.people.getPhotos",
        &[("user_id", "me"), ("extras", "machine_tags")],
    );
    assert_eq!(answer["photos"]["total"], 1);
    assert_eq!(
        client.call("flickr.people.getPhotos", &[("user_id", "1@N01")])["code"],
        2
    );
}

#[test]
fn xml_search_answer_has_flickrs_shape() {
    let emu = start();
    let client = Client::user(&emu);
    let (id, _) = upload_with_checksum(&client, "xml");
    let reply = client.rest(&[
        ("method", "flickr.photos.search"),
        ("user_id", "me"),
        ("tags", "family"),
    ]);
    assert!(
        reply
            .body
            .contains("<photos page=\"1\" pages=\"1\" perpage=\"100\" total=\"1\">"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains(&format!("<photo id=\"{id}\" owner=\"{}\"", emu.user_nsid())),
        "{}",
        reply.body
    );
}

/// Flickr returns at most the first 4,000 results of a query: past them, pages repeat.
#[test]
fn results_past_4000_are_not_reachable() {
    let emu = Emulator::start(EmulatorConfig {
        calls_per_hour: 100_000,
        ..EmulatorConfig::instant_search()
    })
    .unwrap();
    let client = Client::user(&emu);
    for i in 0..4010 {
        let reply = client.upload("n.jpg", &jpeg(&format!("n{i}")), &[("tags", "bulk")]);
        assert_eq!(reply.status, 200);
    }
    let page = |p: &str| {
        search(
            &client,
            &[("tags", "bulk"), ("per_page", "500"), ("page", p)],
        )
    };
    let eighth = page("8");
    let ninth = page("9");
    assert_eq!(ninth["photos"]["total"], 4010);
    assert_eq!(ninth["photos"]["pages"], 9);
    assert_eq!(ids(&ninth), ids(&eighth));
    let mut all: Vec<String> = (1..=9).flat_map(|p| ids(&page(&p.to_string()))).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4000);
}
