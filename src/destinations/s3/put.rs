//! One photo's upload: the file is read and its MD5 checked against the scan's (a file
//! changed since is not sent under the old MD5), then sent in one PUT, or, from
//! [`super::S3Options::multipart_from`] up, one part of it ([`super::multipart`]);
//! object_store sends the SHA-256 of every PUT and part, and the server refuses bytes
//! that do not match. A single PUT's ETag is checked against the MD5 too. Failures the client's own retries did not cure (a body
//! refused as damaged, a connection lost) are tried again here, with the shared backoff
//! ([`crate::net::retry`]), before the file counts as failed for this run.

use super::client::Bucket;
use super::index::Job;
use super::multipart::{self, Step};
use crate::cancel::Cancel;
use crate::destinations::flickr::sync::SyncEvent;
use crate::library::hash::hex;
use crate::net::retry;
use md5::{Digest, Md5};
use object_store::PutPayload;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// Attempts of one file, the client's own retries of each request aside.
const ATTEMPTS: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum PutError {
    #[error("reading {0}")]
    Read(#[source] std::io::Error),
    #[error(
        "the file changed since it was scanned (MD5 now {0}); the next sync sends its new bytes"
    )]
    Changed(String),
    #[error("the bucket stored other bytes (ETag {got}, MD5 {want})")]
    Stored { want: String, got: String },
    #[error("{0}")]
    Store(#[from] object_store::Error),
    #[error("cancelled")]
    Cancelled,
}

impl PutError {
    /// Worth another attempt: what the network or the server may do differently.
    fn transient(&self) -> bool {
        matches!(self, PutError::Store(_) | PutError::Stored { .. })
    }
}

/// How a run uploads: sizes and its cancel flag.
#[derive(Clone)]
pub struct Sending {
    pub multipart_from: u64,
    pub part_size: usize,
    pub cancel: Cancel,
}

/// Uploads `job` to `bucket` (a big file: its next part), retrying what may pass next
/// time.
pub async fn send(
    bucket: &Bucket,
    job: &Job,
    how: &Sending,
    events: &UnboundedSender<SyncEvent>,
) -> Result<Step, PutError> {
    let mut attempt = 1;
    loop {
        if how.cancel.is_cancelled() {
            return Err(PutError::Cancelled);
        }
        let result = if job.size >= how.multipart_from {
            multipart::step(bucket, job, how.part_size as u64).await
        } else {
            whole(bucket, job)
                .await
                .map(|()| Step::Whole { sent: job.size })
        };
        match result {
            Err(e) if e.transient() && attempt < ATTEMPTS => {
                let _ = events.send(SyncEvent::Retried {
                    path: job.source.clone(),
                    attempt,
                    error: e.to_string(),
                });
                let wait = retry::backoff(Duration::from_secs(1), attempt);
                if !retry::sleep_unless(wait, || how.cancel.is_aborted()).await {
                    return Err(PutError::Cancelled);
                }
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// One PUT of the whole file.
async fn whole(bucket: &Bucket, job: &Job) -> Result<(), PutError> {
    let bytes = tokio::fs::read(&job.source).await.map_err(PutError::Read)?;
    let md5 = hex(Md5::digest(&bytes).as_slice());
    if md5 != job.md5 {
        return Err(PutError::Changed(md5));
    }
    let attributes = bucket.attributes(&job.md5, job.imgmd5.as_deref());
    match bucket
        .put(&job.rel, PutPayload::from(bytes), attributes)
        .await?
    {
        Some(got) if got != job.md5 => Err(PutError::Stored {
            want: job.md5.clone(),
            got,
        }),
        _ => Ok(()),
    }
}
