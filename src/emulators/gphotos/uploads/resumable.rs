//! The resumable upload protocol of `POST /v1/uploads`: `start` names an upload URL and the
//! chunk granularity; `upload` at `X-Goog-Upload-Offset`, every chunk but the last a multiple
//! of the granularity; `finalize` answers the token; `query` tells the status and bytes
//! received; `cancel`. A session's bytes wait in a part file beside the blobs until finalized.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use md5::{Digest, Md5};

use super::super::blobs;
use super::super::faults::FaultKind;
use super::super::gate::Auth;
use super::super::reply;
use super::super::state::{Session, SessionStatus, Shared};
use super::{
    content_length, cut_of, header_text, let_through, mint, plain, upload_name, with_headers,
    APPEND_ONLY,
};
use crate::emulators::flickr::server::{lock, ConnectionKill};

pub(super) async fn start(
    shared: Arc<Shared>,
    kill: ConnectionKill,
    headers: HeaderMap,
) -> Response {
    let pass = match let_through(&shared, &kill, &headers, "uploads.start", APPEND_ONLY).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let raw_size = match header_text(&headers, "x-goog-upload-raw-size") {
        None => None,
        Some(v) => match v.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => return reply::invalid("X-Goog-Upload-Raw-Size is not a number."),
        },
    };
    let id = {
        let mut state = lock(&shared.state);
        let id = state.new_id("AEnB2U", 64);
        let session = Session {
            client: pass.client.clone(),
            file: shared.blobs.join(format!("session-{id}.part")),
            hasher: Md5::new(),
            received: 0,
            raw_size,
            status: SessionStatus::Active,
            token: None,
            file_name: upload_name(&headers),
        };
        state.sessions.insert(id.clone(), session);
        id
    };
    if pass.fault == Some(FaultKind::DropAfterWork) {
        return kill.drop_connection().await;
    }
    with_headers(
        StatusCode::OK.into_response(),
        &[
            ("x-goog-upload-status", "active".to_string()),
            (
                "x-goog-upload-url",
                format!(
                    "{}/v1/uploads?upload_id={id}&upload_protocol=resumable",
                    shared.endpoint
                ),
            ),
            (
                "x-goog-upload-chunk-granularity",
                shared.limits.chunk_granularity.to_string(),
            ),
        ],
    )
}

/// The answer telling where a session stands; with the token once final.
fn status_of(session: &Session, status: StatusCode) -> Response {
    let body = match (&session.token, session.status) {
        (Some(token), SessionStatus::Final) => token.clone(),
        _ => String::new(),
    };
    with_headers(
        plain(status, body),
        &[
            ("x-goog-upload-status", session.status.as_str().to_string()),
            ("x-goog-upload-size-received", session.received.to_string()),
        ],
    )
}

