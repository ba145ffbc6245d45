//! Reading the library since 2025: `mediaItems` list, get and batchGet see only the items the
//! calling app created (others are "invalid" ids). A MediaItem carries no size or hash; its
//! width and height are strings; its `baseUrl` works for an hour.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::gate::{gate, Auth, Spec};
use super::paging::{self, page};
use super::reply;
use super::scopes::READONLY_APP;
use super::state::{Album, Item, Shared, BASE_URL_TTL};
use crate::emulators::flickr::server::{lock, ConnectionKill};

pub const BATCH_LIMIT: usize = 50;

pub fn base_url(endpoint: &str, id: &str, now: i64) -> String {
    format!("{endpoint}/lh/{id}/{}", now + BASE_URL_TTL)
}

pub fn item_json(item: &Item, endpoint: &str, now: i64) -> Value {
    let mut metadata = json!({
        "creationTime": item.creation_time,
        "width": item.width.to_string(),
        "height": item.height.to_string(),
    });
    if item.video {
        metadata["video"] = json!({"fps": 30.0, "status": "READY"});
    } else {
        metadata["photo"] = json!({});
    }
    let mut value = json!({
        "id": item.id,
        "productUrl": format!("https://photos.google.com/lr/photo/{}", item.id),
        "baseUrl": base_url(endpoint, &item.id, now),
        "mimeType": item.mime,
        "mediaMetadata": metadata,
        "filename": item.filename,
    });
    if !item.description.is_empty() {
        value["description"] = json!(item.description);
    }
    value
}

pub fn album_json(album: &Album, items: &[Item], endpoint: &str, now: i64) -> Value {
    let mut value = json!({
        "id": album.id,
        "title": album.title,
        "productUrl": format!("https://photos.google.com/lr/album/{}", album.id),
        "isWriteable": true,
        "mediaItemsCount": album.items.len().to_string(),
    });
    if let Some(first) = album.items.first() {
        if items.iter().any(|i| &i.id == first) {
            value["coverPhotoBaseUrl"] = json!(base_url(endpoint, first, now));
        }
    }
    value
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

pub fn page_params(params: &[(String, String)]) -> Result<(Option<i64>, Option<String>), Response> {
    let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let size = match get("pageSize") {
        None => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| reply::invalid("Invalid value for pageSize."))?,
        ),
    };
    Ok((size, get("pageToken")))
}

fn reader(method: &'static str) -> Spec<'static> {
    Spec {
        method,
        auth: Auth::Bearer(&[READONLY_APP]),
        uploads: false,
        write: false,
    }
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pass = match gate(&shared, &kill, &headers, reader("mediaItems.list")).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (size, token) = match page_params(&query(&uri)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let now = shared.now();
    let mut state = lock(&shared.state);
    let own: Vec<Item> = state
        .items
        .iter()
        .filter(|i| i.owner == pass.client)
        .cloned()
        .collect();
    let listing = "mediaItems.list";
    match page(
        &mut state,
        &own,
        &paging::MEDIA_ITEMS,
        size,
        token.as_deref(),
        listing,
    ) {
        Ok((items, next)) => reply::ok(items_page(&items, next, &shared.endpoint, now)),
        Err(e) => reply::invalid(&e.to_string()),
    }
}

/// `{mediaItems, nextPageToken}`, each only when present (an empty library answers `{}`).
pub fn items_page(items: &[Item], next: Option<String>, endpoint: &str, now: i64) -> Value {
    let mut body = json!({});
    if !items.is_empty() {
        body["mediaItems"] = items.iter().map(|i| item_json(i, endpoint, now)).collect();
    }
    if let Some(next) = next {
        body["nextPageToken"] = json!(next);
    }
    body
}

pub async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let pass = match gate(&shared, &kill, &headers, reader("mediaItems.get")).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let now = shared.now();
    let state = lock(&shared.state);
    match state.item_index(&id, &pass.client) {
        Some(i) => reply::ok(item_json(&state.items[i], &shared.endpoint, now)),
        None => reply::invalid("Invalid media item ID."),
    }
}

pub async fn batch_get(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pass = match gate(&shared, &kill, &headers, reader("mediaItems.batchGet")).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let ids: Vec<String> = query(&uri)
        .into_iter()
        .filter(|(k, _)| k == "mediaItemIds")
        .map(|(_, v)| v)
        .collect();
    if ids.is_empty() {
        return reply::invalid("Request must contain media item ids.");
    }
    if ids.len() > BATCH_LIMIT {
        return reply::invalid("Request must have less than 50 items.");
    }
    let now = shared.now();
    let state = lock(&shared.state);
    let results: Vec<Value> = ids
        .iter()
        .map(|id| match state.item_index(id, &pass.client) {
            Some(i) => json!({"mediaItem": item_json(&state.items[i], &shared.endpoint, now)}),
            None => json!({"status": {"code": 3, "message": "Invalid media item ID."}}),
        })
        .collect();
    reply::ok(json!({ "mediaItemResults": results }))
}
