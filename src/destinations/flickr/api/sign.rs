//! OAuth 1.0a (HMAC-SHA1) signing of a request's parameters, through oauth1-request.
//! The result is a form body holding the request's own parameters and the
//! `oauth_*` ones, which serves both form POSTs and multipart uploads.

use oauth1_request as oauth;
use std::num::NonZeroU64;

/// What is signed besides the parameters.
#[derive(Debug, Default, Clone, Copy)]
pub struct Signing<'a> {
    pub http_method: &'a str,
    pub url: &'a str,
    pub token: Option<(&'a str, &'a str)>,
    pub callback: Option<&'a str>,
    pub verifier: Option<&'a str>,
    /// Fixed nonce and timestamp, for tests; otherwise fresh ones.
    pub nonce_timestamp: Option<(&'a str, u64)>,
}

/// The x-www-form-urlencoded body: the parameters, then the OAuth ones with the signature, for `client` = (key, secret).
pub fn form(client: (&str, &str), s: &Signing, params: &[(String, String)]) -> String {
    let mut builder = oauth::Builder::new(
        oauth::Credentials::new(client.0, client.1),
        oauth::HMAC_SHA1,
    );
    if let Some((t, secret)) = s.token {
        builder.token(oauth::Credentials::new(t, secret));
    }
    builder.callback(s.callback).verifier(s.verifier);
    if let Some((nonce, ts)) = s.nonce_timestamp {
        builder.nonce(nonce).timestamp(NonZeroU64::new(ts));
    }
    let list = oauth::ParameterList::new(params.to_vec());
    // oauth1-request signs every parameter but writes only the oauth_* ones.
    let oauth_part = builder.to_form(s.http_method, s.url, &list);
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.extend_pairs(params);
    let own = body.finish();
    if own.is_empty() {
        oauth_part
    } else {
        format!("{own}&{oauth_part}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5849 section 1.2: the printer's signed request for the vacation photo.
    #[test]
    fn matches_the_worked_example_of_rfc_5849() {
        let params = vec![
            ("file".to_string(), "vacation.jpg".to_string()),
            ("size".to_string(), "original".to_string()),
        ];
        let body = form(
            ("dpf43f3p2l4k3l03", "kd94hf93k423kf44"),
            &Signing {
                http_method: "GET",
                url: "http://photos.example.net/photos",
                token: Some(("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")),
                nonce_timestamp: Some(("chapoH", 137131202)),
                ..Default::default()
            },
            &params,
        );
        assert!(
            body.contains("oauth_signature=MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"),
            "{body}"
        );
        assert!(body.contains("file=vacation.jpg"), "{body}");
        assert!(body.contains("oauth_token=nnch734d00sl2jdk"));
    }

    #[test]
    fn no_token_means_no_oauth_token_parameter() {
        let body = form(
            ("key", "secret"),
            &Signing {
                http_method: "POST",
                url: "http://127.0.0.1/services/oauth/request_token",
                callback: Some("oob"),
                ..Default::default()
            },
            &[],
        );
        assert!(!body.contains("oauth_token="), "{body}");
        assert!(body.contains("oauth_callback=oob"));
    }
}
