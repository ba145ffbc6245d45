//! The emulator's REST endpoint: OAuth checks with Flickr's error codes, JSON and XML answers,
//! the test and reflection methods, unknown methods.

mod emulator_common;

use emulator_common::{enc, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

#[test]
fn test_login_answers_the_user_in_json() {
    let emu = start();
    let answer = Client::user(&emu).call("flickr.test.login", &[]);
    assert_eq!(answer["stat"], "ok");
    assert_eq!(answer["user"]["id"], emu.user_nsid());
    assert_eq!(answer["user"]["username"]["_content"], "photosync");
}

#[test]
fn xml_is_the_default_format() {
    let emu = start();
    let reply = Client::user(&emu).rest(&[("method", "flickr.test.login")]);
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<rsp stat=\"ok\">"), "{}", reply.body);
    assert!(
        reply.body.contains("<username>photosync</username>"),
        "{}",
        reply.body
    );
}

#[test]
fn json_without_nojsoncallback_is_jsonp() {
    let emu = start();
    let reply = Client::user(&emu).rest(&[("method", "flickr.test.null"), ("format", "json")]);
    assert!(reply.body.starts_with("jsonFlickrApi({"), "{}", reply.body);
}

#[test]
fn echo_returns_the_parameters() {
    let emu = start();
    let answer = Client::app(&emu).call("flickr.test.echo", &[("foo", "bär baz")]);
    assert_eq!(answer["foo"]["_content"], "bär baz");
    assert_eq!(answer["method"]["_content"], "flickr.test.echo");
}

#[test]
fn reflection_lists_flickrs_methods() {
    let emu = start();
    let answer = Client::app(&emu).call("flickr.reflection.getMethods", &[]);
    let names: Vec<&str> = answer["methods"]["method"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["_content"].as_str().unwrap())
        .collect();
    assert!(names.len() > 200, "{}", names.len());
    for name in [
        "flickr.photos.search",
        "flickr.photosets.addPhoto",
        "flickr.photos.upload.checkTickets",
    ] {
        assert!(names.contains(&name), "{name}");
    }
}

#[test]
fn unknown_method_is_error_112() {
    let emu = start();
    let answer = Client::user(&emu).call("flickr.photos.fly", &[]);
    assert_eq!(answer["stat"], "fail");
    assert_eq!(answer["code"], 112);
    assert_eq!(answer["message"], "Method \"flickr.photos.fly\" not found");
}

#[test]
fn unsigned_api_key_call_works_for_public_methods() {
    let emu = start();
    let client = Client::app(&emu);
    let url = format!(
        "{}/services/rest/?method=flickr.test.echo&format=json&nojsoncallback=1&api_key={}",
        emu.endpoint(),
        emu.api_key()
    );
    assert_eq!(client.get(&url).json()["stat"], "ok");
    let url = url.replace(&emu.api_key(), "0000");
    assert_eq!(client.get(&url).json()["code"], 100);
}

#[test]
fn wrong_secret_is_invalid_signature_96() {
    let emu = start();
    let mut client = Client::user(&emu);
    client.secret = "not-the-secret".to_string();
    let answer = client.call("flickr.test.login", &[]);
    assert_eq!(
        (answer["stat"].as_str(), answer["code"].as_u64()),
        (Some("fail"), Some(96))
    );
}

#[test]
fn tampered_parameter_is_invalid_signature_96() {
    let emu = start();
    let client = Client::user(&emu);
    let url = format!("{}/services/rest/", emu.endpoint());
    let mut params = client.signed(
        "GET",
        &url,
        &[
            ("method", "flickr.test.echo"),
            ("format", "json"),
            ("nojsoncallback", "1"),
            ("a", "1"),
        ],
    );
    for (k, v) in params.iter_mut() {
        if k == "a" {
            *v = "2".to_string();
        }
    }
    let reply = client.get(&format!("{url}?{}", Client::query(&params)));
    assert_eq!(reply.json()["code"], 96);
}

