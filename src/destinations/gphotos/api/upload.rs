//! Sending a file's bytes for an upload token. Small files go in one raw request; large ones
//! through the resumable protocol in chunks that are multiples of the granularity the server
//! names, so at most one chunk per upload is in memory. After a failed chunk the server is
//! asked (`query`) how much it kept, and the upload goes on from there, never from zero.

use super::client::{sleep_unless_aborted, Client};
use super::error::{GphotosError, Retry};
use crate::cancel::Cancel;
use axum::body::Bytes;
use std::path::Path;
use std::sync::atomic::Ordering;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// A finished upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub token: String,
    /// The resumable protocol was used.
    pub resumable: bool,
}

/// Where a resumable session stands, as `query` answers.
enum Session {
    Active(u64),
    Final(String),
    Cancelled,
}

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
}

fn encoded_name(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn token_of(what: &'static str, r: reqwest::Response) -> Result<String, GphotosError> {
    let text = r.text().await.map_err(|e| GphotosError::Transport {
        what,
        message: e.to_string(),
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(GphotosError::Malformed {
            what,
            message: "an empty upload token".into(),
        });
    }
    Ok(token.to_string())
}

async fn read_at(path: &Path, offset: u64, len: u64) -> Result<Bytes, GphotosError> {
    let fail = |source| GphotosError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut file = tokio::fs::File::open(path).await.map_err(fail)?;
    file.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(fail)?;
    let mut buf = vec![0u8; len as usize];
    file.read_exact(&mut buf).await.map_err(fail)?;
    Ok(Bytes::from(buf))
}

impl Client {
    /// Uploads `path` (`size` bytes): raw up to `resumable_above` bytes, else resumable with
    /// chunks of about `chunk_size`. Failed requests are retried per the policy.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload(
        &self,
        path: &Path,
        size: u64,
        mime: &str,
        file_name: &str,
        resumable_above: u64,
        chunk_size: u64,
        cancel: &Cancel,
        on_retry: &(dyn Fn(u32, &GphotosError) + Send + Sync),
    ) -> Result<Uploaded, GphotosError> {
        if size <= resumable_above {
            let bytes = read_at(path, 0, size).await?;
            let token = self
                .retrying(cancel, on_retry, || {
                    self.raw(bytes.clone(), mime, file_name)
                })
                .await?;
            return Ok(Uploaded {
                token,
                resumable: false,
            });
        }
        let token = self
            .resumable(path, size, mime, file_name, chunk_size, cancel, on_retry)
            .await?;
        Ok(Uploaded {
            token,
            resumable: true,
        })
    }

    async fn raw(&self, bytes: Bytes, mime: &str, name: &str) -> Result<String, GphotosError> {
        const WHAT: &str = "uploading";
        let url = format!("{}/v1/uploads", self.config.endpoints.api);
        self.bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let r = self
            .api(WHAT, &|http, _| {
                http.post(&url)
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Goog-Upload-Content-Type", mime)
                    .header("X-Goog-Upload-Protocol", "raw")
                    .header("X-Goog-Upload-File-Name", encoded_name(name))
                    .body(bytes.clone())
            })
            .await?;
        token_of(WHAT, r).await
    }

    async fn start_session(
        &self,
        size: u64,
        mime: &str,
        name: &str,
    ) -> Result<(String, u64), GphotosError> {
        const WHAT: &str = "starting a resumable upload";
        let url = format!("{}/v1/uploads", self.config.endpoints.api);
        let r = self
            .api(WHAT, &|http, _| {
                http.post(&url)
                    .header("Content-Length", "0")
                    .header("X-Goog-Upload-Command", "start")
                    .header("X-Goog-Upload-Content-Type", mime)
                    .header("X-Goog-Upload-File-Name", encoded_name(name))
                    .header("X-Goog-Upload-Protocol", "resumable")
                    .header("X-Goog-Upload-Raw-Size", size.to_string())
            })
            .await?;
        let session = header(&r, "x-goog-upload-url");
        let granularity = header(&r, "x-goog-upload-chunk-granularity")
            .and_then(|g| g.parse::<u64>().ok())
            .filter(|g| *g > 0);
        match (session, granularity) {
            (Some(s), Some(g)) => Ok((s, g)),
            _ => Err(GphotosError::Malformed {
                what: WHAT,
                message: "no X-Goog-Upload-URL or chunk granularity".into(),
            }),
        }
    }

    /// Sends one chunk; the last one finalizes and returns the token.
    async fn chunk(
        &self,
        session: &str,
        offset: u64,
        bytes: Bytes,
        last: bool,
    ) -> Result<Option<String>, GphotosError> {
        const WHAT: &str = "uploading a chunk";
        self.bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let command = if last { "upload, finalize" } else { "upload" };
        let r = self
            .api(WHAT, &|http, _| {
                http.post(session)
                    .header("X-Goog-Upload-Command", command)
                    .header("X-Goog-Upload-Offset", offset.to_string())
                    .body(bytes.clone())
            })
            .await?;
        if last {
            return token_of(WHAT, r).await.map(Some);
        }
        Ok(None)
    }

    async fn query(&self, session: &str) -> Result<Session, GphotosError> {
        const WHAT: &str = "asking where a resumable upload stands";
        let r = self
            .api(WHAT, &|http, _| {
                http.post(session)
                    .header("Content-Length", "0")
                    .header("X-Goog-Upload-Command", "query")
            })
            .await?;
        let status = header(&r, "x-goog-upload-status").unwrap_or_default();
        let received = header(&r, "x-goog-upload-size-received").and_then(|v| v.parse().ok());
        match (status.as_str(), received) {
            ("final", _) => token_of(WHAT, r).await.map(Session::Final),
            ("active", Some(n)) => Ok(Session::Active(n)),
            ("cancelled", _) => Ok(Session::Cancelled),
            _ => Err(GphotosError::Malformed {
                what: WHAT,
                message: format!("status {status:?}, received {received:?}"),
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn resumable(
        &self,
        path: &Path,
        size: u64,
        mime: &str,
        name: &str,
        chunk_size: u64,
        cancel: &Cancel,
        on_retry: &(dyn Fn(u32, &GphotosError) + Send + Sync),
    ) -> Result<String, GphotosError> {
        let (session, granularity) = self
            .retrying(cancel, on_retry, || self.start_session(size, mime, name))
            .await?;
        let chunk = (chunk_size / granularity).max(1) * granularity;
        let mut offset = 0u64;
        let mut failures = 0u32;
        loop {
            if cancel.is_aborted() {
                return Err(GphotosError::Cancelled);
            }
            let len = chunk.min(size - offset);
            let last = offset + len == size;
            let bytes = read_at(path, offset, len).await?;
            let e = match self.chunk(&session, offset, bytes, last).await {
                Ok(Some(token)) => return Ok(token),
                Ok(None) => {
                    offset += len;
                    failures = 0;
                    continue;
                }
                Err(e) => e,
            };
            // A refused offset (400) is also settled by asking the server where it is.
            let settle =
                e.retry() != Retry::No || matches!(e, GphotosError::Http { status: 400, .. });
            failures += 1;
            if !settle || failures >= self.policy.max_attempts.max(1) {
                return Err(e);
            }
            on_retry(failures, &e);
            let kind = match e.retry() {
                Retry::No => Retry::Backoff,
                k => k,
            };
            sleep_unless_aborted(self.wait_for(kind, failures), cancel).await?;
            match self
                .retrying(cancel, on_retry, || self.query(&session))
                .await?
            {
                Session::Final(token) => return Ok(token),
                Session::Active(received) if received <= size => {
                    if received > 0 {
                        self.resumed.fetch_add(1, Ordering::Relaxed);
                    }
                    // Progress kept by the server counts as a chunk that went through.
                    if received > offset {
                        failures = 0;
                    }
                    offset = received;
                }
                Session::Active(received) => {
                    return Err(GphotosError::Malformed {
                        what: "resuming an upload",
                        message: format!("the server has {received} of {size} bytes"),
                    })
                }
                Session::Cancelled => {
                    return Err(GphotosError::Malformed {
                        what: "resuming an upload",
                        message: "the server cancelled the upload".into(),
                    })
                }
            }
        }
    }
}
