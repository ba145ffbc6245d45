//! `POST /v1/uploads`: the two protocols told apart, and the raw one (the body is the file;
//! the answer is the upload token as plain text); the resumable one is in [`resumable`].
//! Upload tokens belong to the app that uploaded and live a day.

mod resumable;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use md5::{Digest, Md5};

use super::blobs::{self, Cut};
use super::faults::FaultKind;
use super::gate::{gate, Auth, Pass, Spec};
use super::reply;
use super::scopes::APPENDONLY;
use super::state::{Shared, UploadToken};
use crate::emulators::flickr::server::{lock, ConnectionKill};

/// A bearer token holding the append-only scope: what an upload, or a session's start, needs.
const APPEND_ONLY: Auth<'static> = Auth::Bearer(&[APPENDONLY]);

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
        return resumable::resume(shared, kill, id, headers, body).await;
    }
    let protocol = header_text(&headers, "x-goog-upload-protocol").unwrap_or("raw");
    let command = header_text(&headers, "x-goog-upload-command").unwrap_or("");
    match (protocol, command) {
        ("resumable", "start") => resumable::start(shared, kill, headers).await,
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
    let pass = match let_through(&shared, &kill, &headers, "uploads", APPEND_ONLY).await {
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

/// Lets an upload request through the gate, or tells the answer it gets instead.
async fn let_through(
    shared: &Arc<Shared>,
    kill: &ConnectionKill,
    headers: &HeaderMap,
    method: &'static str,
    auth: Auth<'_>,
) -> Result<Pass, Response> {
    let spec = Spec {
        method,
        auth,
        uploads: true,
        write: false,
    };
    gate(shared, kill, headers, spec).await
}
