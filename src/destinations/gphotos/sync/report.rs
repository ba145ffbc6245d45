//! What a Google Photos run reports at the end (its live events are the Flickr engine's
//! `SyncEvent`s).

use crate::engine::outcome::{outcome_report, Counts};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GphotosReport {
    /// Every file under one word of [`crate::engine::outcome`] (the ones the quota left
    /// are `left`); `uploaded`, `skipped` and `failed` are made from it when the run ends.
    pub counts: Counts,
    /// Files Google Photos never takes, and files it refused (in this run or before).
    #[serde(serialize_with = "crate::serial::paths")]
    pub not_taken: Vec<(PathBuf, String)>,
    #[serde(serialize_with = "crate::serial::paths")]
    pub refused: Vec<(PathBuf, String)>,
    /// Media items created (or found already there) for local photos.
    pub uploaded: u64,
    /// Of those, made from upload tokens a previous run left (no bytes sent again).
    pub reused_tokens: u64,
    /// Not uploaded on purpose: already there, local duplicates, not taken, refused before,
    /// unreadable.
    pub skipped: u64,
    /// Failed or refused in this run.
    pub failed: u64,
    /// Bytes of the photos uploaded.
    pub bytes: u64,
    /// Upload bytes put on the wire, resent ones included.
    pub bytes_sent: u64,
    /// Resumable uploads that went on from the server's offset after a failure.
    pub resumed: u64,
    /// API requests (each counts against the daily quota).
    pub api_calls: u64,
    pub batch_create_calls: u64,
    /// Upload tokens Google refused whole calls for (found by splitting the call); their
    /// bytes were sent again.
    pub bad_tokens: u64,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    #[serde(serialize_with = "crate::serial::paths")]
    pub errors: Vec<(PathBuf, String)>,
    /// Photos whose item was found lost (gone from the app's listing) and was uploaded
    /// again by this run.
    pub healed: u64,
    /// Photos not tried because the daily quota ran out.
    pub left: u64,
    /// Photos put into their folder's album, and albums created (`albums: folders`).
    pub album_adds: u64,
    pub albums_created: u64,
    /// Photos left out of their album, with why: Google answered their bytes with an item
    /// another app made (the phone's own backup), which only that app can put in albums.
    #[serde(serialize_with = "crate::serial::paths")]
    pub album_notes: Vec<(PathBuf, String)>,
    /// Why the run stopped before the end, said plainly (the quota).
    pub stopped: Option<String>,
}

outcome_report!(GphotosReport, uploaded);
