//! The client's own checks: secrets never shown, the authorize URL.

use super::*;

#[test]
fn secrets_are_masked_in_debug() {
    let c = Credentials {
        api_key: "abcdef123456".into(),
        shared_secret: "topsecret".into(),
        access_token: Some("72157-token".into()),
        access_secret: Some("tokensecret".into()),
    };
    let shown = format!("{c:?}");
    assert!(shown.contains("abcd…"));
    assert!(!shown.contains("topsecret") && !shown.contains("tokensecret"));
    assert!(!shown.contains("72157-token"));
}

#[test]
fn authorize_url_carries_token_and_perms() {
    let c = Client::new(
        Credentials {
            api_key: "k".into(),
            shared_secret: "s".into(),
            access_token: None,
            access_secret: None,
        },
        Endpoints::flickr(),
    )
    .unwrap();
    assert_eq!(
        c.authorize_url("72157-x", Perms::Write),
        "https://www.flickr.com/services/oauth/authorize?oauth_token=72157-x&perms=write"
    );
}
