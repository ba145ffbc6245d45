//! Albums an app creates: create (title at most 500 characters), list (20 a page by default,
//! 50 at most), get, and batchAdd/batchRemove of at most 50 of the app's own items, all or
//! nothing, up to 20,000 items an album. Other apps' albums and items are invisible; sharing is
//! gone since 2025 (403).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::faults::FaultKind;
use super::gate::{gate, Auth, Spec};
use super::media_items::{album_json, page_params, BATCH_LIMIT};
use super::paging::{self, page};
use super::reply;
use super::scopes::{APPENDONLY, EDIT_APP, READONLY_APP};
use super::state::{Album, Shared};
use crate::emulators::flickr::server::{lock, ConnectionKill};

fn spec(method: &'static str, scopes: &'static [&'static str]) -> Spec<'static> {
    Spec {
        method,
        auth: Auth::Bearer(scopes),
        uploads: false,
        write: false,
    }
}

fn json_body(body: &[u8]) -> Result<Value, Response> {
    serde_json::from_slice(body)
        .map_err(|e| reply::invalid(&format!("Invalid JSON payload received. {e}")))
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pass = match gate(
        &shared,
        &kill,
        &headers,
        spec("albums.create", &[APPENDONLY]),
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return r,
    };
    let request = match json_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(title) = request.pointer("/album/title").and_then(Value::as_str) else {
        return reply::invalid("The album needs a title.");
    };
    if title.chars().count() > 500 {
        return reply::invalid("The album title must be at most 500 characters.");
    }
    let now = shared.now();
    let value = {
        let mut state = lock(&shared.state);
        let album = Album {
            id: state.new_id("AF1QipA", 40),
            owner: pass.client.clone(),
            title: title.to_string(),
            items: Vec::new(),
        };
        let value = album_json(&album, &state.items, &shared.endpoint, now);
        state.albums.push(album);
        value
    };
    if pass.fault == Some(FaultKind::DropAfterWork) {
        return kill.drop_connection().await;
    }
    reply::ok(value)
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pass = match gate(
        &shared,
        &kill,
        &headers,
        spec("albums.list", &[READONLY_APP]),
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return r,
    };
    let params: Vec<(String, String)> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let (size, token) = match page_params(&params) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let now = shared.now();
    let mut state = lock(&shared.state);
    let own: Vec<Album> = state
        .albums
        .iter()
        .filter(|a| a.owner == pass.client)
        .cloned()
        .collect();
    match page(
        &mut state,
        &own,
        &paging::ALBUMS,
        size,
        token.as_deref(),
        "albums.list",
    ) {
        Ok((albums, next)) => {
            let mut body = json!({});
            if !albums.is_empty() {
                body["albums"] = albums
                    .iter()
                    .map(|a| album_json(a, &state.items, &shared.endpoint, now))
                    .collect();
            }
            if let Some(next) = next {
                body["nextPageToken"] = json!(next);
            }
            reply::ok(body)
        }
        Err(e) => reply::invalid(&e.to_string()),
    }
}

/// `GET /v1/albums/{id}` and `POST /v1/albums/{id}:batchAddMediaItems|:batchRemoveMediaItems`.
pub async fn one(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    Path(rest): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (id, action) = rest.split_once(':').unwrap_or((rest.as_str(), ""));
    let (name, scopes): (&'static str, &'static [&'static str]) = match (&method, action) {
        (&Method::GET, "") => ("albums.get", &[READONLY_APP]),
        (&Method::POST, "batchAddMediaItems") => {
            ("albums.batchAddMediaItems", &[APPENDONLY, EDIT_APP])
        }
        (&Method::POST, "batchRemoveMediaItems") => ("albums.batchRemoveMediaItems", &[EDIT_APP]),
        (&Method::POST, "share" | "unshare") => {
            shared.count("albums.share");
            return reply::insufficient_scopes();
        }
        _ => return reply::error(axum::http::StatusCode::NOT_FOUND, "Method not found."),
    };
    let pass = match gate(&shared, &kill, &headers, spec(name, scopes)).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let answer = act(&shared, id, name, &pass.client, &body).unwrap_or_else(|refused| refused);
    if pass.fault == Some(FaultKind::DropAfterWork) && answer.status().is_success() {
        return kill.drop_connection().await;
    }
    answer
}

/// Answers albums.get, or carries out a batch add or remove.
fn act(
    shared: &Shared,
    id: &str,
    name: &str,
    client: &str,
    body: &[u8],
) -> Result<Response, Response> {
    let now = shared.now();
    let mut state = lock(&shared.state);
    let album = state
        .album_index(id)
        .filter(|a| state.albums[*a].owner == client);
    if name == "albums.get" {
        return match album {
            Some(a) => Ok(reply::ok(album_json(
                &state.albums[a],
                &state.items,
                &shared.endpoint,
                now,
            ))),
            None => Err(reply::invalid("Invalid album ID.")),
        };
    }
    let Some(album) = album else {
        return Err(reply::invalid(
            "No permission to add media items to this album.",
        ));
    };
    let request = json_body(body)?;
    let ids: Vec<String> = request
        .get("mediaItemIds")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(reply::invalid("Request must contain media item ids."));
    }
    if ids.len() > BATCH_LIMIT {
        return Err(reply::invalid("Request must have less than 50 items."));
    }
    if ids.iter().any(|i| state.item_index(i, client).is_none()) {
        return Err(reply::invalid("Request contains an invalid media item id."));
    }
    let max = shared.limits.max_album_items;
    let members = &mut state.albums[album].items;
    if name == "albums.batchAddMediaItems" {
        let new: Vec<&String> = ids.iter().filter(|i| !members.contains(i)).collect();
        if members.len() + new.len() > max {
            return Err(reply::invalid("The album is full."));
        }
        let new: Vec<String> = new.into_iter().cloned().collect();
        members.extend(new);
    } else {
        if ids.iter().any(|i| !members.contains(i)) {
            return Err(reply::invalid("Request contains an invalid media item id."));
        }
        members.retain(|m| !ids.contains(m));
    }
    Ok(reply::ok(json!({})))
}

/// Sharing was removed on 2025-03-31.
pub async fn shared_albums(State(shared): State<Arc<Shared>>) -> Response {
    shared.count("sharedAlbums");
    reply::insufficient_scopes()
}
