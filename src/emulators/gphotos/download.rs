//! `baseUrl` downloads (`=d`, `=dv`, or sized variants): never the original bytes, as Google
//! recompresses and strips GPS. The emulator serves a shortened copy (about 60% of the size),
//! streamed, so a client that hashes a download finds it differs. A baseUrl works for an hour;
//! HEAD gives the length, as rclone reads sizes.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use super::state::Shared;
use crate::emulators::flickr::server::lock;

/// Bytes served of a file of `size`.
pub fn served_len(size: u64) -> u64 {
    if size <= 1 {
        size
    } else {
        (size * 3 / 5).max(1)
    }
}

pub async fn download(
    State(shared): State<Arc<Shared>>,
    Path((id, rest)): Path<(String, String)>,
) -> Response {
    shared.count("download");
    let expires: Option<i64> = rest.split('=').next().and_then(|e| e.parse().ok());
    if expires.is_none_or(|e| e <= shared.now()) {
        return (StatusCode::FORBIDDEN, "Forbidden").into_response();
    }
    let item = lock(&shared.state)
        .items
        .iter()
        .find(|i| i.id == id)
        .cloned();
    let Some(item) = item else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let Ok(file) = tokio::fs::File::open(shared.blob(&item.md5)).await else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let len = served_len(item.size);
    (
        [
            (header::CONTENT_TYPE, item.mime.clone()),
            (header::CONTENT_LENGTH, len.to_string()),
        ],
        Body::from_stream(ReaderStream::new(file.take(len))),
    )
        .into_response()
}
