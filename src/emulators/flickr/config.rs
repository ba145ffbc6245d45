//! How an emulator is started: its port, faults, budget, limits, and how it plays
//! Flickr's real behaviour (search lag, unstable paging, account kind), with harsher
//! defaults than a perfect service.

use std::path::PathBuf;
use std::time::Duration;

/// The default search lag: a few seconds, below the client's lookup delay (5 s).
pub const SEARCH_LAG: Duration = Duration::from_secs(2);
/// The default share of later search pages read one item off.
pub const UNSTABLE_PAGING: f64 = 0.05;

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub latency: Duration,
    /// Probability (0..=1) that a REST call, upload or replace meets a fault.
    pub fault_rate: f64,
    /// Everything random (credentials, ids, secrets, faults) follows from it.
    pub seed: u64,
    pub calls_per_hour: u32,
    pub max_photo_bytes: u64,
    pub max_video_bytes: u64,
    /// Items an album (photoset) holds at most; Flickr's is 20,000 (error 10 beyond).
    pub max_per_set: usize,
    /// How long a new upload is invisible to search. Flickr does not document how long
    /// its search index lags behind uploads; the reading of other upload tools' reports
    /// behind issue 13 found new photos missing from search for seconds (sometimes
    /// minutes), and the duplicates that come from trusting a search made at once
    /// (oPromessa/flickr-uploader issue 15). [`SEARCH_LAG`] by default: a real,
    /// short lag every test meets unless it asks for none; `search_lag: 20` for the
    /// longer ones.
    pub search_lag: Duration,
    /// How often (0..=1) a search page after the first is read one item off: an item of
    /// the previous page repeated or one skipped, as users of other tools report of
    /// Flickr's paging while the account changes. [`UNSTABLE_PAGING`] by default.
    pub unstable_paging: f64,
    /// A Flickr Pro account (the default: a backup of a whole library needs one, a free
    /// account holds 1,000 photos). A free one is refused replace (code 1).
    pub pro: bool,
    /// Videos the account may hold; upload code 7 beyond. Flickr publishes no number.
    pub max_videos: usize,
    /// Check every upload for a duplicate, as `dedup_check=1` asks: code 9 with the
    /// `duplicate_photo_id` of the copy already there.
    pub dedup_check: bool,
    /// Code 9 names the copy already there in `duplicate_photo_id`, as Flickr's upload
    /// documentation shows; `false` answers a bare code 9 (the element missing, or
    /// holding no id), which a client must survive too.
    pub names_duplicate: bool,
    /// A free account's `non_pro_desktop_upload_wait_time`: an upload sooner than this
    /// after the last one is refused with code 14 and the seconds left to wait.
    pub upload_wait: Duration,
    /// Keep photos and originals here across restarts; `None` keeps them in a temporary folder
    /// removed on stop.
    pub data_dir: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            seed: 1,
            calls_per_hour: 3600,
            max_photo_bytes: 200 * 1024 * 1024,
            max_video_bytes: 1024 * 1024 * 1024,
            max_per_set: 20_000,
            search_lag: SEARCH_LAG,
            unstable_paging: UNSTABLE_PAGING,
            pro: true,
            max_videos: usize::MAX,
            dedup_check: false,
            names_duplicate: true,
            upload_wait: Duration::ZERO,
            data_dir: None,
        }
    }
}

impl EmulatorConfig {
    /// The default, but with a search that sees every upload at once and pages that
    /// never shift: for tests about search itself, or that search right after uploading.
    pub fn instant_search() -> Self {
        EmulatorConfig {
            search_lag: Duration::ZERO,
            unstable_paging: 0.0,
            ..EmulatorConfig::default()
        }
    }
}