pub(super) async fn resume(
    shared: Arc<Shared>,
    kill: ConnectionKill,
    id: String,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(client) = lock(&shared.state)
        .sessions
        .get(&id)
        .map(|s| s.client.clone())
    else {
        return plain(StatusCode::NOT_FOUND, "Not Found".to_string());
    };
    let Some((method, finalize)) = command_of(&headers) else {
        return reply::invalid("Unknown X-Goog-Upload-Command.");
    };
    let pass = match let_through(&shared, &kill, &headers, method, Auth::Session(client)).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(snapshot) = lock(&shared.state).sessions.get(&id).cloned() else {
        return plain(StatusCode::NOT_FOUND, "Not Found".to_string());
    };
    if method == "uploads.query" {
        return status_of(&snapshot, StatusCode::OK);
    }
    if method == "uploads.cancel" {
        let _ = tokio::fs::remove_file(&snapshot.file).await;
        if let Some(s) = lock(&shared.state).sessions.get_mut(&id) {
            s.status = SessionStatus::Cancelled;
        }
        return plain(StatusCode::OK, String::new());
    }
    match snapshot.status {
        // A finalize repeated after a lost answer gets the same token.
        SessionStatus::Final => return status_of(&snapshot, StatusCode::OK),
        SessionStatus::Cancelled => return status_of(&snapshot, StatusCode::BAD_REQUEST),
        SessionStatus::Active => {}
    }
    let offset = header_text(&headers, "x-goog-upload-offset").and_then(|v| v.parse::<u64>().ok());
    let offset = match offset {
        Some(o) => o,
        None if method == "uploads.finalize" => snapshot.received,
        None => return reply::invalid("X-Goog-Upload-Offset is missing."),
    };
    if offset != snapshot.received {
        return status_of(&snapshot, StatusCode::BAD_REQUEST);
    }
    let granularity = shared.limits.chunk_granularity;
    let cut = (pass.fault == Some(FaultKind::CutUpload))
        .then(|| cut_of(content_length(&headers), granularity));
    let mut hasher = snapshot.hasher.clone();
    let received = match blobs::receive(body, &snapshot.file, offset, &mut hasher, cut).await {
        Ok(r) => r,
        Err(e) => return reply::invalid(&e.to_string()),
    };
    if received.complete && !finalize && received.written % granularity != 0 {
        return with_headers(
            reply::invalid(&format!(
                "Every chunk but the last must be a multiple of {granularity} bytes."
            )),
            &[("x-goog-upload-status", "active".to_string())],
        );
    }
    let total = offset + received.written;
    if received.complete && finalize && snapshot.raw_size.is_some_and(|n| n != total) {
        return status_of(&snapshot, StatusCode::BAD_REQUEST);
    }
    {
        let mut state = lock(&shared.state);
        let Some(session) = state.sessions.get_mut(&id) else {
            return plain(StatusCode::NOT_FOUND, "Not Found".to_string());
        };
        if session.received != offset || session.status != SessionStatus::Active {
            return status_of(session, StatusCode::CONFLICT);
        }
        session.received = total;
        session.hasher = hasher.clone();
    }
    if !received.complete {
        return kill.drop_connection().await;
    }
    if !finalize {
        if pass.fault == Some(FaultKind::DropAfterWork) {
            return kill.drop_connection().await;
        }
        let mut done = snapshot;
        done.received = total;
        return status_of(&done, StatusCode::OK);
    }
    finalized(&shared, &kill, pass.fault, &id, snapshot, hasher, total).await
}

/// The API method an `X-Goog-Upload-Command` names, and whether it finalizes.
fn command_of(headers: &HeaderMap) -> Option<(&'static str, bool)> {
    let command = header_text(headers, "x-goog-upload-command").unwrap_or("");
    let commands: Vec<&str> = command.split(',').map(str::trim).collect();
    let has = |c: &str| commands.contains(&c);
    let method = if has("query") {
        "uploads.query"
    } else if has("cancel") {
        "uploads.cancel"
    } else if has("upload") {
        "uploads.upload"
    } else if has("finalize") {
        "uploads.finalize"
    } else {
        return None;
    };
    Some((method, has("finalize")))
}

/// The last chunk is in: the bytes stored under their MD5, an upload token minted, and
/// the session final (a finalize repeated after a lost answer gets the same token).
async fn finalized(
    shared: &Arc<Shared>,
    kill: &ConnectionKill,
    fault: Option<FaultKind>,
    id: &str,
    snapshot: Session,
    hasher: Md5,
    total: u64,
) -> Response {
    let md5 = blobs::hex(hasher);
    if let Err(e) = blobs::store(&snapshot.file, &shared.blob(&md5)).await {
        return reply::error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    }
    let token = mint(
        shared,
        &snapshot.client,
        md5,
        total,
        snapshot.file_name.clone(),
    );
    let finished = {
        let mut state = lock(&shared.state);
        let Some(session) = state.sessions.get_mut(id) else {
            return plain(StatusCode::NOT_FOUND, "Not Found".to_string());
        };
        session.status = SessionStatus::Final;
        session.token = Some(token);
        session.clone()
    };
    if fault == Some(FaultKind::DropAfterWork) {
        return kill.drop_connection().await;
    }
    status_of(&finished, StatusCode::OK)
}
