//! Helpers for the Google Photos emulator's tests: a reqwest client that does not follow
//! redirects, tokens through the emulator's own token endpoint, raw uploads and batchCreate.
#![allow(dead_code)]

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::gphotos::api::{Client, Config, Endpoints, NewItem, RetryPolicy};
use photosync::emulators::gphotos::{scopes, GooglePhotosConfig, GooglePhotosEmulator};
use photosync::library::photo::Photo;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub fn start(config: GooglePhotosConfig) -> GooglePhotosEmulator {
    GooglePhotosEmulator::start(config).expect("emulator starts")
}

/// photosync's own client for the emulator's app, retrying without long waits.
pub fn client(emu: &GooglePhotosEmulator) -> Arc<Client> {
    let config = Config {
        client_id: emu.client_id(),
        client_secret: emu.client_secret(),
        refresh_token: emu.refresh_token(&scopes::ALL),
        endpoints: Endpoints::under(&emu.endpoint()),
    };
    let policy = RetryPolicy {
        max_attempts: 6,
        rate_limit_wait: Duration::from_millis(10),
        backoff: Duration::from_millis(5),
    };
    Arc::new(Client::new(config, policy).expect("client"))
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

pub async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let r = request.send().await.expect("request answered");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.expect("body");
    Answer {
        status,
        headers,
        text,
    }
}

/// The form the token endpoint reads.
pub fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

pub async fn post_form(http: &reqwest::Client, url: &str, pairs: &[(&str, &str)]) -> Answer {
    answer(
        http.post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(pairs)),
    )
    .await
}

/// An access token for the app through a refresh token, as a client would get one.
pub async fn access_token(emu: &GooglePhotosEmulator, scopes: &[&str]) -> String {
    let refresh = emu.refresh_token(scopes);
    let a = post_form(
        &http(),
        &emu.token_url(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &emu.client_id()),
            ("client_secret", &emu.client_secret()),
        ],
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json()["access_token"]
        .as_str()
        .expect("token")
        .to_string()
}

pub async fn full_token(emu: &GooglePhotosEmulator) -> String {
    access_token(emu, &scopes::ALL).await
}

/// Bytes the emulator takes as a JPEG, distinct per `n`.
pub fn jpeg(n: usize) -> Vec<u8> {
    // A whole APP0 segment (16 bytes, as its length says), then data and the end marker.
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    bytes.extend(format!("photo number {n} ").repeat(20).bytes());
    bytes.extend([0xFF, 0xD9]);
    bytes
}

pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn raw_upload(
    emu: &GooglePhotosEmulator,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
) -> Answer {
    answer(
        http()
            .post(format!("{}/v1/uploads", emu.endpoint()))
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .header("x-goog-upload-content-type", "image/jpeg")
            .header("x-goog-upload-protocol", "raw")
            .header("x-goog-upload-file-name", name)
            .body(bytes),
    )
    .await
}

pub async fn upload_token(
    emu: &GooglePhotosEmulator,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
) -> String {
    let a = raw_upload(emu, token, bytes, name).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.text
}

pub async fn batch_create(emu: &GooglePhotosEmulator, token: &str, body: Value) -> Answer {
    answer(
        http()
            .post(format!("{}/v1/mediaItems:batchCreate", emu.endpoint()))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

/// `newMediaItems` for upload tokens, described `d<n>`.
pub fn new_items(tokens: &[String]) -> Value {
    let items: Vec<Value> = tokens
        .iter()
        .enumerate()
        .map(
            |(n, t)| json!({"description": format!("d{n}"), "simpleMediaItem": {"uploadToken": t}}),
        )
        .collect();
    json!({ "newMediaItems": items })
}

pub async fn get(emu: &GooglePhotosEmulator, token: &str, path: &str) -> Answer {
    answer(
        http()
            .get(format!("{}{path}", emu.endpoint()))
            .bearer_auth(token),
    )
    .await
}

pub async fn post_json(emu: &GooglePhotosEmulator, token: &str, path: &str, body: Value) -> Answer {
    answer(
        http()
            .post(format!("{}{path}", emu.endpoint()))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

/// Uploads the photos' bytes and journals the tokens as a run does; with `created`, also
/// sends the batchCreate whose answer the "crashed" run never recorded.
pub fn leave_tokens(client: &Client, catalog: &mut Catalog, photos: &[Photo], created: bool) {
    let client = &client.renewed().unwrap();
    let backend = photosync::destinations::gphotos::sync::backend_name(client);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let quiet = |_: u32, _: &photosync::destinations::gphotos::api::GphotosError| {};
    let cancel = Cancel::new();
    let mut items = Vec::new();
    for p in photos {
        let md5 = p.md5.clone().unwrap();
        let up = rt
            .block_on(client.upload(
                &p.path,
                p.size,
                "image/jpeg",
                "x.jpg",
                1 << 30,
                1 << 20,
                &cancel,
                &quiet,
            ))
            .unwrap();
        catalog
            .gphotos_token_record(&backend, &md5, &up.token, &p.path, client.server_now())
            .unwrap();
        items.push(NewItem {
            upload_token: up.token,
            file_name: "x.jpg".into(),
            description: photosync::destinations::gphotos::api::description_for(None, &md5),
        });
    }
    if created {
        let md5s: Vec<String> = photos.iter().map(|p| p.md5.clone().unwrap()).collect();
        catalog
            .gphotos_tokens_sent(&backend, &md5s, client.server_now())
            .unwrap();
        rt.block_on(client.batch_create(&items, None)).unwrap();
    }
}

/// Runs a Google Photos sync of `photos` as the engine does, without events.
pub fn sync(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &Client,
    opts: &photosync::destinations::gphotos::sync::GphotosSyncOptions,
) -> Result<
    photosync::destinations::gphotos::sync::GphotosReport,
    photosync::destinations::gphotos::sync::GphotosSyncError,
> {
    photosync::destinations::gphotos::sync::sync_gphotos(
        photos,
        catalog,
        client,
        opts,
        &Cancel::new(),
        &|_| {},
    )
}

/// Requests the emulator received for `method`.
pub fn calls(emu: &GooglePhotosEmulator, method: &str) -> u64 {
    emu.call_counts().get(method).copied().unwrap_or(0)
}

/// The emulator's albums as (title, items), by title.
pub fn album_sizes(emu: &GooglePhotosEmulator) -> Vec<(String, usize)> {
    let mut albums: Vec<(String, usize)> = emu
        .albums()
        .into_iter()
        .map(|a| (a.title, a.items.len()))
        .collect();
    albums.sort();
    albums
}

/// Sync options filing photos into one album per folder under `root`.
pub fn album_options(
    root: &std::path::Path,
) -> photosync::destinations::gphotos::sync::GphotosSyncOptions {
    photosync::destinations::gphotos::sync::GphotosSyncOptions {
        albums_root: Some(root.to_path_buf()),
        ..Default::default()
    }
}
