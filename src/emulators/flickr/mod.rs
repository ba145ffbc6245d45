//! A local Flickr API server for tests, benchmarks and demos: OAuth 1.0a-verified REST (JSON
//! and XML), upload and replace, async tickets, machine-tag search with Flickr's paging limits,
//! photosets, originals to download, and seeded latency, faults and call budget. It runs on its
//! own tokio runtime in a background thread, so plain (non-async) code and the Ruby binding can
//! start it, inspect it and stop it.
//!
//! ```no_run
//! use photosync::emulators::flickr::{Emulator, EmulatorConfig};
//! let emu = Emulator::start(EmulatorConfig::default()).unwrap();
//! println!("{}/services/rest/ key {}", emu.endpoint(), emu.api_key());
//! emu.stop();
//! ```

mod accept;
mod account;
mod answer;
mod api_misc;
mod api_photos;
mod api_sets;
pub(crate) mod clock;
mod config;
mod download;
pub(crate) mod faults;
pub(crate) mod filetype;
pub(crate) mod host;
mod methods;
pub mod oauth;
mod oauth_flow;
mod rest;
pub(crate) mod rng;
mod search;
pub(crate) mod server;
mod store;
mod tags;
mod tokens;
mod upload;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use config::{EmulatorConfig, SEARCH_LAG, UNSTABLE_PAGING};
pub use faults::FaultKind;

use host::Host;
use server::{lock, Shared, User};
use store::Store;
use tokens::Tokens;

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(transparent)]
    Host(#[from] host::HostError),
    #[error("could not create the folder {path} for the emulator's files: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Fault(#[from] faults::FaultError),
}

/// One stored photo as the emulator holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRecord {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Flickr's clean forms, as `extras=tags` shows them (`checksummd5...`).
    pub tags: Vec<String>,
    /// Raw `namespace:predicate=value` machine tags.
    pub machine_tags: Vec<String>,
    /// MD5 (hex) of the stored original's bytes.
    pub md5: String,
    pub date_taken: String,
    pub date_upload: i64,
    pub is_public: bool,
    pub is_friend: bool,
    pub is_family: bool,
    pub original_path: PathBuf,
    pub original_size: u64,
}

/// An album (photoset) as the emulator holds it, for tests to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumRecord {
    pub id: String,
    pub title: String,
    /// In the album's order; the first is the primary photo.
    pub photo_ids: Vec<String>,
}

pub struct Emulator {
    shared: Arc<Shared>,
    port: u16,
    seed: u64,
    host: Option<Host>,
    /// A temporary originals folder to remove on stop.
    temp_dir: Option<PathBuf>,
}

fn temp_folder() -> PathBuf {
    static NEXT: Mutex<u32> = Mutex::new(0);
    let n = {
        let mut next = lock(&NEXT);
        *next += 1;
        *next
    };
    std::env::temp_dir().join(format!("photosync-emulator-{}-{n}", std::process::id()))
}

