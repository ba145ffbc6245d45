//! What the caller chooses for a Google Photos run. How calls are retried (the 429 wait, the
//! backoff) belongs to the client's `RetryPolicy`.

use crate::destinations::gphotos::api::{description_for, DESCRIPTION_LIMIT};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct GphotosSyncOptions {
    /// Uploads in flight at once (batchCreate is always one at a time).
    pub concurrency: usize,
    /// Plan only: report what would be uploaded, send nothing.
    pub dry_run: bool,
    /// The project's requests per (Pacific) day; Google's default is 10,000.
    pub daily_quota: u64,
    /// The user's own text, put before the checksum in every description.
    pub description: Option<String>,
    /// Whether the description carries `checksum:md5=<hex>` after the user's text.
    pub checksum: Checksum,
    /// Files up to this size go in one raw request; bigger ones resumable.
    pub resumable_above: u64,
    /// About this many bytes per resumable chunk (rounded to the server's granularity).
    pub chunk_size: u64,
    /// Upload tokens younger than this are reused after a crash (Google keeps them a day).
    pub token_max_age: Duration,
    /// Put every photo into an album the app creates for its folder (path under this root).
    pub albums_root: Option<std::path::PathBuf>,
    /// batchCreate tries of one item that failed on its own (code 13) in a run.
    pub item_attempts: u32,
    /// Read the app's whole listing first and make again the items it no longer shows,
    /// without a separate verify.
    pub verify: bool,
    /// What Google Photos takes (kinds, sizes): Google's own, or a test's smaller limits.
    pub accepts: crate::engine::plan::Accepts,
}

/// Where the MD5 of an upload is kept on Google's side. Google's upload guide
/// (developers.google.com/photos/library/guides/upload-media) asks that a description hold
/// only text the user wrote, not text the app makes up; the checksum is how copies are
/// recognised after a lost catalog, so it stays by default, one short line, and can be
/// turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Checksum {
    /// `checksum:md5=<32 hex>` on the description's last line.
    #[default]
    Description,
    /// Only the user's text: copies are known by the catalog (and its backup) alone.
    None,
}

impl Checksum {
    pub fn parse(name: &str) -> Option<Checksum> {
        match name {
            "description" => Some(Checksum::Description),
            "none" => Some(Checksum::None),
            _ => None,
        }
    }
}

impl GphotosSyncOptions {
    /// The description an upload of `md5` carries.
    pub fn description_for(&self, md5: &str) -> String {
        let text = self.description.as_deref();
        match self.checksum {
            Checksum::Description => description_for(text, md5),
            Checksum::None => text
                .map(str::trim)
                .unwrap_or("")
                .chars()
                .take(DESCRIPTION_LIMIT)
                .collect(),
        }
    }
}

impl Default for GphotosSyncOptions {
    fn default() -> Self {
        GphotosSyncOptions {
            concurrency: 4,
            dry_run: false,
            daily_quota: 10_000,
            description: None,
            checksum: Checksum::Description,
            resumable_above: 8 * 1024 * 1024,
            chunk_size: 8 * 1024 * 1024,
            token_max_age: Duration::from_secs(20 * 3600),
            albums_root: None,
            item_attempts: 3,
            verify: false,
            accepts: super::plan::accepts(),
        }
    }
}
