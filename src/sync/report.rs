//! What a sync run tells its caller: live events, and the report at the end.

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub uploaded: u64,
    /// Files not uploaded on purpose: already on Flickr, local duplicates, unreadable.
    pub skipped: u64,
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
