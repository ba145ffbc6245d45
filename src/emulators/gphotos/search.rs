//! `mediaItems:search`: the app's items in one of its albums, or filtered by media type and
//! dates (at most 5 dates and 5 ranges; a 0 month or day matches any), never both at once.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use md5::{Digest, Md5};
use serde_json::Value;

use super::gate::{gate, Auth, Spec};
use super::media_items::items_page;
use super::paging::{self, page};
use super::reply;
use super::scopes::READONLY_APP;
use super::state::{Item, Shared};
use crate::emulators::flickr::server::{lock, ConnectionKill};

type Day = (i64, i64, i64);

fn date_of(value: &Value) -> Day {
    let n = |k: &str| value.get(k).and_then(Value::as_i64).unwrap_or(0);
    (n("year"), n("month"), n("day"))
}

fn day_of(item: &Item) -> Day {
    let part = |r: std::ops::Range<usize>| {
        item.creation_time
            .get(r)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    };
    (part(0..4), part(5..7), part(8..10))
}

fn matches_date(day: Day, want: Day) -> bool {
    day.0 == want.0 && (want.1 == 0 || day.1 == want.1) && (want.2 == 0 || day.2 == want.2)
}

/// The item filter a `filters` object describes.
fn filter(filters: &Value) -> Result<impl Fn(&Item) -> bool, Response> {
    let date = filters.get("dateFilter");
    let list = |k: &str| -> Vec<Value> {
        date.and_then(|d| d.get(k))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (dates, ranges) = (list("dates"), list("ranges"));
    if dates.len() > 5 || ranges.len() > 5 {
        return Err(reply::invalid(
            "A date filter takes at most 5 dates and 5 ranges.",
        ));
    }
    let dates: Vec<Day> = dates.iter().map(date_of).collect();
    let ranges: Vec<(Day, Day)> = ranges
        .iter()
        .map(|r| {
            let (s, e) = (
                date_of(r.get("startDate").unwrap_or(&Value::Null)),
                date_of(r.get("endDate").unwrap_or(&Value::Null)),
            );
            (
                (s.0, s.1.max(1), s.2.max(1)),
                (
                    e.0,
                    if e.1 == 0 { 12 } else { e.1 },
                    if e.2 == 0 { 31 } else { e.2 },
                ),
            )
        })
        .collect();
    let kinds: Vec<String> = filters
        .get("mediaTypeFilter")
        .and_then(|m| m.get("mediaTypes"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if kinds.len() > 1 {
        return Err(reply::invalid("A media type filter takes one type."));
    }
    let kind = kinds
        .into_iter()
        .next()
        .unwrap_or_else(|| "ALL_MEDIA".to_string());
    Ok(move |item: &Item| {
        let day = day_of(item);
        let by_date = (dates.is_empty() && ranges.is_empty())
            || dates.iter().any(|d| matches_date(day, *d))
            || ranges.iter().any(|(s, e)| *s <= day && day <= *e);
        let by_kind = match kind.as_str() {
            "PHOTO" => !item.video,
            "VIDEO" => item.video,
            _ => true,
        };
        by_date && by_kind
    })
}

pub async fn search(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let spec = Spec {
        method: "mediaItems.search",
        auth: Auth::Bearer(&[READONLY_APP]),
        uploads: false,
        write: false,
    };
    let pass = match gate(&shared, &kill, &headers, spec).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let request: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return reply::invalid(&format!("Invalid JSON payload received. {e}")),
        }
    };
    let album = request.get("albumId").and_then(Value::as_str);
    let filters = request.get("filters");
    if album.is_some() && filters.is_some() {
        return reply::invalid("The request cannot have both an album id and filters.");
    }
    let keep = match filter(filters.unwrap_or(&Value::Null)) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let size = request.get("pageSize").and_then(Value::as_i64);
    let token = request.get("pageToken").and_then(Value::as_str);
    let listing = {
        let what = format!(
            "{album:?}{}",
            filters.map(Value::to_string).unwrap_or_default()
        );
        let digest = Md5::digest(what.as_bytes());
        format!("search:{:x}", u128::from_be_bytes(digest.into()))
    };
    let now = shared.now();
    let mut state = lock(&shared.state);
    let found: Vec<Item> = match album {
        Some(id) => {
            let Some(a) = state
                .album_index(id)
                .filter(|a| state.albums[*a].owner == pass.client)
            else {
                return reply::invalid("Invalid album ID.");
            };
            state.albums[a]
                .items
                .iter()
                .filter_map(|id| state.item_index(id, &pass.client))
                .map(|i| state.items[i].clone())
                .collect()
        }
        None => state
            .items
            .iter()
            .filter(|i| i.owner == pass.client && keep(i))
            .cloned()
            .collect(),
    };
    match page(
        &mut state,
        &found,
        &paging::MEDIA_ITEMS,
        size,
        token,
        &listing,
    ) {
        Ok((items, next)) => reply::ok(items_page(&items, next, &shared.endpoint, now)),
        Err(e) => reply::invalid(&e.to_string()),
    }
}
