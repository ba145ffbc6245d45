//! `/services/upload/` and `/services/replace/`: multipart POSTs whose `photo` part is streamed
//! to disk as received (MD5 and size computed on the way, never held in memory), every other
//! field (and the query, and the OAuth header) signed. Answers are always XML: `<photoid>`, or
//! `<ticketid>` with `async=1`. Refusals use the upload API's codes (2 no photo, 3 general
//! failure, 4 empty, 5 type not recognised, 8 too large).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Extension;
use md5::{Digest, Md5};
use tokio::io::AsyncWriteExt;

use super::accept::accept;
use super::answer::Format;
use super::filetype::{self, FileType};
use super::rest::{header_params, ApiError};
use super::server::{self, flickr_answer, ConnectionKill, Gate, Shared};

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the multipart body could not be read: {0}")]
    Multipart(String),
    #[error("could not write the upload to {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The `photo` part as received.
pub(super) struct Received {
    pub temp: PathBuf,
    pub md5: String,
    pub size: u64,
    pub file_type: Option<FileType>,
    pub too_large: bool,
    pub name: String,
}

static INCOMING: AtomicU64 = AtomicU64::new(0);

async fn receive(mut field: Field<'_>, shared: &Shared) -> Result<Received, UploadError> {
    let temp = shared.originals.join(format!(
        "incoming-{}-{}.part",
        std::process::id(),
        INCOMING.fetch_add(1, Ordering::Relaxed)
    ));
    let write_err = |source| UploadError::Write {
        path: temp.clone(),
        source,
    };
    let mut file = tokio::fs::File::create(&temp).await.map_err(write_err)?;
    let name = field.file_name().unwrap_or("").to_string();
    let (mut md5, mut head, mut size, mut too_large) = (Md5::new(), Vec::new(), 0u64, false);
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| UploadError::Multipart(e.to_string()))?
    {
        if head.len() < filetype::HEAD_LEN {
            let take = (filetype::HEAD_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        size += chunk.len() as u64;
        let video = filetype::sniff(&head).is_some_and(|t| t.video);
        let limit = if video {
            shared.max_video_bytes
        } else {
            shared.max_photo_bytes
        };
        if size > limit {
            // Keep reading (and dropping) so the client gets the answer, not a reset.
            too_large = true;
            continue;
        }
        md5.update(&chunk);
        file.write_all(&chunk).await.map_err(write_err)?;
    }
    file.flush().await.map_err(write_err)?;
    Ok(Received {
        temp: temp.clone(),
        md5: format!("{:x}", md5.finalize()),
        size,
        file_type: filetype::sniff(&head),
        too_large,
        name,
    })
}

/// Reads every part: text fields into `params`, `photo` to disk.
async fn read_parts(
    multipart: &mut Multipart,
    shared: &Shared,
    params: &mut Vec<(String, String)>,
) -> Result<Option<Received>, UploadError> {
    let mut photo = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| UploadError::Multipart(e.to_string()))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            if let Some(old) = photo.replace(receive(field, shared).await?) {
                discard(&old);
            }
        } else if field.file_name().is_some() {
            // Other files are not part of Flickr's API; drain them.
            let _ = field.bytes().await;
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| UploadError::Multipart(e.to_string()))?;
            params.push((name, value));
        }
    }
    Ok(photo)
}

fn discard(received: &Received) {
    let _ = std::fs::remove_file(&received.temp);
}

pub(super) enum Kind {
    Upload,
    Replace,
}

pub async fn handle_upload(
    state: State<Arc<Shared>>,
    kill: Extension<ConnectionKill>,
    request: Request,
) -> Response {
    handle(Kind::Upload, state, kill, request).await
}

pub async fn handle_replace(
    state: State<Arc<Shared>>,
    kill: Extension<ConnectionKill>,
    request: Request,
) -> Response {
    handle(Kind::Replace, state, kill, request).await
}

/// flickraw writes `multipart/form-data, boundary=FlickRaw<base64>` (a comma, and `+/=` in an
/// unquoted boundary); Flickr takes it, so the header is rewritten with the boundary quoted.
fn fix_content_type(headers: &mut HeaderMap) {
    let fixed = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
        .and_then(|v| v.split_once("boundary="))
        .map(|(_, rest)| {
            rest.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string()
        })
        .filter(|b| !b.is_empty() && !b.contains('"'))
        .and_then(|b| {
            HeaderValue::from_str(&format!("multipart/form-data; boundary=\"{b}\"")).ok()
        });
    if let Some(value) = fixed {
        headers.insert(header::CONTENT_TYPE, value);
    }
}

async fn handle(
    kind: Kind,
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    request: Request,
) -> Response {
    let (mut parts, body) = request.into_parts();
    fix_content_type(&mut parts.headers);
    let (method, uri, headers) = (
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
    );
    let multipart = Multipart::from_request(Request::from_parts(parts, body), &()).await;
    let format = Format::Xml;
    shared.count(match kind {
        Kind::Upload => "upload",
        Kind::Replace => "replace",
    });
    let mut params: Vec<(String, String)> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let photo = match multipart {
        Err(rejection) => {
            return flickr_answer(
                &format,
                Err((3, format!("General upload failure: {rejection}"))),
            )
        }
        Ok(mut multipart) => match read_parts(&mut multipart, &shared, &mut params).await {
            Ok(photo) => photo,
            Err(e) => {
                return flickr_answer(&format, Err((3, format!("General upload failure: {e}"))))
            }
        },
    };
    params.extend(header_params(&headers));
    let drop_after = match server::gate(&shared, &format).await {
        Gate::Proceed { drop_after } => drop_after,
        Gate::Answer(response) => {
            photo.iter().for_each(discard);
            return response;
        }
        Gate::Drop => {
            photo.iter().for_each(discard);
            return kill.drop_connection().await;
        }
    };
    let result = accept(
        &kind,
        &shared,
        &method,
        &uri,
        &headers,
        &params,
        photo.as_ref(),
    );
    if let Some(received) = &photo {
        discard(received); // already renamed when accepted
    }
    let response = match result {
        Err(ApiError {
            code,
            message,
            extra: Some((name, value)),
        }) => super::answer::fail_with(code, &message, name, &value),
        other => flickr_answer(&format, other.map_err(|e| (e.code, e.message))),
    };
    if drop_after {
        return kill.drop_connection().await;
    }
    response
}
