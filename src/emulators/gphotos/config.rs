//! What the Google Photos emulator is started with, what can stop it starting, and the
//! records a test reads back (items and albums as the emulator holds them).

use crate::emulators::flickr::faults::FaultError;
use crate::emulators::flickr::host::HostError;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct GooglePhotosConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub latency: Duration,
    /// Probability (0..=1) that an API request meets a fault.
    pub fault_rate: f64,
    /// Everything random (credentials, ids, tokens, faults, page repeats) follows from it.
    pub seed: u64,
    /// Requests per project per (Pacific) day.
    pub daily_quota: u64,
    /// A project in Testing status: refresh tokens die after 7 days (Google's rule for
    /// Testing projects: developers.google.com/identity/protocols/oauth2#expiration). The
    /// default: a personal project asking for Photos scopes stays in Testing unless Google
    /// verifies it.
    pub testing: bool,
    /// Chance that a next page starts with the previous page's last item.
    pub page_repeat_rate: f64,
    pub chunk_granularity: u64,
    pub max_photo_bytes: u64,
    pub max_video_bytes: u64,
    pub max_album_items: usize,
    /// How batchCreate answers an upload token that is unknown, expired (a day old) or
    /// already made into an item.
    pub bad_token: BadToken,
}

/// How batchCreate answers a bad upload token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadToken {
    /// The whole call fails with 400 INVALID_ARGUMENT "Request must contain a valid upload
    /// token." and nothing is created: what users of other clients meet
    /// (gphotosuploader/gphotos-uploader-cli#132 and #223, ShareX/ShareX#4956).
    #[default]
    WholeCall,
    /// Only that item fails (status code 3), the others are created.
    PerItem,
}

impl BadToken {
    pub fn parse(name: &str) -> Option<BadToken> {
        match name {
            "whole_call" => Some(BadToken::WholeCall),
            "per_item" => Some(BadToken::PerItem),
            _ => None,
        }
    }
}

impl Default for GooglePhotosConfig {
    fn default() -> Self {
        GooglePhotosConfig {
            port: 0,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            seed: 1,
            daily_quota: 10_000,
            testing: true,
            page_repeat_rate: 0.2,
            chunk_granularity: 262_144,
            max_photo_bytes: 200 * 1024 * 1024,
            max_video_bytes: 20 * 1024 * 1024 * 1024,
            max_album_items: 20_000,
            bad_token: BadToken::WholeCall,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GooglePhotosEmulatorError {
    #[error(transparent)]
    Host(#[from] HostError),
    #[error(transparent)]
    Fault(#[from] FaultError),
    #[error("page repeat rate {0} is not between 0 and 1")]
    PageRepeat(f64),
    #[error("the chunk granularity must be above zero")]
    Granularity,
    #[error("could not create the folder {path} for the emulator's files: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One media item as the emulator holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub id: String,
    pub filename: String,
    pub description: String,
    /// MD5 (hex) of the stored bytes.
    pub md5: String,
    pub size: u64,
    pub mime_type: String,
    pub creation_time: String,
    /// The client id of the app that created it.
    pub app: String,
    /// Albums holding it.
    pub albums: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumRecord {
    pub id: String,
    pub title: String,
    pub app: String,
    pub items: Vec<String>,
}
