//! What the emulator holds: registered OAuth clients (each one "app", i.e. project), grants and
//! tokens, upload tokens and resumable sessions, the user's library (items and albums, each owned
//! by the app that created it), the quota, and a clock tests can move forward.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Mutex;

use md5::Md5;

use super::faults::FaultKind;
use super::quota::Quota;
use crate::emulators::flickr::clock;
use crate::emulators::flickr::faults::Faults;
use crate::emulators::flickr::rng::Rng;
use crate::emulators::flickr::server::lock;

pub const ACCESS_TTL: i64 = 3599;
pub const CODE_TTL: i64 = 600;
pub const UPLOAD_TOKEN_TTL: i64 = 86_400;
pub const BASE_URL_TTL: i64 = 3600;
/// Refresh tokens of a project in Testing status.
pub const TESTING_REFRESH_TTL: i64 = 7 * 86_400;

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: String,
    pub project_number: String,
}

#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub challenge: Option<(String, String)>,
    pub expires: i64,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub client: String,
    pub scopes: Vec<String>,
    pub issued: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct Access {
    pub client: String,
    pub scopes: Vec<String>,
    pub expires: i64,
    /// The refresh token it came from: revoking either revokes both.
    pub refresh: Option<String>,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct UploadToken {
    pub client: String,
    pub md5: String,
    pub size: u64,
    pub file_name: Option<String>,
    pub created: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Active,
    Final,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Final => "final",
            SessionStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub client: String,
    pub file: PathBuf,
    pub hasher: Md5,
    pub received: u64,
    pub raw_size: Option<u64>,
    pub status: SessionStatus,
    pub token: Option<String>,
    pub file_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    /// The client id of the app that created it.
    pub owner: String,
    pub filename: String,
    pub description: String,
    pub md5: String,
    pub size: u64,
    pub mime: String,
    pub video: bool,
    pub creation_time: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone)]
pub struct Album {
    pub id: String,
    pub owner: String,
    pub title: String,
    pub items: Vec<String>,
}

#[derive(Debug)]
pub struct State {
    pub rng: Rng,
    pub clients: Vec<Client>,
    pub codes: HashMap<String, AuthCode>,
    pub grants: HashMap<String, Grant>,
    pub access: HashMap<String, Access>,
    pub upload_tokens: HashMap<String, UploadToken>,
    pub sessions: HashMap<String, Session>,
    pub items: Vec<Item>,
    pub by_md5: HashMap<String, usize>,
    pub albums: Vec<Album>,
    pub quota: Quota,
    /// Chance that a page token restarts at the previous page's last item.
    pub page_repeat_rate: f64,
    /// Upload tokens batchCreate was given: the oldest one's age in seconds, and how many
    /// were past their day (refused, as Google does), so tests can tell a client reused them.
    pub oldest_token_used: Option<i64>,
    pub expired_tokens_used: u64,
}

impl State {
    pub fn new(seed: u64, daily_quota: u64, page_repeat_rate: f64) -> State {
        let mut rng = Rng::new(seed ^ 0x0047_5048_4f54);
        let clients = (0..2)
            .map(|_| {
                let project = format!("{}", 100_000_000_000 + rng.below(899_999_999_999));
                Client {
                    id: format!("{project}-{}.apps.googleusercontent.com", rng.hex(32)),
                    secret: format!("GOCSPX-{}", rng.hex(28)),
                    project_number: project,
                }
            })
            .collect();
        State {
            rng,
            clients,
            codes: HashMap::new(),
            grants: HashMap::new(),
            access: HashMap::new(),
            upload_tokens: HashMap::new(),
            sessions: HashMap::new(),
            items: Vec::new(),
            by_md5: HashMap::new(),
            albums: Vec::new(),
            quota: Quota::new(daily_quota),
            page_repeat_rate,
            oldest_token_used: None,
            expired_tokens_used: 0,
        }
    }

    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    pub fn project_of(&self, client: &str) -> String {
        self.client(client)
            .map(|c| c.project_number.clone())
            .unwrap_or_default()
    }