impl Emulator {
    pub fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        faults::check_rate(config.fault_rate)?;
        faults::check_rate(config.unstable_paging)?;
        let (originals, temp_dir) = match &config.data_dir {
            Some(dir) => (dir.join("originals"), None),
            None => {
                let dir = temp_folder();
                (dir.clone(), Some(dir))
            }
        };
        std::fs::create_dir_all(&originals).map_err(|source| EmulatorError::Folder {
            path: originals.clone(),
            source,
        })?;
        let store = match &config.data_dir {
            Some(dir) => Store::load(dir)?.unwrap_or_else(|| Store::new(config.seed)),
            None => Store::new(config.seed),
        };
        let bound = host::bind(config.port)?;
        let port = bound.port;
        let shared = Arc::new(Shared {
            user: User {
                nsid: "98765432@N07".to_string(),
                username: "photosync".to_string(),
                fullname: "Photosync Emulator".to_string(),
            },
            endpoint: format!("http://127.0.0.1:{port}"),
            tokens: Mutex::new(Tokens::new(config.seed)),
            store: Mutex::new(store),
            faults: Mutex::new(faults::Faults::new(
                config.seed,
                config.latency,
                config.fault_rate,
            )),
            budget: Mutex::new(faults::Budget::new(config.calls_per_hour)),
            counts: Mutex::new(BTreeMap::new()),
            originals,
            data_dir: config.data_dir.clone(),
            max_photo_bytes: config.max_photo_bytes,
            max_per_set: config.max_per_set,
            search_lag: config.search_lag,
            paging: Mutex::new(server::Paging::new(config.seed, config.unstable_paging)),
            fresh: Mutex::new(std::collections::HashMap::new()),
            max_video_bytes: config.max_video_bytes,
            account: account::Account::new(
                config.pro,
                config.max_videos,
                config.dedup_check,
                config.names_duplicate,
                config.upload_wait,
            ),
        });
        let persist = shared.clone();
        let last = shared.clone();
        let host = Host::serve(
            bound,
            "photosync-emulator",
            server::router(shared.clone()),
            move |rx| persistence(persist, rx),
            move || save(&last),
        )?;
        Ok(Emulator {
            shared,
            port,
            seed: config.seed,
            host: Some(host),
            temp_dir,
        })
    }

    /// `http://127.0.0.1:PORT`; Flickr's paths (`/services/rest/`, ...) live under it.
    pub fn endpoint(&self) -> String {
        self.shared.endpoint.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn api_key(&self) -> String {
        lock(&self.shared.tokens).api_key.clone()
    }

    pub fn shared_secret(&self) -> String {
        lock(&self.shared.tokens).shared_secret.clone()
    }

    /// A pre-authorised access token with `delete` perms for the emulator's user.
    pub fn access_token(&self) -> String {
        lock(&self.shared.tokens).first_access().0
    }

    pub fn access_secret(&self) -> String {
        lock(&self.shared.tokens).first_access().1
    }

    /// The NSID of the emulator's single user.
    pub fn user_nsid(&self) -> String {
        self.shared.user.nsid.clone()
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

    pub fn photos(&self) -> Vec<PhotoRecord> {
        let store = lock(&self.shared.store);
        store
            .photos
            .values()
            .map(|p| PhotoRecord {
                id: p.id.to_string(),
                title: p.title.clone(),
                description: p.description.clone(),
                tags: p.tags.iter().map(|t| t.clean.clone()).collect(),
                machine_tags: p
                    .tags
                    .iter()
                    .filter(|t| t.machine.is_some())
                    .map(|t| t.raw.clone())
                    .collect(),
                md5: p.md5.clone(),
                date_taken: p.date_taken.clone(),
                date_upload: p.date_upload,
                is_public: p.is_public,
                is_friend: p.is_friend,
                is_family: p.is_family,
                original_path: self.shared.originals.join(&p.file),
                original_size: p.size,
            })
            .collect()
    }

    pub fn albums(&self) -> Vec<AlbumRecord> {
        let store = lock(&self.shared.store);
        store
            .sets
            .values()
            .map(|s| AlbumRecord {
                id: s.id.to_string(),
                title: s.title.clone(),
                photo_ids: s.photos.iter().map(u64::to_string).collect(),
            })
            .collect()
    }

    /// Calls received per Flickr method name, plus `upload` and `replace`.
    pub fn call_counts(&self) -> BTreeMap<String, u64> {
        lock(&self.shared.counts).clone()
    }

    /// Empties the store (and its originals) and the counters; credentials stay.
    pub fn reset(&self) {
        let files: Vec<String> = {
            let mut store = lock(&self.shared.store);
            let files = store.photos.values().map(|p| p.file.clone()).collect();
            *store = Store::new(self.seed);
            store.dirty = true;
            files
        };
        for file in files {
            let _ = std::fs::remove_file(self.shared.originals.join(file));
        }
        lock(&self.shared.counts).clear();
        lock(&self.shared.budget).clear();
    }

    /// Stops serving, saves the state (with a data folder) and waits for the thread.
    pub fn stop(self) {
        drop(self)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Stops serving (and saves) before the originals' folder goes.
        drop(self.host.take());
        if let Some(dir) = self.temp_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Saves the store when something changed, a few times a second, and once more at shutdown.
async fn persistence(shared: Arc<Shared>, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = tokio::time::sleep(Duration::from_millis(200)) => save(&shared),
        }
    }
}

fn save(shared: &Shared) {
    let Some(dir) = &shared.data_dir else { return };
    let snapshot = {
        let mut store = lock(&shared.store);
        if !store.dirty {
            return;
        }
        store.dirty = false;
        store.clone()
    };
    if snapshot.save(dir).is_err() {
        // Try again on the next tick.
        lock(&shared.store).dirty = true;
    }
}
