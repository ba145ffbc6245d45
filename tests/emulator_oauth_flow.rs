//! The OAuth 1.0a flow: request token, authorize (callback and out-of-band), access token.

mod emulator_common;

use emulator_common::{enc, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

fn parse(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn request_token(client: &Client, callback: &str) -> (String, String) {
    let url = format!("{}/services/oauth/request_token", client.base);
    let params = client.signed("GET", &url, &[("oauth_callback", callback)]);
    let reply = client.get(&format!("{url}?{}", Client::query(&params)));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let pairs = parse(&reply.body);
    assert_eq!(field(&pairs, "oauth_callback_confirmed"), "true");
    (
        field(&pairs, "oauth_token"),
        field(&pairs, "oauth_token_secret"),
    )
}

fn access_token(
    client: &mut Client,
    token: (String, String),
    verifier: &str,
) -> (u16, Vec<(String, String)>) {
    client.token = Some(token);
    let url = format!("{}/services/oauth/access_token", client.base);
    let params = client.signed("GET", &url, &[("oauth_verifier", verifier)]);
    let reply = client.get(&format!("{url}?{}", Client::query(&params)));
    (reply.status, parse(&reply.body))
}

#[test]
fn out_of_band_flow_gives_a_working_token() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut client = Client::app(&emu);
    let token = request_token(&client, "oob");
    let page = client.get(&format!(
        "{}/services/oauth/authorize?oauth_token={}&perms=write",
        emu.endpoint(),
        enc(&token.0)
    ));
    let verifier = page
        .body
        .split("<span id=\"Main\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string();
    assert_eq!(verifier.len(), 11);
    assert_eq!(verifier.as_bytes()[3], b'-');
    let (status, pairs) = access_token(&mut client, token, &verifier);
    assert_eq!(status, 200);
    assert_eq!(field(&pairs, "user_nsid"), emu.user_nsid());
    assert_eq!(field(&pairs, "username"), "photosync");
    client.token = Some((
        field(&pairs, "oauth_token"),
        field(&pairs, "oauth_token_secret"),
    ));
    assert_eq!(client.call("flickr.test.login", &[])["stat"], "ok");
    let check = client.call(
        "flickr.auth.oauth.checkToken",
        &[("oauth_token", &field(&pairs, "oauth_token"))],
    );
    assert_eq!(check["oauth"]["perms"]["_content"], "write");
    // write perms cannot delete
    assert_eq!(
        client.call("flickr.photos.delete", &[("photo_id", "1")])["code"],
        99
    );
}

#[test]
fn callback_flow_redirects_with_the_verifier() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut client = Client::app(&emu);
    let token = request_token(&client, "http://localhost:9/cb?x=1");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let resp = agent
        .get(&format!(
            "{}/services/oauth/authorize?oauth_token={}&perms=delete",
            emu.endpoint(),
            enc(&token.0)
        ))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.starts_with("http://localhost:9/cb?x=1&oauth_token="),
        "{location}"
    );
    let verifier = location
        .split("oauth_verifier=")
        .nth(1)
        .unwrap()
        .to_string();
    let (bad_status, bad) = access_token(&mut client, token.clone(), "wrong");
    assert_eq!(
        (bad_status, field(&bad, "oauth_problem")),
        (401, "verifier_invalid".to_string())
    );
    let (status, pairs) = access_token(&mut client, token, &verifier);
    assert_eq!(status, 200);
    assert!(!field(&pairs, "oauth_token_secret").is_empty());
}

#[test]
fn bad_signature_on_request_token_is_401() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut client = Client::app(&emu);
    client.secret = "wrong".to_string();
    let url = format!("{}/services/oauth/request_token", emu.endpoint());
    let params = client.signed("GET", &url, &[("oauth_callback", "oob")]);
    let reply = client.get(&format!("{url}?{}", Client::query(&params)));
    assert_eq!(reply.status, 401);
    assert!(
        reply.body.starts_with("oauth_problem=signature_invalid"),
        "{}",
        reply.body
    );
}