    /// A new id: `prefix` and `len` random characters.
    pub fn new_id(&mut self, prefix: &str, len: usize) -> String {
        format!("{prefix}{}", self.rng.hex(len))
    }

    /// A refresh token for `client` with `scopes`, as a finished consent would give.
    pub fn grant(&mut self, client: &str, scopes: Vec<String>, now: i64) -> String {
        let token = self.new_id("1//0", 60);
        let grant = Grant {
            client: client.to_string(),
            scopes,
            issued: now,
            revoked: false,
        };
        self.grants.insert(token.clone(), grant);
        token
    }

    /// An access token for `client`, valid for an hour.
    pub fn access_token(
        &mut self,
        client: &str,
        scopes: Vec<String>,
        refresh: Option<String>,
        now: i64,
    ) -> String {
        let token = self.new_id("ya29.", 80);
        let access = Access {
            client: client.to_string(),
            scopes,
            expires: now + ACCESS_TTL,
            refresh,
            revoked: false,
        };
        self.access.insert(token.clone(), access);
        token
    }

    pub fn item_index(&self, id: &str, owner: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|i| i.id == id && i.owner == owner)
    }

    pub fn album_index(&self, id: &str) -> Option<usize> {
        self.albums.iter().position(|a| a.id == id)
    }

    /// Removes an item, as the user can in the app: out of the library and every album; the
    /// same bytes uploaded later make a new item. False when there was none.
    pub fn remove_item(&mut self, id: &str) -> bool {
        let Some(at) = self.items.iter().position(|i| i.id == id) else {
            return false;
        };
        self.items.remove(at);
        for album in &mut self.albums {
            album.items.retain(|i| i != id);
        }
        // Positions after it moved down by one; the first item of some bytes stays theirs.
        self.by_md5.clear();
        for (n, item) in self.items.iter().enumerate() {
            self.by_md5.entry(item.md5.clone()).or_insert(n);
        }
        true
    }

    /// Forgets the library and uploads; clients and grants stay.
    pub fn clear_library(&mut self) {
        self.upload_tokens.clear();
        self.sessions.clear();
        self.items.clear();
        self.by_md5.clear();
        self.albums.clear();
        self.quota.clear();
        self.oldest_token_used = None;
        self.expired_tokens_used = 0;
    }

    /// Notes the age of an upload token presented to batchCreate.
    pub fn token_used(&mut self, token: &UploadToken, now: i64) {
        let age = now - token.created;
        self.oldest_token_used = Some(self.oldest_token_used.map_or(age, |o| o.max(age)));
        if age >= UPLOAD_TOKEN_TTL {
            self.expired_tokens_used += 1;
        }
    }
}

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_photo_bytes: u64,
    pub max_video_bytes: u64,
    pub max_album_items: usize,
    pub chunk_granularity: u64,
    pub refresh_ttl: Option<i64>,
    pub bad_token: super::config::BadToken,
}

/// Everything the handlers share. Locks are never held across an `.await`.
pub struct Shared {
    pub endpoint: String,
    pub state: Mutex<State>,
    pub faults: Mutex<Faults<FaultKind>>,
    pub counts: Mutex<BTreeMap<String, u64>>,
    /// A batchCreate is running for the (single) user.
    pub writing: AtomicBool,
    /// Seconds added to the real clock (tests move time forward).
    pub clock_offset: AtomicI64,
    /// Stored bytes, one file per MD5, and resumable sessions' partial files.
    pub blobs: PathBuf,
    pub limits: Limits,
}

impl Shared {
    pub fn now(&self) -> i64 {
        clock::now() + self.clock_offset.load(Ordering::Relaxed)
    }

    pub fn count(&self, name: &str) {
        *lock(&self.counts).entry(name.to_string()).or_insert(0) += 1;
    }

    pub fn blob(&self, md5: &str) -> PathBuf {
        self.blobs.join(md5)
    }
}
