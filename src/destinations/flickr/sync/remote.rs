//! Flickr as the sync engine sees it: every call goes through the run's pacer, REST
//! calls are retried on transient failures with exponential backoff and jitter, and
//! Flickr's "slow down" answers pause the whole run.

use super::options::SyncOptions;
use crate::cancel::Cancel;
use crate::destinations::flickr::api::{Client, FlickrError, UploadAnswer};
use crate::net::pacer::{Cancelled, Pacer};
use crate::net::retry::{backoff, sleep_unless};
use std::path::Path;
use std::time::Duration;

/// Why a call gave up.
#[derive(Debug)]
pub enum Stop {
    Flickr(FlickrError),
    Cancelled,
}

impl From<Cancelled> for Stop {
    fn from(_: Cancelled) -> Stop {
        Stop::Cancelled
    }
}

pub struct Remote {
    client: Client,
    pub pacer: Pacer,
    pub cancel: Cancel,
    max_attempts: u32,
    retry_delay: Duration,
    /// The pause after HTTP 429: the budget is spent, so wait a good part of a window.
    throttle_pause: Duration,
    async_uploads: bool,
    lookup_delay: Duration,
}

impl Remote {
    /// A client of its own (same credentials and endpoints as `client`), so the run's
    /// connections live on the run's runtime and end with it.
    pub fn new(
        client: &Client,
        opts: &SyncOptions,
        cancel: &Cancel,
    ) -> Result<Remote, FlickrError> {
        let own = Client::new(client.credentials(), client.endpoints().clone())?;
        Ok(Remote {
            client: own,
            pacer: Pacer::new(opts.calls_per_hour, opts.budget_window),
            cancel: cancel.clone(),
            max_attempts: opts.max_attempts.max(1),
            retry_delay: opts.retry_delay,
            throttle_pause: opts.budget_window / 60,
            async_uploads: opts.async_uploads,
            lookup_delay: opts.lookup_delay,
        })
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before looking a lost upload up a second time.
    pub fn lookup_delay(&self) -> Duration {
        self.lookup_delay
    }

    /// Uploads are sent with `async=1` and answered with tickets.
    pub fn async_uploads(&self) -> bool {
        self.async_uploads
    }

    /// A REST call, retried on transient failures; `retried` hears of each retry.
    pub async fn rest(
        &self,
        method: &str,
        params: &[(&str, &str)],
        retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
    ) -> Result<serde_json::Value, Stop> {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut attempt = 1;
        loop {
            self.pacer.acquire(&self.cancel).await?;
            let error = match self.client.call(method, &params).await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if !error.is_retryable() || attempt >= self.max_attempts {
                return Err(Stop::Flickr(error));
            }
            retried(attempt, &error);
            self.wait_after(attempt, &error).await?;
            attempt += 1;
        }
    }

    /// One upload attempt, paced; the caller decides about retries.
    pub async fn upload(
        &self,
        path: &Path,
        params: &[(String, String)],
    ) -> Result<UploadAnswer, Stop> {
        self.pacer.acquire(&self.cancel).await?;
        self.client
            .upload(path, params, false)
            .await
            .map_err(Stop::Flickr)
    }

    /// Replaces the file of `photo_id` with `path`, retried on transient failures:
    /// sending the same bytes again is harmless.
    pub async fn replace(&self, path: &Path, photo_id: &str) -> Result<UploadAnswer, Stop> {
        let params = [("photo_id".to_string(), photo_id.to_string())];
        let mut attempt = 1;
        loop {
            self.pacer.acquire(&self.cancel).await?;
            let error = match self.client.upload(path, &params, true).await {
                Ok(answer) => return Ok(answer),
                Err(e) => e,
            };
            if !error.is_retryable() || attempt >= self.max_attempts {
                return Err(Stop::Flickr(error));
            }
            self.wait_after(attempt, &error).await?;
            attempt += 1;
        }
    }

    /// Downloads an original (restore). Not an API call: not paced.
    pub async fn download(
        &self,
        url: &str,
        sink: &mut (dyn FnMut(&[u8]) -> std::io::Result<()> + Send),
    ) -> Result<u64, FlickrError> {
        self.client.download(url, sink).await
    }

    /// Waits before try `attempt + 1`; Flickr's overload answers pause every caller.
    pub async fn wait_after(&self, attempt: u32, error: &FlickrError) -> Result<(), Stop> {
        let delay = backoff(self.retry_delay, attempt);
        if is_throttled(error) {
            let pause = self.throttle_pause.max(delay) * attempt.min(4);
            self.pacer.back_off(pause);
        } else if error.code() == Some(105) {
            self.pacer.back_off(delay);
        }
        self.pause(delay).await
    }

    /// Sleeps for `delay`, or until the cancel flag is set.
    pub async fn pause(&self, delay: Duration) -> Result<(), Stop> {
        match sleep_unless(delay, || self.cancel.is_cancelled()).await {
            true => Ok(()),
            false => Err(Stop::Cancelled),
        }
    }

    /// Every call let through so far.
    pub fn calls(&self) -> u64 {
        self.pacer.calls()
    }
}

/// A single-threaded runtime for one run (restore, verify, adopt) and its paced,
/// retrying remote; the caller's thread runs it, so its events stay on that thread.
pub fn connect(
    client: &Client,
    pacing: &super::options::Pacing,
    cancel: &Cancel,
) -> Result<(tokio::runtime::Runtime, Remote), super::SyncError> {
    let runtime = crate::engine::one::runtime().map_err(super::SyncError::Runtime)?;
    let remote = Remote::new(client, &pacing.sync_options(), cancel)
        .map_err(|e| super::SyncError::flickr("creating the HTTP client", e))?;
    Ok((runtime, remote))
}

/// HTTP 429: the key's hourly budget is spent.
pub fn is_throttled(error: &FlickrError) -> bool {
    matches!(error, FlickrError::Http { status: 429, .. })
}
