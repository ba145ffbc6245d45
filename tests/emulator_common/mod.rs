//! A small, independent OAuth 1.0a client for the emulator tests: signs like RFC 5849 (written
//! here again, not taken from the emulator) and speaks HTTP with ureq.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use hmac::{Hmac, Mac};
use photosync::emulators::flickr::Emulator;
use serde_json::Value;

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

static NONCE: AtomicU64 = AtomicU64::new(0);

pub struct Client {
    pub base: String,
    pub key: String,
    pub secret: String,
    pub token: Option<(String, String)>,
    pub agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

impl Client {
    /// Signed as the emulator's pre-authorised user.
    pub fn user(emu: &Emulator) -> Client {
        Client {
            base: emu.endpoint(),
            key: emu.api_key(),
            secret: emu.shared_secret(),
            token: Some((emu.access_token(), emu.access_secret())),
            agent: agent(),
        }
    }

    /// Signed with the consumer key only.
    pub fn app(emu: &Emulator) -> Client {
        Client {
            token: None,
            ..Client::user(emu)
        }
    }

    pub fn oauth_params(&self) -> Vec<(String, String)> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let mut p = vec![
            ("oauth_consumer_key".to_string(), self.key.clone()),
            (
                "oauth_nonce".to_string(),
                format!("n{}x{now}", NONCE.fetch_add(1, Ordering::Relaxed)),
            ),
            (
                "oauth_signature_method".to_string(),
                "HMAC-SHA1".to_string(),
            ),
            ("oauth_timestamp".to_string(), now.to_string()),
            ("oauth_version".to_string(), "1.0".to_string()),
        ];
        if let Some((t, _)) = &self.token {
            p.push(("oauth_token".to_string(), t.clone()));
        }
        p
    }

    pub fn signature(&self, method: &str, url: &str, params: &[(String, String)]) -> String {
        let mut pairs: Vec<(String, String)> =
            params.iter().map(|(k, v)| (enc(k), enc(v))).collect();
        pairs.sort();
        let norm = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let base = format!("{method}&{}&{}", enc(url), enc(&norm));
        let token_secret = self.token.as_ref().map(|(_, s)| s.as_str()).unwrap_or("");
        let key = format!("{}&{}", enc(&self.secret), enc(token_secret));
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(base.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }

    /// All parameters, OAuth ones included, signed.
    pub fn signed(
        &self,
        method: &str,
        url: &str,
        params: &[(&str, &str)],
    ) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        all.extend(self.oauth_params());
        let sig = self.signature(method, url, &all);
        all.push(("oauth_signature".to_string(), sig));
        all
    }

    pub fn query(params: &[(String, String)]) -> String {
        params
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn get(&self, url: &str) -> Reply {
        let mut resp = self.agent.get(url).call().expect("GET");
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        Reply { status, body }
    }

    pub fn post_raw(
        &self,
        url: &str,
        content_type: &str,
        auth: Option<&str>,
        body: &[u8],
    ) -> Result<Reply, ureq::Error> {
        let mut req = self.agent.post(url).header("Content-Type", content_type);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let mut resp = req.send(body)?;
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        Ok(Reply { status, body })
    }

    /// A signed GET to /services/rest/ with the parameters in the query.
    pub fn rest(&self, params: &[(&str, &str)]) -> Reply {
        let url = format!("{}/services/rest/", self.base);
        let all = self.signed("GET", &url, params);
        self.get(&format!("{url}?{}", Client::query(&all)))
    }

    /// A signed JSON call; returns the parsed answer.
    pub fn call(&self, method: &str, params: &[(&str, &str)]) -> Value {
        let mut all = vec![
            ("method", method),
            ("format", "json"),
            ("nojsoncallback", "1"),
        ];
        all.extend_from_slice(params);
        self.rest(&all).json()
    }

    /// A signed multipart upload (or replace) with OAuth in the Authorization header.
    pub fn upload_to(
        &self,
        path: &str,
        file_name: &str,
        bytes: &[u8],
        params: &[(&str, &str)],
    ) -> Result<Reply, ureq::Error> {
        let url = format!("{}{path}", self.base);
        let mut all: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let oauth = self.oauth_params();
        all.extend(oauth.clone());
        let sig = self.signature("POST", &url, &all);
        let mut header_params = oauth;
        header_params.push(("oauth_signature".to_string(), sig));
        let auth = format!(
            "OAuth {}",
            header_params
                .iter()
                .map(|(k, v)| format!("{}=\"{}\"", enc(k), enc(v)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let boundary = "----photosyncTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        for (k, v) in params {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.post_raw(
            &url,
            &format!("multipart/form-data; boundary={boundary}"),
            Some(&auth),
            &body,
        )
    }

    pub fn upload(&self, file_name: &str, bytes: &[u8], params: &[(&str, &str)]) -> Reply {
        self.upload_to("/services/upload/", file_name, bytes, params)
            .expect("upload")
    }
}

/// A tiny valid JPEG head (SOI + APP0) followed by `salt` so each file has its own MD5.
pub fn jpeg(salt: &str) -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    bytes.extend_from_slice(salt.as_bytes());
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    format!("{:x}", md5::Md5::digest(bytes))
}

/// The text between `<tag>` and `</tag>` in an XML answer.
pub fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}"))?;
    let open_end = xml[start..].find('>')? + start + 1;
    let close = xml[open_end..].find(&format!("</{tag}>"))? + open_end;
    Some(xml[open_end..close].to_string())
}
