//! A local Google Photos Library API (as of 2025) for tests, benchmarks and demos: OAuth 2.0
//! for installed apps (loopback redirect, PKCE, refresh, revocation), the three remaining
//! scopes, raw and resumable uploads, `mediaItems:batchCreate` and the app-created-only
//! listings, albums, Google's error bodies, a per-project daily quota, and seeded latency and
//! faults; by default as harshly as the real service fails (whole calls refused for a bad
//! upload token, BAD_IMAGE, other apps' items, quota wordings, Testing logins: docs/emulators.md).
//! Built on the Flickr emulator's hosting, connection dropping and fault draw.
//!
//! ```no_run
//! use photosync::emulators::gphotos::{GooglePhotosConfig, GooglePhotosEmulator};
//! let emu = GooglePhotosEmulator::start(GooglePhotosConfig::default()).unwrap();
//! let refresh = emu.refresh_token(&photosync::emulators::gphotos::scopes::ALL);
//! println!("{} {} {refresh}", emu.token_url(), emu.client_id());
//! emu.stop();
//! ```

// Handlers refuse with the very answer they send (`Err(Response)`); boxing it on these cold
// paths would only add noise.
#![allow(clippy::result_large_err)]

mod albums;
mod batch_create;
mod blobs;
mod config;
mod download;
mod faults;
mod foreign;
mod formats;
mod gate;
mod media_items;
mod oauth;
mod paging;
mod quota;
mod reply;
pub mod scopes;
mod search;
mod state;
mod uploads;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

pub use config::{
    AlbumRecord, BadToken, GooglePhotosConfig, GooglePhotosEmulatorError, ItemRecord,
};
pub use faults::FaultKind;
pub use foreign::{ForeignError, OTHER_APP};

use crate::emulators::flickr::faults::{check_rate, Faults};
use crate::emulators::flickr::host::{self, Host};
use crate::emulators::flickr::server::lock;
use state::{Limits, Shared, State, TESTING_REFRESH_TTL};

pub struct GooglePhotosEmulator {
    shared: Arc<Shared>,
    port: u16,
    host: Option<Host>,
}

fn temp_folder() -> PathBuf {
    static NEXT: Mutex<u32> = Mutex::new(0);
    let n = {
        let mut next = lock(&NEXT);
        *next += 1;
        *next
    };
    std::env::temp_dir().join(format!("photosync-gphotos-{}-{n}", std::process::id()))
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/o/oauth2/auth", get(oauth::authorize))
        .route("/o/oauth2/v2/auth", get(oauth::authorize))
        .route("/token", post(oauth::token))
        .route("/revoke", post(oauth::revoke))
        .route("/v1/uploads", post(uploads::handle))
        .route("/v1/mediaItems", get(media_items::list))
        .route(
            "/v1/mediaItems:batchCreate",
            post(batch_create::batch_create),
        )
        .route("/v1/mediaItems:batchGet", get(media_items::batch_get))
        .route("/v1/mediaItems:search", post(search::search))
        .route("/v1/mediaItems/{id}", get(media_items::get))
        .route("/v1/albums", get(albums::list).post(albums::create))
        .route("/v1/albums/{rest}", get(albums::one).post(albums::one))
        .route("/v1/sharedAlbums", get(albums::shared_albums))
        .route("/lh/{id}/{rest}", get(download::download))
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response_with_state(
            shared.clone(),
            stamp_date,
        ))
        .with_state(shared)
}

