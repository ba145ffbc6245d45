//! What an S3 run tells its caller at the end (its live events are the uploads'
//! [`crate::destinations::flickr::sync::SyncEvent`], with the object's key as `photo_id`).

use crate::engine::outcome::Counts;
use crate::engine::report::{Extra, RunReport};
use serde::Serialize;

/// The report of an S3 run: the engine's common part and these figures.
pub type S3Report = RunReport<S3Figures>;

/// The bucket's own figures in its report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct S3Figures {
    /// Photos uploaded in this run (the counts' done).
    pub uploaded: u64,
    /// Photos whose MD5 the bucket already held.
    pub already_there: u64,
    /// Bytes sent in this run: less than `bytes` when uploads in parts an earlier run
    /// began were resumed.
    pub bytes_sent: u64,
    /// Uploads in parts an earlier run began, resumed by this one.
    pub resumed: u64,
    /// Uploads in parts an earlier run began for photos that no longer need them:
    /// aborted, their parts dropped.
    pub aborted: u64,
    /// Objects the listing showed that the catalog did not know yet, now recorded.
    pub adopted: u64,
    /// Recorded copies the listing no longer shows (or shows with other bytes):
    /// forgotten, made again by this run.
    pub forgotten: u64,
    /// The catalog's copy was written into the bucket (`.photosync/catalog.sqlite3`).
    pub catalog_copied: bool,
    /// Requests for the listing and the metadata of objects uploaded in parts.
    pub index_calls: u64,
}

impl Extra for S3Figures {
    fn settle(&mut self, counts: &Counts) {
        self.uploaded = counts.done;
        self.already_there = counts.already_there;
    }
}
