//! OAuth 1.0a signatures as RFC 5849 defines them (HMAC-SHA1 only, like Flickr): percent
//! encoding, the signature base string, the `Authorization: OAuth ...` header, and checking a
//! signature a client sent. Which tokens exist lives in `tokens.rs`.

use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX` (uppercase).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OAuthError {
    #[error("the Authorization header is not an OAuth header")]
    NotOAuth,
    #[error("the Authorization header has a malformed parameter: {0}")]
    Malformed(String),
    #[error("the HMAC key could not be built")]
    Key,
}

/// Percent-encodes `text` the way RFC 5849 section 3.6 requires.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// The base string URI: lowercase scheme and host, default port dropped, no query.
pub fn base_uri(scheme: &str, host: &str, path: &str) -> String {
    let scheme = scheme.to_ascii_lowercase();
    let mut host = host.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    if let Some(stripped) = host.strip_suffix(default_port) {
        host = stripped.to_string();
    }
    format!("{scheme}://{host}{path}")
}

/// The signature base string: method, base URI and the normalised parameters (every parameter
/// of the request except `oauth_signature` and `realm`, already decoded).
pub fn base_string(method: &str, uri: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature" && k != "realm")
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    encoded.sort();
    let joined = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode(uri),
        encode(&joined)
    )
}

/// HMAC-SHA1 of the base string with key `consumer_secret&token_secret`, base64-encoded.
pub fn sign(base: &str, consumer_secret: &str, token_secret: &str) -> Result<String, OAuthError> {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).map_err(|_| OAuthError::Key)?;
    mac.update(base.as_bytes());
    Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// The PLAINTEXT signature: the encoded secrets joined by `&`.
pub fn plaintext(consumer_secret: &str, token_secret: &str) -> String {
    format!("{}&{}", encode(consumer_secret), encode(token_secret))
}

/// Compares two signatures without stopping at the first difference.
pub fn same_signature(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Parses `OAuth realm="...", oauth_consumer_key="...", ...` into decoded pairs.
pub fn parse_authorization(header: &str) -> Result<Vec<(String, String)>, OAuthError> {
    let rest = header.trim();
    let rest = match rest.get(..6) {
        Some(scheme) if scheme.eq_ignore_ascii_case("oauth ") => &rest[6..],
        _ => return Err(OAuthError::NotOAuth),
    };
    let mut pairs = Vec::new();
    for part in rest.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| OAuthError::Malformed(part.to_string()))?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| OAuthError::Malformed(part.to_string()))
        };
        pairs.push((decode(name.trim())?, decode(value)?));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// RFC 5849 section 1.2's worked example (photos.example.net), HMAC-SHA1.
    #[test]
    fn matches_rfc5849_example() {
        let params = pairs(&[
            ("file", "vacation.jpg"),
            ("size", "original"),
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131202"),
            ("oauth_nonce", "chapoH"),
        ]);
        let uri = base_uri("http", "photos.example.net", "/photos");
        let base = base_string("GET", &uri, &params);
        let signature = sign(&base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00").unwrap();
        assert_eq!(signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
    }

    #[test]
    fn encodes_like_rfc3986() {
        assert_eq!(encode("a b+c~d*é"), "a%20b%2Bc~d%2A%C3%A9");
    }

    #[test]
    fn parses_authorization_header() {
        let parsed =
            parse_authorization(r#"OAuth realm="x", oauth_nonce="a%20b", oauth_version="1.0""#)
                .unwrap();
        assert_eq!(parsed[1], ("oauth_nonce".to_string(), "a b".to_string()));
        assert_eq!(parse_authorization("Basic abc"), Err(OAuthError::NotOAuth));
    }

    #[test]
    fn base_uri_drops_default_port() {
        assert_eq!(
            base_uri("HTTP", "Example.COM:80", "/r"),
            "http://example.com/r"
        );
        assert_eq!(
            base_uri("http", "127.0.0.1:8080", "/r"),
            "http://127.0.0.1:8080/r"
        );
    }
}
