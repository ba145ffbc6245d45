//! The gate every API request passes, in Google's order: the call is counted; the bearer token
//! is checked (401) and its scopes (403; the uploads endpoint answers both with its bare 401);
//! the project's daily quota is taken (429); a batchCreate claims the user's single write slot
//! (429 "concurrent write request"); the latency is slept (holding that slot, as the server's
//! own work would); then the seeded fault is drawn.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use super::faults::FaultKind;
use super::reply;
use super::scopes;
use super::state::Shared;
use crate::emulators::flickr::server::{lock, ConnectionKill};

/// Who may make a call.
pub enum Auth<'a> {
    /// A bearer token holding one of these scopes.
    Bearer(&'a [&'static str]),
    /// A resumable session's URL, which names its client.
    Session(String),
}

pub struct Spec<'a> {
    /// The name counted in `call_counts`.
    pub method: &'static str,
    pub auth: Auth<'a>,
    /// `/v1/uploads`: errors of authentication are the bare 401.
    pub uploads: bool,
    /// batchCreate: one at a time per user.
    pub write: bool,
}

/// A request let through: its app (client id), and a fault the handler carries out.
pub struct Pass {
    pub client: String,
    pub fault: Option<FaultKind>,
    pub _writer: Option<Writer>,
}

/// The user's write slot; released when dropped (also when the handler is dropped midway).
pub struct Writer(Arc<Shared>);

impl Drop for Writer {
    fn drop(&mut self) {
        self.0.writing.store(false, Ordering::Release);
    }
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    needed: &[&str],
    uploads: bool,
) -> Result<String, Response> {
    let unauthenticated = || {
        if uploads {
            reply::bare_unauthenticated()
        } else {
            reply::unauthenticated()
        }
    };
    let now = shared.now();
    let state = lock(&shared.state);
    let access = bearer(headers)
        .and_then(|t| state.access.get(t))
        .filter(|a| !a.revoked && a.expires > now)
        .ok_or_else(unauthenticated)?;
    if !scopes::allows(&access.scopes, needed) {
        return Err(if uploads {
            reply::bare_unauthenticated()
        } else {
            reply::insufficient_scopes()
        });
    }
    Ok(access.client.clone())
}

pub async fn gate(
    shared: &Arc<Shared>,
    kill: &ConnectionKill,
    headers: &HeaderMap,
    spec: Spec<'_>,
) -> Result<Pass, Response> {
    shared.count(spec.method);
    // A read has no work to keep: "work done, answer lost" is just a lost answer.
    let reads_only = matches!(spec.auth, Auth::Bearer(needed) if needed == [scopes::READONLY_APP]);
    let client = match spec.auth {
        Auth::Bearer(needed) => authenticate(shared, headers, needed, spec.uploads)?,
        Auth::Session(client) => client,
    };
    {
        let now = shared.now();
        let mut state = lock(&shared.state);
        if !state.quota.take(&client, now) {
            let project = state.project_of(&client);
            // Both wordings of the daily limit: 'All requests per day' (rclone/rclone#3736,
            // ylexus/jiotty-photos-uploader#12) and the metric named in one word, as Cloud
            // quota metrics are ('ApiCallsPerProjectPerDay', issue 13).
            let (metric, limit) = match state.rng.below(2) {
                0 => ("All requests", "All requests per day"),
                _ => ("ApiCallsPerProjectPerDay", "ApiCallsPerProjectPerDay"),
            };
            return Err(reply::quota_exceeded(metric, limit, &project));
        }
    }
    let writer = if spec.write {
        if shared.writing.swap(true, Ordering::AcqRel) {
            let project = lock(&shared.state).project_of(&client);
            return Err(reply::quota_exceeded(
                "Write requests",
                "concurrent write request",
                &project,
            ));
        }
        Some(Writer(shared.clone()))
    } else {
        None
    };
    let latency = lock(&shared.faults).latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = lock(&shared.faults).draw();
    let project = || lock(&shared.state).project_of(&client);
    match fault {
        Some(FaultKind::Http500) => Err(reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error encountered.",
        )),
        Some(FaultKind::Http503) => Err(reply::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is currently unavailable.",
        )),
        // The per-minute limit, in both wordings: 'WritesPerMinutePerUser' (rclone/rclone#3677)
        // and 'Write requests per minute per user' (issue 13).
        Some(FaultKind::Http429) => {
            let limit = match lock(&shared.state).rng.below(2) {
                0 => "WritesPerMinutePerUser",
                _ => "Write requests per minute per user",
            };
            Err(reply::quota_exceeded("Write requests", limit, &project()))
        }
        Some(FaultKind::Aborted) => Err(reply::error(
            StatusCode::CONFLICT,
            "The operation was aborted.",
        )),
        Some(FaultKind::DropBeforeAnswer) => Err(kill.drop_connection().await),
        Some(FaultKind::DropAfterWork) if reads_only => Err(kill.drop_connection().await),
        Some(FaultKind::CutUpload) if !spec.uploads => Err(kill.drop_connection().await),
        Some(FaultKind::ItemFailed) if !spec.write => Ok(Pass {
            client,
            fault: None,
            _writer: writer,
        }),
        fault => Ok(Pass {
            client,
            fault,
            _writer: writer,
        }),
    }
}
