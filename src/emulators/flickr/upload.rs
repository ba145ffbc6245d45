//! `/services/upload/` and `/services/replace/`: multipart POSTs whose `photo` part is streamed
//! to disk as received (MD5 and size computed on the way, never held in memory), every other
//! field (and the query, and the OAuth header) signed. Answers are always XML: `<photoid>`, or
//! `<ticketid>` with `async=1`. Refusals use the upload API's codes (2 no photo, 3 general
//! failure, 4 empty, 5 type not recognised, 8 too large).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::Response;
use axum::Extension;
use md5::{Digest, Md5};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use super::answer::Format;
use super::clock;
use super::filetype::{self, FileType};
use super::rest::{header_params, ApiError};
use super::server::{self, flickr_answer, lock, ConnectionKill, Gate, Shared};
use super::store::{Photo, Ticket};
use super::tags;
use super::tokens::{Perms, SignedRequest};

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
struct Received {
    temp: PathBuf,
    md5: String,
    size: u64,
    file_type: Option<FileType>,
    too_large: bool,
    name: String,
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

/// The EXIF DateTimeOriginal (or DateTime) from the start of a stored file.
fn exif_taken(path: &Path) -> Option<String> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(256 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    let exif = ::exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(head))
        .ok()?;
    [::exif::Tag::DateTimeOriginal, ::exif::Tag::DateTime]
        .iter()
        .find_map(|tag| exif.get_field(*tag, ::exif::In::PRIMARY))
        .and_then(|field| match &field.value {
            ::exif::Value::Ascii(parts) => parts
                .first()
                .map(|b| String::from_utf8_lossy(b).to_string()),
            _ => None,
        })
        .and_then(|text| clock::normalise_taken(&text))
}

enum Kind {
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
    let response = flickr_answer(&format, result.map_err(|e| (e.code, e.message)));
    if drop_after {
        return kill.drop_connection().await;
    }
    response
}

fn accept(
    kind: &Kind,
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    params: &[(String, String)],
    photo: Option<&Received>,
) -> Result<serde_json::Value, ApiError> {
    let uri_text = server::request_uri(headers, uri.path(), &shared.endpoint);
    let request = SignedRequest {
        method: method.as_str(),
        uri: &uri_text,
        params,
    };
    let caller = lock(&shared.tokens)
        .verify(&request, clock::now())
        .map_err(|e| ApiError::new(e.code(), e.to_string()))?;
    if caller.perms() < Perms::Write {
        return Err(ApiError::new(
            99,
            "Insufficient permissions. Method requires write privileges.",
        ));
    }
    let received = photo.ok_or_else(|| ApiError::new(2, "No photo specified"))?;
    if received.too_large {
        return Err(ApiError::new(8, "Filesize was too large"));
    }
    if received.size == 0 {
        return Err(ApiError::new(4, "Filesize was zero"));
    }
    let file_type = received
        .file_type
        .ok_or_else(|| ApiError::new(5, "Filetype was not recognised"))?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let is_async = get("async") == Some("1");
    let taken = match kind {
        Kind::Upload => exif_taken(&received.temp),
        Kind::Replace => None,
    };
    let now = clock::now();
    let mut store = lock(&shared.store);
    let (id, answer) = match kind {
        Kind::Upload => {
            let id = store.new_photo_id();
            let original_secret = store.secret();
            let file = format!("{id}_{original_secret}_o.{}", file_type.format);
            rename(&received.temp, &shared.originals.join(&file))?;
            let flag = |name: &str, default: bool| get(name).map_or(default, |v| v.trim() == "1");
            let stem = Path::new(&received.name)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let photo = Photo {
                id,
                secret: store.secret(),
                original_secret,
                server: "65535".to_string(),
                farm: 66,
                title: get("title").map_or(stem, str::to_string),
                description: get("description").unwrap_or("").to_string(),
                tags: tags::parse_list(get("tags").unwrap_or("")),
                is_public: flag("is_public", true),
                is_friend: flag("is_friend", false),
                is_family: flag("is_family", false),
                safety_level: get("safety_level")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1),
                content_type: get("content_type")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1),
                hidden: get("hidden").and_then(|v| v.parse().ok()).unwrap_or(1),
                date_upload: now,
                date_taken_unknown: taken.is_none(),
                date_taken: taken.unwrap_or_else(|| clock::mysql(now)),
                date_taken_granularity: 0,
                last_update: now,
                original_format: file_type.format.to_string(),
                media: if file_type.video { "video" } else { "photo" }.to_string(),
                md5: received.md5.clone(),
                size: received.size,
                file,
                upload_name: received.name.clone(),
            };
            store.photos.insert(id, photo);
            shared.stored(id);
            (id, json!({"photoid": {"_content": id.to_string()}}))
        }
        Kind::Replace => {
            let raw = get("photo_id").unwrap_or("");
            let id: u64 = raw
                .trim()
                .parse()
                .map_err(|_| ApiError::new(1, "Photo not found"))?;
            if !store.photos.contains_key(&id) {
                return Err(ApiError::new(1, "Photo not found"));
            }
            let (secret, original_secret) = (store.secret(), store.secret());
            let file = format!("{id}_{original_secret}_o.{}", file_type.format);
            rename(&received.temp, &shared.originals.join(&file))?;
            let Some(photo) = store.photos.get_mut(&id) else {
                return Err(ApiError::new(1, "Photo not found"));
            };
            let old = std::mem::replace(&mut photo.file, file);
            let _ = std::fs::remove_file(shared.originals.join(old));
            photo.secret = secret.clone();
            photo.original_secret = original_secret.clone();
            photo.original_format = file_type.format.to_string();
            photo.media = if file_type.video { "video" } else { "photo" }.to_string();
            photo.md5 = received.md5.clone();
            photo.size = received.size;
            photo.upload_name = received.name.clone();
            photo.last_update = now;
            let answer = json!({"photoid": {
                "secret": secret, "originalsecret": original_secret, "_content": id.to_string(),
            }});
            (id, answer)
        }
    };
    store.dirty = true;
    if !is_async {
        return Ok(answer);
    }
    let ticket = store.new_ticket_id();
    store.tickets.insert(
        ticket,
        Ticket {
            id: ticket,
            photo_id: Some(id),
            complete: 0,
            imported: now,
        },
    );
    Ok(json!({"ticketid": {"_content": ticket.to_string()}}))
}

fn rename(from: &Path, to: &Path) -> Result<(), ApiError> {
    std::fs::rename(from, to).map_err(|e| ApiError::new(3, format!("General upload failure: {e}")))
}