/// Every answer carries the emulator's own clock in `Date`, as Google's carry theirs: a
/// client tells the quota day from it, and `advance_clock` moves it.
async fn stamp_date(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    mut response: axum::response::Response,
) -> axum::response::Response {
    let date = chrono::DateTime::from_timestamp(shared.now(), 0)
        .map(|d| d.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
    if let Some(v) = date.and_then(|d| axum::http::HeaderValue::from_str(&d).ok()) {
        response.headers_mut().insert(axum::http::header::DATE, v);
    }
    response
}

impl GooglePhotosEmulator {
    pub fn start(config: GooglePhotosConfig) -> Result<Self, GooglePhotosEmulatorError> {
        check_rate(config.fault_rate)?;
        if !(0.0..=1.0).contains(&config.page_repeat_rate) {
            return Err(GooglePhotosEmulatorError::PageRepeat(
                config.page_repeat_rate,
            ));
        }
        if config.chunk_granularity == 0 {
            return Err(GooglePhotosEmulatorError::Granularity);
        }
        let blobs = temp_folder();
        std::fs::create_dir_all(&blobs).map_err(|source| GooglePhotosEmulatorError::Folder {
            path: blobs.clone(),
            source,
        })?;
        let bound = host::bind(config.port)?;
        let port = bound.port;
        let shared = Arc::new(Shared {
            endpoint: format!("http://127.0.0.1:{port}"),
            state: Mutex::new(State::new(
                config.seed,
                config.daily_quota,
                config.page_repeat_rate,
            )),
            faults: Mutex::new(Faults::with_kinds(
                config.seed,
                config.latency,
                config.fault_rate,
                FaultKind::ALL.to_vec(),
            )),
            counts: Mutex::new(BTreeMap::new()),
            writing: AtomicBool::new(false),
            clock_offset: AtomicI64::new(0),
            blobs: blobs.clone(),
            limits: Limits {
                max_photo_bytes: config.max_photo_bytes,
                max_video_bytes: config.max_video_bytes,
                max_album_items: config.max_album_items,
                chunk_granularity: config.chunk_granularity,
                refresh_ttl: config.testing.then_some(TESTING_REFRESH_TTL),
                bad_token: config.bad_token,
            },
        });
        let host = Host::serve(
            bound,
            "photosync-gphotos",
            router(shared.clone()),
            |_| async {},
            move || {
                let _ = std::fs::remove_dir_all(blobs);
            },
        )?;
        Ok(GooglePhotosEmulator {
            shared,
            port,
            host: Some(host),
        })
    }

    /// `http://127.0.0.1:PORT`: the API (`/v1/...`), OAuth and downloads all live under it.
    pub fn endpoint(&self) -> String {
        self.shared.endpoint.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn authorize_url(&self) -> String {
        format!("{}/o/oauth2/auth", self.shared.endpoint)
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.shared.endpoint)
    }

    pub fn revoke_url(&self) -> String {
        format!("{}/revoke", self.shared.endpoint)
    }

    /// The app's OAuth client (its project has the quota).
    pub fn client_id(&self) -> String {
        lock(&self.shared.state).clients[0].id.clone()
    }

    pub fn client_secret(&self) -> String {
        lock(&self.shared.state).clients[0].secret.clone()
    }

    /// A second app (another project) on the same user's library.
    pub fn other_client(&self) -> (String, String) {
        let state = lock(&self.shared.state);
        (state.clients[1].id.clone(), state.clients[1].secret.clone())
    }

    /// A refresh token for the app, as a finished consent with `scopes` would give (any scopes,
    /// removed ones included, to stand for tokens granted before 2025).
    pub fn refresh_token(&self, scopes: &[&str]) -> String {
        self.refresh_token_for(&self.client_id(), scopes)
    }

    pub fn refresh_token_for(&self, client: &str, scopes: &[&str]) -> String {
        let now = self.shared.now();
        let scopes = scopes.iter().map(|s| s.to_string()).collect();
        lock(&self.shared.state).grant(client, scopes, now)
    }

    /// An access token (an hour) for the app with `scopes`, without a refresh token.
    pub fn access_token(&self, scopes: &[&str]) -> String {
        let now = self.shared.now();
        let client = self.client_id();
        let scopes = scopes.iter().map(|s| s.to_string()).collect();
        lock(&self.shared.state).access_token(&client, scopes, None, now)
    }

    /// Moves the emulator's clock forward (token, upload-token and quota-day expiry).
    pub fn advance_clock(&self, by: Duration) {
        self.shared
            .clock_offset
            .fetch_add(by.as_secs() as i64, Ordering::Relaxed);
    }

    pub fn set_latency(&self, latency: Duration) {
        lock(&self.shared.faults).latency = latency;
    }

    /// Rates outside 0..=1 are clamped.
    pub fn set_fault_rate(&self, rate: f64) {
        let rate = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
        lock(&self.shared.faults).rate = rate;
    }

    /// Which faults the rate draws from (all of them by default).
    pub fn set_fault_kinds(&self, kinds: &[FaultKind]) {
        lock(&self.shared.faults).kinds = kinds.to_vec();
    }

    /// Rates outside 0..=1 are clamped.
    pub fn set_page_repeat_rate(&self, rate: f64) {
        let rate = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
        lock(&self.shared.state).page_repeat_rate = rate;
    }

    pub fn set_daily_quota(&self, daily: u64) {
        lock(&self.shared.state).quota.daily = daily;
    }

    pub fn items(&self) -> Vec<ItemRecord> {
        let state = lock(&self.shared.state);
        state
            .items
            .iter()
            .map(|i| ItemRecord {
                id: i.id.clone(),
                filename: i.filename.clone(),
                description: i.description.clone(),
                md5: i.md5.clone(),
                size: i.size,
                mime_type: i.mime.clone(),
                creation_time: i.creation_time.clone(),
                app: i.owner.clone(),
                albums: state
                    .albums
                    .iter()
                    .filter(|a| a.items.contains(&i.id))
                    .map(|a| a.id.clone())
                    .collect(),
            })
            .collect()
    }

    /// Puts a file in the user's library as another app's item (the phone's own backup):
    /// photosync's upload of the same bytes is answered with it, and its albums cannot
    /// take it. Returns the item's id.
    pub fn add_foreign_item(
        &self,
        path: &std::path::Path,
        filename: Option<&str>,
    ) -> Result<String, ForeignError> {
        foreign::add(&self.shared, path, filename)
    }

    /// Removes an item as the user can in the Google Photos app (the Library API itself
    /// cannot delete: https://developers.google.com/photos/library/guides/manage-media):
    /// gone from every listing and album. False when there was no such item.
    pub fn delete_item(&self, id: &str) -> bool {
        lock(&self.shared.state).remove_item(id)
    }

    pub fn albums(&self) -> Vec<AlbumRecord> {
        lock(&self.shared.state)
            .albums
            .iter()
            .map(|a| AlbumRecord {
                id: a.id.clone(),
                title: a.title.clone(),
                app: a.owner.clone(),
                items: a.items.clone(),
            })
            .collect()
    }

    /// Requests received per method (`mediaItems.batchCreate`, `uploads`, `oauth.token`, ...).
    pub fn call_counts(&self) -> BTreeMap<String, u64> {
        lock(&self.shared.counts).clone()
    }

    /// Requests the app's project made today (Pacific), against `daily_quota`.
    pub fn quota_used(&self) -> u64 {
        let now = self.shared.now();
        let state = lock(&self.shared.state);
        state.quota.used(&state.clients[0].id, now)
    }

    /// The age in seconds of the oldest upload token batchCreate was given (None before any),
    /// and how many it was given past their day (refused, as Google does).
    pub fn upload_tokens_used(&self) -> (Option<i64>, u64) {
        let state = lock(&self.shared.state);
        (state.oldest_token_used, state.expired_tokens_used)
    }

    /// Empties the library, uploads, counters and quota; clients and their tokens stay.
    pub fn reset(&self) {
        lock(&self.shared.state).clear_library();
        lock(&self.shared.counts).clear();
        if let Ok(entries) = std::fs::read_dir(&self.shared.blobs) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Stops serving, removes the stored bytes and waits for the thread.
    pub fn stop(self) {
        drop(self)
    }
}

impl Drop for GooglePhotosEmulator {
    fn drop(&mut self) {
        drop(self.host.take());
    }
}
