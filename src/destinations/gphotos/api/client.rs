//! The client's connection to Google: endpoints, the access token (refreshed a minute before
//! it expires, and once more if an API call says it is no longer good), the request budget,
//! the server's clock (from `Date`, for the Pacific quota day) and the retry policy.

use super::error::{GphotosError, Retry};
use crate::cancel::Cancel;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Where the API, the consent page and the token endpoint are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub api: String,
    pub authorize: String,
    pub token: String,
}

impl Endpoints {
    pub fn google() -> Endpoints {
        Endpoints {
            api: "https://photoslibrary.googleapis.com".into(),
            authorize: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            token: "https://oauth2.googleapis.com/token".into(),
        }
    }

    /// Everything under one base URL, as the emulator serves it.
    pub fn under(base: &str) -> Endpoints {
        let base = base.trim_end_matches('/');
        Endpoints {
            api: base.to_string(),
            authorize: format!("{base}/o/oauth2/auth"),
            token: format!("{base}/token"),
        }
    }

    pub fn for_endpoint(endpoint: Option<&str>) -> Endpoints {
        match endpoint.filter(|e| !e.is_empty()) {
            Some(e) => Endpoints::under(e),
            None => Endpoints::google(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
    pub endpoints: Endpoints,
}

/// How failures are retried.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Tries of one call (or one chunk without progress) before it fails.
    pub max_attempts: u32,
    /// The wait after a 429; Google asks for at least 30 s. Tests shorten it.
    pub rate_limit_wait: Duration,
    /// The first backoff after a 5xx or a lost connection; doubled each time, with jitter.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            rate_limit_wait: Duration::from_secs(30),
            backoff: Duration::from_secs(1),
        }
    }
}

pub(super) struct Access {
    pub token: String,
    pub expires_at: Instant,
}

pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) config: Config,
    pub(super) policy: RetryPolicy,
    pub(super) access: tokio::sync::Mutex<Option<Access>>,
    /// One batchCreate at a time for the user: Google answers a second with 429.
    pub(super) writing: tokio::sync::Mutex<()>,
    clock_offset: AtomicI64,
    clock_known: AtomicBool,
    calls: AtomicU64,
    budget: AtomicU64,
    pub(super) bytes_sent: AtomicU64,
    pub(super) resumed: AtomicU64,
    /// Google's own words when it said the day's quota is spent.
    quota_said: std::sync::Mutex<Option<String>>,
}

/// A failure while building the HTTP client.
fn transport(what: &'static str, e: impl std::fmt::Display) -> GphotosError {
    GphotosError::Transport {
        what,
        message: e.to_string(),
    }
}

