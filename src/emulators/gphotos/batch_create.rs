//! `mediaItems:batchCreate`: at most 50 upload tokens a call, one call at a time per user; one
//! unknown, expired or used token fails the whole call (or, with `BadToken::PerItem`, that item);
//! otherwise each item is answered on its own (`status`, and `mediaItem` when it worked; BAD_IMAGE
//! for bytes it cannot decode). Bytes the library already holds are answered with the item it
//! has (its first file name kept), even one another app made; such an item can join this app's
//! album here, and nowhere else.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use chrono::DateTime;
use serde_json::{json, Value};

use super::config::BadToken;
use super::faults::FaultKind;
use super::formats;
use super::gate::{gate, Auth, Spec};
use super::media_items::{item_json, BATCH_LIMIT};
use super::reply;
use super::scopes::APPENDONLY;
use super::state::{Item, Shared, State as Library, UploadToken, UPLOAD_TOKEN_TTL};
use crate::emulators::flickr::server::{lock, ConnectionKill};

struct NewItem {
    token: String,
    description: String,
    file_name: Option<String>,
}

/// What the stored bytes say about themselves.
pub(super) struct Looked {
    pub mime: &'static str,
    pub video: bool,
    pub width: u32,
    pub height: u32,
    pub taken: Option<String>,
}

