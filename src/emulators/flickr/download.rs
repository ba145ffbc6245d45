//! Serves stored originals at `/originals/<file>` (the `source` of getSizes' Original and the
//! `url_o` extra), streamed from disk so large videos do not sit in memory.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use super::server::{lock, Shared};

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap_or("") {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "tiff" => "image/tiff",
        "bmp" => "image/bmp",
        "heic" => "image/heic",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        _ => "application/octet-stream",
    }
}

pub async fn original(State(shared): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    let known = lock(&shared.store).photos.values().any(|p| p.file == file);
    if !known {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    let path = shared.originals.join(&file);
    let Ok(handle) = tokio::fs::File::open(&path).await else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let len = match handle.metadata().await {
        Ok(meta) => meta.len(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type(&file).to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
        ],
        Body::from_stream(ReaderStream::new(handle)),
    )
        .into_response()
}