impl Client {
    pub fn new(config: Config, policy: RetryPolicy) -> Result<Client, GphotosError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("photosync/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(30))
            .read_timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| transport("creating the HTTP client", e))?;
        Ok(Client {
            http,
            config,
            policy,
            access: tokio::sync::Mutex::new(None),
            writing: tokio::sync::Mutex::new(()),
            clock_offset: AtomicI64::new(0),
            clock_known: AtomicBool::new(false),
            calls: AtomicU64::new(0),
            budget: AtomicU64::new(u64::MAX),
            bytes_sent: AtomicU64::new(0),
            resumed: AtomicU64::new(0),
            quota_said: std::sync::Mutex::new(None),
        })
    }

    /// A client of its own with the same settings: connections belong to the tokio runtime
    /// that opened them, so each run (each runtime) needs its own.
    pub fn renewed(&self) -> Result<Client, GphotosError> {
        Client::new(self.config.clone(), self.policy.clone())
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// API requests sent (token refreshes are not API requests).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Refuses API requests past `calls` in all (with [`GphotosError::QuotaSpent`]).
    pub fn set_budget(&self, calls: u64) {
        self.budget.store(calls, Ordering::Relaxed);
    }

    pub fn budget_left(&self) -> u64 {
        self.budget
            .load(Ordering::Relaxed)
            .saturating_sub(self.calls())
    }

    /// Google's message, when it said the day's quota is spent (not photosync's own count).
    pub fn quota_said(&self) -> Option<String> {
        self.quota_said.lock().ok().and_then(|s| s.clone())
    }

    /// Upload bytes put on the wire, resent ones included.
    pub fn bytes_sent(&self) -> u64 {
        self.bytes_sent.load(Ordering::Relaxed)
    }

    /// Resumable uploads that went on from the server's offset after a failure.
    pub fn resumed(&self) -> u64 {
        self.resumed.load(Ordering::Relaxed)
    }

    /// Unix seconds on Google's clock, as far as its `Date` headers told (else ours).
    pub fn server_now(&self) -> i64 {
        chrono::Utc::now().timestamp() + self.clock_offset.load(Ordering::Relaxed)
    }

    pub fn clock_known(&self) -> bool {
        self.clock_known.load(Ordering::Relaxed)
    }

    pub(super) fn note_date(&self, headers: &reqwest::header::HeaderMap) {
        let date = headers
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
        if let Some(date) = date {
            let offset = date.timestamp() - chrono::Utc::now().timestamp();
            self.clock_offset.store(offset, Ordering::Relaxed);
            self.clock_known.store(true, Ordering::Relaxed);
        }
    }

    fn take_call(&self) -> Result<(), GphotosError> {
        let before = self.calls.fetch_add(1, Ordering::Relaxed);
        if before >= self.budget.load(Ordering::Relaxed) {
            self.calls.fetch_sub(1, Ordering::Relaxed);
            return Err(GphotosError::QuotaSpent);
        }
        Ok(())
    }

    /// One API request with the bearer token. A 401 gets a fresh token and one more try;
    /// any other status outside 2xx becomes [`GphotosError::Http`] (a per-day 429:
    /// [`GphotosError::QuotaSpent`]).
    pub(super) async fn api(
        &self,
        what: &'static str,
        build: &(dyn Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder + Send + Sync),
    ) -> Result<reqwest::Response, GphotosError> {
        let mut renewed = false;
        loop {
            let token = self.access_token().await?;
            self.take_call()?;
            let response = build(&self.http, &token)
                .bearer_auth(&token)
                .send()
                .await
                .map_err(|e| transport(what, error_chain(&e)))?;
            self.note_date(response.headers());
            let status = response.status().as_u16();
            if status == 401 && !renewed {
                renewed = true;
                *self.access.lock().await = None;
                continue;
            }
            if (200..300).contains(&status) {
                return Ok(response);
            }
            let body = response.text().await.unwrap_or_default();
            let message = error_message(&body);
            if GphotosError::is_daily_quota(status, &message) {
                if let Ok(mut said) = self.quota_said.lock() {
                    *said = Some(message);
                }
                return Err(GphotosError::QuotaSpent);
            }
            return Err(GphotosError::Http {
                what,
                status,
                message,
            });
        }
    }

    /// Runs `call` until it works, fails for good, or the tries are used up: 429 waits
    /// `rate_limit_wait`, 5xx and lost connections back off; `on_retry` hears of each.
    pub async fn retrying<T, F, Fut>(
        &self,
        cancel: &Cancel,
        on_retry: &(dyn Fn(u32, &GphotosError) + Send + Sync),
        mut call: F,
    ) -> Result<T, GphotosError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, GphotosError>>,
    {
        let mut attempt = 1;
        loop {
            if cancel.is_aborted() {
                return Err(GphotosError::Cancelled);
            }
            let e = match call().await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let wait = match e.retry() {
                Retry::No => return Err(e),
                _ if attempt >= self.policy.max_attempts.max(1) => return Err(e),
                kind => self.wait_for(kind, attempt),
            };
            on_retry(attempt, &e);
            sleep_unless_aborted(wait, cancel).await?;
            attempt += 1;
        }
    }

    pub(super) fn wait_for(&self, kind: Retry, attempt: u32) -> Duration {
        match kind {
            Retry::RateLimited => self.policy.rate_limit_wait,
            _ => crate::net::retry::backoff(self.policy.backoff, attempt),
        }
    }
}

pub(super) async fn sleep_unless_aborted(
    wait: Duration,
    cancel: &Cancel,
) -> Result<(), GphotosError> {
    match crate::net::retry::sleep_unless(wait, || cancel.is_aborted()).await {
        true => Ok(()),
        false => Err(GphotosError::Cancelled),
    }
}

/// reqwest's message and its causes, which say what actually went wrong.
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Google's `{"error":{"message"}}`, the uploads endpoint's bare `{"message"}`, or the text.
pub(super) fn error_message(body: &str) -> String {
    let value: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let message = value.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error_description"))
            .and_then(|m| m.as_str())
    });
    match message {
        Some(m) => m.to_string(),
        None => body.chars().take(300).collect(),
    }
}
