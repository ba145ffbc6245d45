//! `POST /v1/uploads`: the raw protocol (the body is the file; the answer is the upload token as
//! plain text) and the resumable one (`start` names an upload URL and the chunk granularity;
//! `upload` at `X-Goog-Upload-Offset`, every chunk but the last a multiple of the granularity;
//! `finalize` answers the token; `query` tells the status and bytes received; `cancel`).
//! Upload tokens belong to the app that uploaded and live a day.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use md5::{Digest, Md5};

use super::blobs::{self, Cut};
use super::faults::FaultKind;
use super::gate::{gate, Auth, Spec};
use super::reply;
use super::scopes::APPENDONLY;
use super::state::{Session, SessionStatus, Shared, UploadToken};
use crate::emulators::flickr::server::{lock, ConnectionKill};

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    header_text(headers, "content-length").and_then(|v| v.parse().ok())
}

fn with_headers(mut response: Response, pairs: &[(&'static str, String)]) -> Response {
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), v);
        }
    }
    response
}

fn plain(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Where a cut upload of `len` bytes stops, keeping whole granules.
fn cut_of(len: Option<u64>, granularity: u64) -> Cut {
    let read = len.unwrap_or(1).div_ceil(2).max(1);
    Cut {
        read,
        keep: read / granularity * granularity,
    }
}

fn mint_token(
    shared: &Shared,
    client: &str,
    md5: String,
    size: u64,
    headers: &HeaderMap,
) -> String {
    mint(shared, client, md5, size, upload_name(headers))
}

fn upload_name(headers: &HeaderMap) -> Option<String> {
    header_text(headers, "x-goog-upload-file-name").map(|n| {
        percent_encoding::percent_decode_str(n)
            .decode_utf8_lossy()
            .into_owned()
    })
}

fn mint(
    shared: &Shared,
    client: &str,
    md5: String,
    size: u64,
    file_name: Option<String>,
) -> String {
    let now = shared.now();
    let mut state = lock(&shared.state);
    let token = state.new_id("CAIS", 120);
    let upload = UploadToken {
        client: client.to_string(),
        md5,
        size,
        file_name,
        created: now,
    };
    state.upload_tokens.insert(token.clone(), upload);
    token
}

pub async fn handle(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let session = uri.query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "upload_id")
            .map(|(_, v)| v.into_owned())
    });
    if let Some(id) = session {
        return resumable(shared, kill, id, headers, body).await;
    }
    let protocol = header_text(&headers, "x-goog-upload-protocol").unwrap_or("raw");
    let command = header_text(&headers, "x-goog-upload-command").unwrap_or("");
    match (protocol, command) {
        ("resumable", "start") => start(shared, kill, headers).await,
        ("resumable", _) => {
            reply::invalid("A resumable upload begins with X-Goog-Upload-Command: start.")
        }
        _ => raw(shared, kill, headers, body).await,
    }
}

async fn raw(
    shared: Arc<Shared>,
    kill: ConnectionKill,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let spec = Spec {
        method: "uploads",
        auth: Auth::Bearer(&[APPENDONLY]),
        uploads: true,
        write: false,
    };
    let pass = match gate(&shared, &kill, &headers, spec).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let part = blobs::incoming(&shared.blobs);
    let cut = (pass.fault == Some(FaultKind::CutUpload))
        .then(|| cut_of(content_length(&headers), u64::MAX));
    let mut hasher = Md5::new();
    let received = blobs::receive(body, &part, 0, &mut hasher, cut).await;
    let received = match received {
        Ok(r) if r.complete => r,
        Ok(_) => {
            let _ = tokio::fs::remove_file(&part).await;
            return kill.drop_connection().await;
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&part).await;
            return reply::invalid(&e.to_string());
        }
    };
    if received.written == 0 {
        let _ = tokio::fs::remove_file(&part).await;
        return reply::invalid("The upload is empty.");
    }
    let md5 = blobs::hex(hasher);
    if let Err(e) = blobs::store(&part, &shared.blob(&md5)).await {
        return reply::error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    }
    let token = mint_token(&shared, &pass.client, md5, received.written, &headers);
    if pass.fault == Some(FaultKind::DropAfterWork) {
        return kill.drop_connection().await;
    }
    plain(StatusCode::OK, token)
}

async fn start(shared: Arc<Shared>, kill: ConnectionKill, headers: HeaderMap) -> Response {
    let spec = Spec {
        method: "uploads.start",
        auth: Auth::Bearer(&[APPENDONLY]),
        uploads: true,
        write: false,
    };
    let pass = match gate(&shared, &kill, &headers, spec).await {
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

async fn resumable(
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
    let spec = Spec {
        method,
        auth: Auth::Session(client),
        uploads: true,
        write: false,
    };
    let pass = match gate(&shared, &kill, &headers, spec).await {
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
