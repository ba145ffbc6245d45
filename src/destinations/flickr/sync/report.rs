//! What a sync run tells its caller: live events, and the report at the end.

use crate::engine::outcome::{Counts, Note, Word};
use crate::engine::report::{Extra, RunReport};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncEvent {
    /// The plan, once the remote index is read: what will be uploaded and what not.
    Planned {
        to_upload: u64,
        already_there: u64,
        duplicates: u64,
        bytes: u64,
    },
    Started {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
    },
    Uploaded {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        photo_id: String,
        bytes: u64,
    },
    /// Not uploaded, on purpose: a local duplicate, or a file that could not be read.
    Skipped {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        reason: String,
    },
    /// A kind or size this destination never takes (RAW on Flickr); never sent.
    NotTaken {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        reason: String,
    },
    /// The destination rejected these bytes in this run; recorded, not sent again
    /// until the file changes.
    Refused {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        reason: String,
    },
    /// Refused on an earlier run: not sent.
    RefusedBefore {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        reason: String,
    },
    /// A transient failure of this file's upload (or of its lookup or dates); it is
    /// tried again after a delay. Retries of the index are not reported.
    Retried {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        attempt: u32,
        error: String,
    },
    /// This file could not be uploaded; the run goes on with the others.
    Failed {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        error: String,
    },
    /// A photo edited after its upload updated its copy on Flickr instead of being
    /// uploaded again: the taken date and checksum tag, and with `replaced` the file.
    Edited {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        photo_id: String,
        replaced: bool,
    },
    /// A photo on Flickr was put into its folder's album (`--albums folders`).
    Album {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        album: String,
        photo_id: String,
    },
    Finished,
}

impl SyncEvent {
    /// The event of a plan's note: a file not sent, and why.
    pub fn of_note(note: &Note) -> SyncEvent {
        let (path, reason) = (note.path.clone(), note.reason.clone());
        match note.word {
            Word::NotTaken => SyncEvent::NotTaken { path, reason },
            Word::Refused => SyncEvent::Refused { path, reason },
            Word::RefusedBefore => SyncEvent::RefusedBefore { path, reason },
            Word::Failed => SyncEvent::Failed {
                path,
                error: reason,
            },
            _ => SyncEvent::Skipped { path, reason },
        }
    }
}

/// The report of a Flickr run: the engine's common part and these figures.
pub type SyncReport = RunReport<FlickrFigures>;

/// Flickr's own figures in its report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlickrFigures {
    /// Photos uploaded in this run (the counts' done).
    pub uploaded: u64,
    /// Every API call of the run, retries and lookups included.
    pub api_calls: u64,
    /// The calls made to decide what to upload: login, index pages, journal lookups.
    pub index_calls: u64,
    /// Photos on Flickr (with a checksum tag) that match no local file. Never deleted.
    pub remote_only: u64,
    /// Photos put into albums, and albums created (`--albums folders`).
    pub album_adds: u64,
    pub albums_created: u64,
    /// Photos edited after upload (same image data, new metadata) whose Flickr copy had
    /// its taken date and checksum tag updated instead of a second upload, and those
    /// of them whose file was replaced too (`replace_edited`).
    pub edited_updated: u64,
    pub edited_replaced: u64,
    /// Copies (the old script's) that gained their `checksum:imgmd5=` tag.
    pub imgmd5_tagged: u64,
}

impl Extra for FlickrFigures {
    fn settle(&mut self, counts: &Counts) {
        self.uploaded = counts.done;
    }
}
