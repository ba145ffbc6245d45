//! What a sync run tells its caller: live events, and the report at the end.

use crate::engine::outcome::{outcome_report, Counts, Note, Word};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Every file under one word of [`crate::engine::outcome`]; the three fields after
    /// it are made from it when the run ends.
    pub counts: Counts,
    /// Files Flickr never takes, and files it refused (in this run or before), with why.
    #[serde(serialize_with = "crate::serial::paths")]
    pub not_taken: Vec<(PathBuf, String)>,
    #[serde(serialize_with = "crate::serial::paths")]
    pub refused: Vec<(PathBuf, String)>,
    pub uploaded: u64,
    /// Files not uploaded on purpose: already on Flickr, local duplicates, not taken,
    /// refused before, unreadable.
    pub skipped: u64,
    /// Failed or refused in this run.
    pub failed: u64,
    /// Bytes uploaded.
    pub bytes: u64,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    /// Every API call of the run, retries and lookups included.
    pub api_calls: u64,
    /// The calls made to decide what to upload: login, index pages, journal lookups.
    pub index_calls: u64,
    /// Per-file problems: failures, unreadable files, dates that could not be set.
    /// A problem of the run itself (an index that may be incomplete) has an empty path.
    #[serde(serialize_with = "crate::serial::paths")]
    pub errors: Vec<(PathBuf, String)>,
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
    /// Photos whose copy was found lost (by verify or a full index read) and was
    /// uploaded again by this run.
    pub healed: u64,
}

outcome_report!(SyncReport, uploaded);