pub(super) fn rfc3339(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// Reads the head (type) and the EXIF (size, capture time) of a stored file; `None` for
/// bytes Google could not decode (an unknown kind, a JPEG cut short).
pub(super) fn look(path: &std::path::Path) -> Option<Looked> {
    use std::io::Read;
    let mut head = Vec::with_capacity(formats::HEAD_LEN);
    std::fs::File::open(path)
        .ok()?
        .take(formats::HEAD_LEN as u64)
        .read_to_end(&mut head)
        .ok()?;
    let (mime, video) = formats::sniff(&head)?;
    if mime == "image/jpeg" && !formats::jpeg_complete(path) {
        return None;
    }
    let exif = if video {
        None
    } else {
        crate::library::exif::read_path(path).ok().flatten()
    };
    let taken = exif
        .as_ref()
        .and_then(|m| m.date_time_original.as_ref())
        .map(|t| {
            let utc = t.local - chrono::Duration::seconds(t.offset_seconds.unwrap_or(0) as i64);
            rfc3339(utc.and_utc().timestamp())
        });
    Some(Looked {
        mime,
        video,
        width: exif.as_ref().and_then(|m| m.width).unwrap_or(0),
        height: exif.as_ref().and_then(|m| m.height).unwrap_or(0),
        taken,
    })
}

fn parse(body: &[u8]) -> Result<(Option<String>, Vec<NewItem>), Response> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| reply::invalid(&format!("Invalid JSON payload received. {e}")))?;
    let album = value
        .get("albumId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let list = value
        .get("newMediaItems")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| reply::invalid("Request must contain at least one newMediaItem."))?;
    if list.len() > BATCH_LIMIT {
        return Err(reply::invalid("Request must have less than 50 items."));
    }
    let mut items = Vec::with_capacity(list.len());
    for entry in list {
        let description = entry
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if description.chars().count() > 1000 {
            return Err(reply::invalid(
                "The description must be at most 1000 characters.",
            ));
        }
        let simple = entry.get("simpleMediaItem");
        let token = simple
            .and_then(|s| s.get("uploadToken"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                reply::invalid("Every newMediaItem needs simpleMediaItem.uploadToken.")
            })?;
        let file_name = simple
            .and_then(|s| s.get("fileName"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if file_name.as_ref().is_some_and(|n| n.chars().count() > 255) {
            return Err(reply::invalid(
                "The file name must be at most 255 characters.",
            ));
        }
        items.push(NewItem {
            token: token.to_string(),
            description,
            file_name,
        });
    }
    Ok((album, items))
}

fn failed(code: u32, message: &str) -> Value {
    json!({"code": code, "message": message})
}

pub async fn batch_create(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let spec = Spec {
        method: "mediaItems.batchCreate",
        auth: Auth::Bearer(&[APPENDONLY]),
        uploads: false,
        write: true,
    };
    let pass = match gate(&shared, &kill, &headers, spec).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (album, wanted) = match parse(&body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let now = shared.now();
    // First, under the lock: the album, and which tokens are good.
    let tokens = match claim(&shared, &pass.client, album.as_deref(), &wanted, now) {
        Ok(t) => t,
        Err(r) => return r,
    };
    // One unknown, expired or used token fails the whole call, nothing created:
    // gphotosuploader/gphotos-uploader-cli#132 and #223, ShareX/ShareX#4956.
    if shared.limits.bad_token == BadToken::WholeCall && tokens.iter().any(Option::is_none) {
        // Counted apart, so a test can tell the client met it.
        shared.count("mediaItems.batchCreate:bad_token");
        return reply::invalid("Request must contain a valid upload token.");
    }
    // Then, without it: what each new file is.
    let blobs: Vec<_> = tokens
        .iter()
        .map(|t| t.as_ref().map(|t| shared.blob(&t.md5)))
        .collect();
    let looked: Vec<Option<Looked>> = tokio::task::spawn_blocking(move || {
        blobs.iter().map(|p| p.as_deref().and_then(look)).collect()
    })
    .await
    .unwrap_or_default();
    let results = {
        let mut state = lock(&shared.state);
        let failing = (pass.fault == Some(FaultKind::ItemFailed))
            .then(|| state.rng.below(wanted.len() as u64) as usize);
        let mut results = Vec::with_capacity(wanted.len());
        for (n, w) in wanted.iter().enumerate() {
            let token = tokens.get(n).cloned().flatten();
            let status = create_one(
                &mut state,
                &shared,
                &pass.client,
                w,
                token,
                looked.get(n).and_then(Option::as_ref),
                album.as_deref(),
                failing == Some(n),
            );
            let mut result = json!({"uploadToken": w.token});
            match status {
                Ok((item, message)) => {
                    // A token makes one item; sent again it is no longer valid.
                    state.upload_tokens.remove(&w.token);
                    result["status"] = json!({ "message": message });
                    result["mediaItem"] = item_json(&state.items[item], &shared.endpoint, now);
                }
                Err(status) => result["status"] = status,
            }
            results.push(result);
        }
        results
    };
    if pass.fault == Some(FaultKind::DropAfterWork) {
        return kill.drop_connection().await;
    }
    reply::ok(json!({ "newMediaItemResults": results }))
}

/// One item: its index in the library and the status message, or its failed status.
#[allow(clippy::too_many_arguments)]
fn create_one(
    state: &mut Library,
    shared: &Shared,
    client: &str,
    wanted: &NewItem,
    token: Option<UploadToken>,
    looked: Option<&Looked>,
    album: Option<&str>,
    fail: bool,
) -> Result<(usize, &'static str), Value> {
    if fail {
        return Err(failed(
            13,
            "Failed: There was an error while trying to create this media item.",
        ));
    }
    let Some(token) = token else {
        return Err(failed(
            3,
            "Failed: The upload token is invalid or has expired.",
        ));
    };
    let (index, message) = match state.by_md5.get(&token.md5) {
        Some(&i) => (i, "OK"),
        None => {
            // Bytes it cannot decode (a broken file, a RAW version it does not read) are
            // answered per item with code 3 and BAD_IMAGE, the call itself a 200:
            // https://github.com/Bostwickenator/STGUploader/issues/22
            let Some(looked) = looked else {
                return Err(failed(
                    3,
                    "BAD_IMAGE: There was an error while trying to create this media item.",
                ));
            };
            let limit = if looked.video {
                shared.limits.max_video_bytes
            } else {
                shared.limits.max_photo_bytes
            };
            if token.size > limit {
                return Err(failed(3, "Failed: The file is too large."));
            }
            let id = state.new_id("AF1Qip", 40);
            let item = Item {
                id,
                owner: client.to_string(),
                filename: wanted
                    .file_name
                    .clone()
                    .or(token.file_name.clone())
                    .unwrap_or_else(|| "upload".to_string()),
                description: wanted.description.clone(),
                md5: token.md5.clone(),
                size: token.size,
                mime: looked.mime.to_string(),
                video: looked.video,
                creation_time: looked
                    .taken
                    .clone()
                    .unwrap_or_else(|| rfc3339(token.created)),
                width: looked.width,
                height: looked.height,
            };
            state.items.push(item);
            let i = state.items.len() - 1;
            state.by_md5.insert(token.md5.clone(), i);
            (i, "Success")
        }
    };
    if let Some(album) = album.and_then(|a| state.album_index(a)) {
        let id = state.items[index].id.clone();
        let album = &mut state.albums[album];
        if !album.items.contains(&id) {
            album.items.push(id);
        }
    }
    Ok((index, message))
}

/// The upload tokens of `wanted` this client may use, each marked used now (`None`: unknown,
/// another client's, or expired), once the album (if any) is checked: its owner's, with room.
fn claim(
    shared: &Shared,
    client: &str,
    album: Option<&str>,
    wanted: &[NewItem],
    now: i64,
) -> Result<Vec<Option<UploadToken>>, Response> {
    let mut state = lock(&shared.state);
    if let Some(album) = album {
        let own = state
            .album_index(album)
            .map(|a| &state.albums[a])
            .filter(|a| a.owner == *client);
        let Some(own) = own else {
            return Err(reply::invalid(
                "No permission to add media items to this album.",
            ));
        };
        if own.items.len() + wanted.len() > shared.limits.max_album_items {
            return Err(reply::invalid("The album is full."));
        }
    }
    let own: Vec<Option<UploadToken>> = wanted
        .iter()
        .map(|w| {
            state
                .upload_tokens
                .get(&w.token)
                .filter(|t| t.client == *client)
                .cloned()
        })
        .collect();
    Ok(own
        .into_iter()
        .map(|t| {
            let t = t?;
            state.token_used(&t, now);
            (t.created + UPLOAD_TOKEN_TTL > now).then_some(t)
        })
        .collect())
}