#[test]
fn missing_signature_is_97() {
    let emu = start();
    let client = Client::user(&emu);
    let url = format!("{}/services/rest/", emu.endpoint());
    let mut params = client.signed(
        "GET",
        &url,
        &[
            ("method", "flickr.test.login"),
            ("format", "json"),
            ("nojsoncallback", "1"),
        ],
    );
    params.retain(|(k, _)| k != "oauth_signature");
    assert_eq!(
        client
            .get(&format!("{url}?{}", Client::query(&params)))
            .json()["code"],
        97
    );
}

#[test]
fn unknown_token_is_98_and_unknown_key_is_100() {
    let emu = start();
    let mut client = Client::user(&emu);
    client.token = Some((
        "72157000000000000-0000000000000000".to_string(),
        "x".to_string(),
    ));
    assert_eq!(client.call("flickr.test.login", &[])["code"], 98);
    let mut client = Client::user(&emu);
    client.key = "0123456789abcdef0123456789abcdef".to_string();
    assert_eq!(client.call("flickr.test.login", &[])["code"], 100);
}

#[test]
fn login_without_a_token_is_99() {
    let emu = start();
    assert_eq!(Client::app(&emu).call("flickr.test.login", &[])["code"], 99);
}

#[test]
fn a_replayed_request_is_refused() {
    let emu = start();
    let client = Client::user(&emu);
    let url = format!("{}/services/rest/", emu.endpoint());
    let params = client.signed(
        "GET",
        &url,
        &[
            ("method", "flickr.test.login"),
            ("format", "json"),
            ("nojsoncallback", "1"),
        ],
    );
    let full = format!("{url}?{}", Client::query(&params));
    assert_eq!(client.get(&full).json()["stat"], "ok");
    assert_eq!(client.get(&full).json()["code"], 96);
}

#[test]
fn post_with_form_body_and_authorization_header() {
    let emu = start();
    let client = Client::user(&emu);
    let url = format!("{}/services/rest/", emu.endpoint());
    let form = [
        ("method", "flickr.test.echo"),
        ("format", "json"),
        ("nojsoncallback", "1"),
        ("title", "Sommer & Sonne ☀"),
    ];
    let mut all: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let oauth = client.oauth_params();
    all.extend(oauth.clone());
    let sig = client.signature("POST", &url, &all);
    let mut header = oauth;
    header.push(("oauth_signature".to_string(), sig));
    let auth = format!(
        "OAuth realm=\"\", {}",
        header
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", enc(v)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    let reply = client
        .post_raw(
            &url,
            "application/x-www-form-urlencoded",
            Some(&auth),
            body.as_bytes(),
        )
        .unwrap();
    assert_eq!(reply.json()["title"]["_content"], "Sommer & Sonne ☀");
}

#[test]
fn unknown_format_is_111() {
    let emu = start();
    let reply = Client::user(&emu).rest(&[("method", "flickr.test.null"), ("format", "yaml")]);
    assert!(reply.body.contains("code=\"111\""), "{}", reply.body);
}

#[test]
fn same_seed_gives_same_credentials() {
    let a = start();
    let b = start();
    assert_eq!(a.api_key(), b.api_key());
    assert_eq!(a.access_token(), b.access_token());
    let c = Emulator::start(EmulatorConfig {
        seed: 2,
        ..EmulatorConfig::default()
    })
    .unwrap();
    assert_ne!(a.api_key(), c.api_key());
}

#[test]
fn call_counts_are_per_method() {
    let emu = start();
    let client = Client::user(&emu);
    client.call("flickr.test.null", &[]);
    client.call("flickr.test.null", &[]);
    client.call("flickr.test.login", &[]);
    let counts = emu.call_counts();
    assert_eq!(counts.get("flickr.test.null"), Some(&2));
    assert_eq!(counts.get("flickr.test.login"), Some(&1));
    emu.reset();
    assert!(emu.call_counts().is_empty());
}
