//! What a Google Photos run reports at the end (its live events are the Flickr engine's
//! `SyncEvent`s).

use crate::engine::outcome::Counts;
use crate::engine::report::{Extra, RunReport};
use serde::Serialize;
use std::path::PathBuf;

/// The report of a Google Photos run: the engine's common part and these figures.
pub type GphotosReport = RunReport<GphotosFigures>;

/// Google Photos' own figures in its report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GphotosFigures {
    /// Media items created (or found already there) for local photos.
    pub uploaded: u64,
    /// Of those, made from upload tokens a previous run left (no bytes sent again).
    pub reused_tokens: u64,
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

impl Extra for GphotosFigures {
    fn settle(&mut self, counts: &Counts) {
        self.uploaded = counts.done;
    }
}
