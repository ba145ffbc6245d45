//! Requests shaped exactly as the Ruby flickraw gem sends them (its OAuthClient): form POSTs
//! with an `Authorization: OAuth realm="<url>", ...` header, `oauth_token=""` on calls without a
//! user, base64 nonces, `multipart/form-data, boundary=...` (a comma) without a final CRLF, and
//! XML upload answers it reads with regular expressions.

mod emulator_common;

use std::sync::atomic::{AtomicU64, Ordering};

use emulator_common::{enc, jpeg, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

static N: AtomicU64 = AtomicU64::new(0);

/// flickraw's `post`: signs `params` (all but files) plus the OAuth parameters.
fn flickraw_auth(client: &Client, url: &str, token: &str, params: &[(&str, &str)]) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let nonce = format!("q+7/Zz{}abc=", N.fetch_add(1, Ordering::Relaxed));
    let mut oauth: Vec<(String, String)> = vec![
        ("oauth_version".into(), "1.0".into()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_nonce".into(), nonce),
        ("oauth_timestamp".into(), now.to_string()),
        ("oauth_consumer_key".into(), client.key.clone()),
        ("oauth_token".into(), token.to_string()),
    ];
    let mut signed: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    signed.extend(oauth.clone());
    oauth.push((
        "oauth_signature".into(),
        client.signature("POST", url, &signed),
    ));
    let mut pairs: Vec<String> = oauth
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", enc(k), enc(v)))
        .collect();
    pairs.sort();
    format!("OAuth realm=\"{url}\", {}", pairs.join(", "))
}

#[test]
fn reflection_without_a_user_has_an_empty_oauth_token() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::app(&emu);
    let url = format!("{}/services/rest/", emu.endpoint());
    let form = [
        ("method", "flickr.reflection.getMethods"),
        ("format", "json"),
        ("nojsoncallback", "1"),
    ];
    let auth = flickraw_auth(&client, &url, "", &form);
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
    assert_eq!(reply.json()["stat"], "ok", "{}", reply.body);
}

fn flickraw_multipart(
    client: &Client,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    photo: &[u8],
) -> String {
    let url = format!("{}{path}", client.base);
    let auth = flickraw_auth(client, &url, token, fields);
    let boundary = "FlickRawq+7/Zzabc=";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"Äpfel.jpg\"\r\nContent-Transfer-Encoding: binary\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    let reply = client
        .post_raw(
            &url,
            &format!("multipart/form-data, boundary={boundary}"),
            Some(&auth),
            &body,
        )
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

#[test]
fn upload_and_replace_as_flickraw_sends_them() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::user(&emu);
    let token = emu.access_token();
    let fields = [
        ("title", "Äpfel"),
        ("tags", "checksum:md5=0123 äpfel"),
        ("is_public", "0"),
        ("format", "json"),
        ("nojsoncallback", "1"),
    ];
    let body = flickraw_multipart(
        &client,
        "/services/upload/",
        &token,
        &fields,
        &jpeg("flickraw"),
    );
    assert!(body.starts_with("<?xml "), "{body}");
    assert!(body.contains("stat=\"ok\""), "{body}");
    let id = emu.photos()[0].id.clone();
    assert!(body.contains(&format!("<photoid>{id}</photoid>")), "{body}");
    assert_eq!(emu.photos()[0].title, "Äpfel");
    let fields = [
        ("photo_id", id.as_str()),
        ("format", "json"),
        ("nojsoncallback", "1"),
    ];
    let body = flickraw_multipart(
        &client,
        "/services/replace/",
        &token,
        &fields,
        &jpeg("replaced"),
    );
    // flickraw reads `secret="..."` with the first match: Flickr's attribute order matters.
    let photoid = body.split("<photoid ").nth(1).unwrap();
    assert!(photoid.starts_with("secret=\""), "{body}");
    assert!(photoid.contains(" originalsecret=\""), "{body}");
}
