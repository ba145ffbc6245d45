//! The Rust Flickr client against the emulator: signed REST calls, streaming upload
//! and replace with the checksum machine tag, search by it, errors, and the OAuth flow.

mod sync_common;

use photosync::destinations::flickr::api::{
    Client, Credentials, Endpoints, FlickrError, Perms, UploadAnswer,
};
use photosync::emulators::flickr::{Emulator, EmulatorConfig, FaultKind};
use std::io::Write;
use sync_common::client_for;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/exif-samples/jpg")
        .join(name)
}

#[test]
fn signed_calls_upload_search_and_replace() {
    let emu = Emulator::start(EmulatorConfig::instant_search()).unwrap();
    let client = client_for(&emu);
    let rt = runtime();
    rt.block_on(async {
        let login = client.call("flickr.test.login", &[]).await.unwrap();
        assert_eq!(login["user"]["id"], emu.user_nsid());

        let path = fixture("Canon_40D.jpg");
        let md5 = photosync::library::hash::md5_file(&path).unwrap();
        let tag = format!("checksum:md5={md5}");
        let answer = client
            .upload(
                &path,
                &p(&[
                    ("title", "Château d'été – ünïcode"),
                    ("tags", &format!("{tag} \"family trip\"")),
                    ("is_public", "0"),
                    ("is_family", "1"),
                ]),
                false,
            )
            .await
            .unwrap();
        let UploadAnswer::PhotoId(id) = answer else {
            panic!("expected a photo id, got {answer:?}")
        };

        let found = client
            .call(
                "flickr.photos.search",
                &p(&[
                    ("user_id", "me"),
                    ("machine_tags", &tag),
                    ("extras", "machine_tags"),
                ]),
            )
            .await
            .unwrap();
        assert_eq!(found["photos"]["total"].to_string().trim_matches('"'), "1");
        assert_eq!(found["photos"]["photo"][0]["id"], id.as_str());

        let info = client
            .call("flickr.photos.getInfo", &p(&[("photo_id", &id)]))
            .await
            .unwrap();
        assert_eq!(
            info["photo"]["title"]["_content"],
            "Château d'été – ünïcode"
        );

        let other = fixture("Nikon_D70.jpg");
        let replaced = client
            .upload(&other, &p(&[("photo_id", &id)]), true)
            .await
            .unwrap();
        assert_eq!(replaced.id(), id);
    });
    let stored = emu.photos();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].md5,
        photosync::library::hash::md5_file(&fixture("Nikon_D70.jpg")).unwrap()
    );
    assert!(!stored[0].is_public && stored[0].is_family);
}

#[test]
fn flickr_failures_are_typed_and_not_retryable() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let rt = runtime();
    let mut creds = client_for(&emu).credentials();
    creds.access_secret = Some("wrong".into());
    let bad = Client::new(creds, Endpoints::under(&emu.endpoint())).unwrap();
    let err = rt.block_on(bad.call("flickr.test.login", &[])).unwrap_err();
    assert_eq!(err.code(), Some(96), "{err}");
    assert!(!err.is_retryable());

    let unknown = rt
        .block_on(client_for(&emu).call("flickr.no.such.method", &[]))
        .unwrap_err();
    assert_eq!(unknown.code(), Some(112), "{unknown}");
}

#[test]
fn transport_failures_are_retryable_and_outcome_unknown() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    emu.set_fault_kinds(&[FaultKind::DropBeforeAnswer]);
    emu.set_fault_rate(1.0);
    let err = runtime()
        .block_on(client_for(&emu).call("flickr.test.echo", &[]))
        .unwrap_err();
    assert!(matches!(err, FlickrError::Transport { .. }), "{err}");
    assert!(err.is_retryable() && err.outcome_unknown());

    emu.set_fault_kinds(&[FaultKind::Http503]);
    let err = runtime()
        .block_on(client_for(&emu).call("flickr.test.echo", &[]))
        .unwrap_err();
    assert!(err.is_retryable(), "{err}");
    assert!(!err.outcome_unknown());
}

#[test]
fn upload_of_a_missing_file_is_a_file_error() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let err = runtime()
        .block_on(client_for(&emu).upload(std::path::Path::new("/nonexistent.jpg"), &[], false))
        .unwrap_err();
    assert!(matches!(err, FlickrError::File { .. }), "{err}");
}

#[test]
fn oauth_flow_out_of_band() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::new(
        Credentials {
            api_key: emu.api_key(),
            shared_secret: emu.shared_secret(),
            access_token: None,
            access_secret: None,
        },
        Endpoints::under(&emu.endpoint()),
    )
    .unwrap();
    let rt = runtime();
    let (token, secret) = rt.block_on(client.request_token("oob")).unwrap();
    let url = client.authorize_url(&token, Perms::Write);
    assert!(url.starts_with(&format!("{}/services/oauth/authorize?", emu.endpoint())));
    // The user opens the page and reads the verifier (nnn-nnn-nnn) off it.
    let page = http_get(&url);
    let verifier = page
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .find(|w| w.len() == 11 && w.matches('-').count() == 2)
        .unwrap_or_else(|| panic!("no verifier on the page: {page}"))
        .to_string();
    let access = rt
        .block_on(client.access_token(&token, &secret, &verifier))
        .unwrap();
    assert_eq!(access.user_nsid, emu.user_nsid());
    let login = rt.block_on(client.call("flickr.test.login", &[])).unwrap();
    assert_eq!(login["user"]["id"], emu.user_nsid());
}

/// A plain GET, as a browser would do it.
fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut stream, &mut out).unwrap();
    out
}
