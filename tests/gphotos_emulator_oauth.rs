//! The Google Photos emulator's OAuth 2.0: the loopback authorization with PKCE S256 and state,
//! code exchange, refresh, expiry, revocation, and the scopes as checked since 2025.

mod gphotos_common;

use std::time::Duration;

use base64::Engine;
use gphotos_common::*;
use photosync::emulators::gphotos::{scopes, GooglePhotosConfig, GooglePhotosEmulator};
use sha2::{Digest, Sha256};

const REDIRECT: &str = "http://127.0.0.1:53682/";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-more-entropy";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

async fn authorize(emu: &GooglePhotosEmulator, scope: &str, redirect: &str) -> Answer {
    let url = reqwest::Url::parse_with_params(
        &emu.authorize_url(),
        &[
            ("client_id", emu.client_id().as_str()),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("scope", scope),
            ("state", "xyz-state"),
            ("code_challenge", &challenge(VERIFIER)),
            ("code_challenge_method", "S256"),
            ("access_type", "offline"),
        ],
    )
    .unwrap();
    answer(http().get(url)).await
}

fn redirect_params(a: &Answer) -> Vec<(String, String)> {
    assert_eq!(a.status, 302, "{}", a.text);
    let location = reqwest::Url::parse(&a.header("location").unwrap()).unwrap();
    assert_eq!(location.host_str(), Some("127.0.0.1"));
    location.query_pairs().into_owned().collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn exchange(emu: &GooglePhotosEmulator, code: &str, verifier: &str) -> Answer {
    post_form(
        &http(),
        &emu.token_url(),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", &emu.client_id()),
            ("client_secret", &emu.client_secret()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ],
    )
    .await
}

async fn refresh(emu: &GooglePhotosEmulator, token: &str) -> Answer {
    post_form(
        &http(),
        &emu.token_url(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            ("client_id", &emu.client_id()),
            ("client_secret", &emu.client_secret()),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn loopback_flow_with_pkce_gives_tokens_that_work_until_they_expire() {
    let emu = start(GooglePhotosConfig::default());
    let scope = scopes::ALL.join(" ");
    let pairs = redirect_params(&authorize(&emu, &scope, REDIRECT).await);
    assert_eq!(param(&pairs, "state"), Some("xyz-state"));
    let code = param(&pairs, "code").unwrap().to_string();

    let wrong = exchange(&emu, &code, &format!("{VERIFIER}x")).await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json()["error"], "invalid_grant");
    assert_eq!(wrong.json()["error_description"], "Invalid code verifier.");
    // A code is good once: after a wrong verifier it is spent.
    let again = exchange(&emu, &code, VERIFIER).await;
    assert_eq!(again.json()["error"], "invalid_grant");

    let code = param(
        &redirect_params(&authorize(&emu, &scope, REDIRECT).await),
        "code",
    )
    .unwrap()
    .to_string();
    let tokens = exchange(&emu, &code, VERIFIER).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    let t = tokens.json();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 3599);
    assert_eq!(t["scope"], scope.as_str());
    let access = t["access_token"].as_str().unwrap().to_string();
    let refresh_token = t["refresh_token"].as_str().unwrap().to_string();

    assert_eq!(get(&emu, &access, "/v1/mediaItems").await.status, 200);
    emu.advance_clock(Duration::from_secs(3600));
    let expired = get(&emu, &access, "/v1/mediaItems").await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json()["error"]["status"], "UNAUTHENTICATED");

    let renewed = refresh(&emu, &refresh_token).await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    assert!(renewed.json().get("refresh_token").is_none());
    let access = renewed.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(get(&emu, &access, "/v1/mediaItems").await.status, 200);
    assert_eq!(emu.call_counts()["oauth.authorize"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_verifier_a_wrong_redirect_and_a_bad_secret_are_refused() {
    let emu = start(GooglePhotosConfig::default());
    let scope = scopes::APPENDONLY;
    let code = |a: &Answer| param(&redirect_params(a), "code").unwrap().to_string();
    let c = code(&authorize(&emu, scope, REDIRECT).await);
    let missing = post_form(
        &http(),
        &emu.token_url(),
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("client_id", &emu.client_id()),
            ("client_secret", &emu.client_secret()),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(
        missing.json()["error_description"],
        "Missing code verifier."
    );

    let c = code(&authorize(&emu, scope, "http://127.0.0.1:9/other").await);
    assert_eq!(
        exchange(&emu, &c, VERIFIER).await.json()["error"],
        "redirect_uri_mismatch"
    );

    let bad = post_form(
        &http(),
        &emu.token_url(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", &emu.client_id()),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!(
        (bad.status, bad.json()["error"].clone()),
        (401, "invalid_client".into())
    );

    let oob = authorize(&emu, scope, "urn:ietf:wg:oauth:2.0:oob").await;
    assert_eq!(oob.status, 400);
    assert!(oob.text.contains("invalid_request"), "{}", oob.text);
    let elsewhere = authorize(&emu, scope, "https://example.com/cb").await;
    assert!(elsewhere.text.contains("redirect_uri_mismatch"));
}

#[tokio::test(flavor = "multi_thread")]
async fn removed_scopes_are_refused_and_old_tokens_holding_them_get_403() {
    let emu = start(GooglePhotosConfig::default());
    let pairs = redirect_params(&authorize(&emu, scopes::REMOVED[1], REDIRECT).await);
    assert_eq!(param(&pairs, "error"), Some("invalid_scope"));
    assert_eq!(param(&pairs, "state"), Some("xyz-state"));
    assert!(param(&pairs, "code").is_none());

    let old = access_token(&emu, &scopes::REMOVED).await;
    let listed = get(&emu, &old, "/v1/mediaItems").await;
    assert_eq!(listed.status, 403);
    assert_eq!(
        listed.json()["error"]["message"],
        "Request had insufficient authentication scopes."
    );
    assert_eq!(listed.json()["error"]["status"], "PERMISSION_DENIED");

    // appendonly uploads but does not read; readonly.appcreateddata reads but does not upload.
    let append = access_token(&emu, &[scopes::APPENDONLY]).await;
    assert_eq!(get(&emu, &append, "/v1/mediaItems").await.status, 403);
    let read = access_token(&emu, &[scopes::READONLY_APP]).await;
    let refused = raw_upload(&emu, &read, jpeg(1), "a.jpg").await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.json()["code"], 16);
    assert_eq!(
        refused.json()["message"],
        "Authentication session is not defined."
    );
    assert_eq!(
        raw_upload(&emu, &append, jpeg(1), "a.jpg").await.status,
        200
    );
    let shared = get(&emu, &read, "/v1/sharedAlbums").await;
    assert_eq!(shared.status, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_ends_refresh_and_access_tokens_with_invalid_grant() {
    let emu = start(GooglePhotosConfig::default());
    let refresh_token = emu.refresh_token(&scopes::ALL);
    let access = refresh(&emu, &refresh_token).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let revoked = post_form(&http(), &emu.revoke_url(), &[("token", &refresh_token)]).await;
    assert_eq!(revoked.status, 200);
    let after = refresh(&emu, &refresh_token).await;
    assert_eq!(after.status, 400);
    assert_eq!(after.json()["error"], "invalid_grant");
    assert_eq!(
        after.json()["error_description"],
        "Token has been expired or revoked."
    );
    assert_eq!(get(&emu, &access, "/v1/mediaItems").await.status, 401);
    let unknown = post_form(&http(), &emu.revoke_url(), &[("token", "nope")]).await;
    assert_eq!(unknown.json()["error"], "invalid_token");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_testing_project_loses_its_refresh_tokens_after_seven_days() {
    let emu = start(GooglePhotosConfig {
        testing: true,
        ..GooglePhotosConfig::default()
    });
    let token = emu.refresh_token(&scopes::ALL);
    emu.advance_clock(Duration::from_secs(6 * 86_400));
    assert_eq!(refresh(&emu, &token).await.status, 200);
    emu.advance_clock(Duration::from_secs(86_400));
    assert_eq!(refresh(&emu, &token).await.json()["error"], "invalid_grant");
}
