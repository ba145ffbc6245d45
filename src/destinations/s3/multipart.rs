//! Big files go up in parts, one part per put, so that the engine's slots bound the
//! memory (one part each) and the catalog's journal learns each part as it lands: a run
//! killed mid-file resumes from the last part recorded instead of starting over. The
//! state (key, upload id, part size, the parts' ids) rides in the upload journal; the
//! next run resumes it, or aborts it when the photo no longer needs it, so no parts are
//! left behind. Every part carries its `x-amz-checksum-sha256`; the whole file's MD5 is
//! checked before the upload is completed.
//!
//! object_store's own multipart start does not take metadata, so the start is one
//! request signed here with its signer; the parts, the completion and the abort are its.

use super::client::Bucket;
use super::index::Job;
use super::put::PutError;
use crate::library::hash::hex;
use md5::{Digest, Md5};
use object_store::multipart::{MultipartStore, PartId};
use object_store::PutPayload;
use serde::{Deserialize, Serialize};
use std::io::SeekFrom;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// An upload in parts under way, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Its key below the prefix.
    pub key: String,
    pub upload: String,
    pub part_size: u64,
    /// The ids of the parts sent, in order.
    pub parts: Vec<String>,
}

impl State {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<State> {
        serde_json::from_str(text).ok()
    }
}

/// What one step of an upload in parts did.
pub enum Step {
    /// One more part is there; more are to come.
    Part { state: State, sent: u64 },
    /// The last part is there and the object complete.
    Whole { sent: u64 },
}

/// Sends the next part of `job` (starting the upload first if it has no state), and
/// completes the upload after its last part.
pub async fn step(bucket: &Bucket, job: &Job, part_size: u64) -> Result<Step, PutError> {
    let state = match &job.resume {
        Some(state) => state.clone(),
        None => State {
            key: job.rel.clone(),
            upload: bucket
                .start_multipart(&job.rel, &job.md5, job.imgmd5.as_deref())
                .await?,
            part_size,
            parts: Vec::new(),
        },
    };
    let offset = state.parts.len() as u64 * state.part_size;
    let (part, sent) = read_part(job, offset, state.part_size).await?;
    let key = bucket.key(&state.key);
    let mut state = state;
    if sent > 0 {
        let id = bucket
            .store()
            .put_part(&key, &state.upload, state.parts.len(), part)
            .await?;
        state.parts.push(id.content_id);
    }
    if offset + sent < job.size {
        return Ok(Step::Part { state, sent });
    }
    let md5 = file_md5(job).await?;
    if md5 != job.md5 {
        abort(bucket, &state).await;
        return Err(PutError::Changed(md5));
    }
    let parts = state
        .parts
        .iter()
        .map(|id| PartId {
            content_id: id.clone(),
        })
        .collect();
    bucket
        .store()
        .complete_multipart(&key, &state.upload, parts)
        .await?;
    Ok(Step::Whole { sent })
}

/// Gives up an upload: the parts it holds are dropped by the server.
pub async fn abort(bucket: &Bucket, state: &State) {
    let key = bucket.key(&state.key);
    let _ = bucket.store().abort_multipart(&key, &state.upload).await;
}

async fn read_part(job: &Job, offset: u64, size: u64) -> Result<(PutPayload, u64), PutError> {
    let mut file = tokio::fs::File::open(&job.source)
        .await
        .map_err(PutError::Read)?;
    file.seek(SeekFrom::Start(offset))
        .await
        .map_err(PutError::Read)?;
    let mut buf = Vec::with_capacity(size as usize);
    file.take(size)
        .read_to_end(&mut buf)
        .await
        .map_err(PutError::Read)?;
    let n = buf.len() as u64;
    Ok((PutPayload::from(buf), n))
}

/// The MD5 of the whole file as it is now, read again off the disk: earlier parts may
/// have been sent by an earlier run.
async fn file_md5(job: &Job) -> Result<String, PutError> {
    let mut file = tokio::fs::File::open(&job.source)
        .await
        .map_err(PutError::Read)?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).await.map_err(PutError::Read)?;
        if n == 0 {
            return Ok(hex(hasher.finalize().as_slice()));
        }
        hasher.update(&buf[..n]);
    }
}
