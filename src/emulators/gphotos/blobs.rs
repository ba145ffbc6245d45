//! Upload bodies streamed to disk as they arrive (never whole in memory), MD5 computed on the
//! way; finished uploads stored once per MD5, so identical bytes are one file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, HttpBody};
use md5::{Digest, Md5};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the request body could not be read: {0}")]
    Body(String),
}

/// Where a cut upload stops: bytes read before the connection closes, bytes of them kept.
#[derive(Debug, Clone, Copy)]
pub struct Cut {
    pub read: u64,
    pub keep: u64,
}

#[derive(Debug)]
pub struct Received {
    /// Bytes written (and hashed).
    pub written: u64,
    /// False when a cut stopped the reading.
    pub complete: bool,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A fresh file name in `dir` for an upload in progress.
pub fn incoming(dir: &Path) -> PathBuf {
    dir.join(format!(
        "incoming-{}-{}.part",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes `body` into `path` from byte `offset` (the file is cut there first), updating `hasher`.
pub async fn receive(
    body: Body,
    path: &Path,
    offset: u64,
    hasher: &mut Md5,
    cut: Option<Cut>,
) -> Result<Received, BlobError> {
    let write_err = |source| BlobError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(path)
        .await
        .map_err(write_err)?;
    file.set_len(offset).await.map_err(write_err)?;
    file.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(write_err)?;
    let (mut read, mut written) = (0u64, 0u64);
    let mut body = std::pin::pin!(body);
    while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
        let frame = frame.map_err(|e| BlobError::Body(e.to_string()))?;
        let Ok(frame) = frame.into_data() else {
            continue;
        };
        let mut data = &frame[..];
        if let Some(cut) = cut {
            let readable = (cut.read.saturating_sub(read) as usize).min(data.len());
            data = &data[..readable];
        }
        let keep = match cut {
            Some(cut) => (cut.keep.saturating_sub(written) as usize).min(data.len()),
            None => data.len(),
        };
        file.write_all(&data[..keep]).await.map_err(write_err)?;
        hasher.update(&data[..keep]);
        written += keep as u64;
        read += data.len() as u64;
        if cut.is_some_and(|c| read >= c.read) {
            file.flush().await.map_err(write_err)?;
            return Ok(Received {
                written,
                complete: false,
            });
        }
    }
    file.flush().await.map_err(write_err)?;
    Ok(Received {
        written,
        complete: true,
    })
}

/// Moves a finished upload to its place by MD5 (dropping it when those bytes are there already).
pub async fn store(part: &Path, stored: &Path) -> Result<(), BlobError> {
    let result = if tokio::fs::try_exists(stored).await.unwrap_or(false) {
        tokio::fs::remove_file(part).await
    } else {
        tokio::fs::rename(part, stored).await
    };
    result.map_err(|source| BlobError::Write {
        path: stored.to_path_buf(),
        source,
    })
}

pub fn hex(hasher: Md5) -> String {
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
