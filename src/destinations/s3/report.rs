//! What an S3 run tells its caller at the end (its live events are the uploads'
//! [`crate::destinations::flickr::sync::SyncEvent`], with the object's key as `photo_id`).

use crate::engine::outcome::{outcome_report, Counts};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct S3Report {
    /// Every file under one word of [`crate::engine::outcome`]; `uploaded`, `skipped`,
    /// `failed` and `already_there` are made from it when the run ends.
    pub counts: Counts,
    #[serde(serialize_with = "crate::serial::paths")]
    pub not_taken: Vec<(PathBuf, String)>,
    #[serde(serialize_with = "crate::serial::paths")]
    pub refused: Vec<(PathBuf, String)>,
    pub uploaded: u64,
    /// Not uploaded on purpose: already in the bucket, local duplicates, unreadable.
    pub skipped: u64,
    pub failed: u64,
    /// Bytes of the photos uploaded.
    pub bytes: u64,
    /// Bytes sent in this run: less than `bytes` when uploads in parts an earlier run
    /// began were resumed.
    pub bytes_sent: u64,
    /// Uploads in parts an earlier run began, resumed by this one.
    pub resumed: u64,
    /// Uploads in parts an earlier run began for photos that no longer need them:
    /// aborted, their parts dropped.
    pub aborted: u64,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    pub already_there: u64,
    /// Objects the listing showed that the catalog did not know yet, now recorded.
    pub adopted: u64,
    /// Recorded copies the listing no longer shows (or shows with other bytes):
    /// forgotten, made again by this run.
    pub forgotten: u64,
    /// Photos whose lost copy this run made again.
    pub healed: u64,
    /// Requests for the listing and the metadata of objects uploaded in parts.
    pub index_calls: u64,
    #[serde(serialize_with = "crate::serial::paths")]
    pub errors: Vec<(PathBuf, String)>,
}

outcome_report!(S3Report, uploaded);
