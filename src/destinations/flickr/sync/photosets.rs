//! The account's albums as Flickr lists them: every photoset, and every member of one,
//! 500 a call. Used to file albums, and by dedupe and restore.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use crate::destinations::flickr::api::FlickrError;
use serde_json::Value;

/// A photoset as flickr.photosets.getList lists it.
pub(crate) struct Photoset {
    pub id: String,
    pub title: String,
    /// Photos and videos in it.
    pub size: u64,
}

/// Every photoset of the account, in Flickr's order, 500 a call.
pub(crate) async fn photosets(remote: &Remote) -> Result<Vec<Photoset>, SyncError> {
    let quiet = |_: u32, _: &FlickrError| {};
    let mut all = Vec::new();
    let mut page = 1u64;
    loop {
        let p = page.to_string();
        let params = [("per_page", "500"), ("page", p.as_str())];
        let answer = match remote
            .rest("flickr.photosets.getList", &params, &quiet)
            .await
        {
            Ok(a) => a,
            Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
            Err(Stop::Flickr(e)) => return Err(SyncError::flickr("listing the albums", e)),
        };
        let sets = &answer["photosets"];
        for set in sets["photoset"].as_array().into_iter().flatten() {
            let (Some(id), Some(title)) = (number(&set["id"]), set["title"]["_content"].as_str())
            else {
                continue;
            };
            let size = ["photos", "videos"]
                .iter()
                .filter_map(|k| number(&set[*k]).and_then(|n| n.parse::<u64>().ok()))
                .sum();
            all.push(Photoset {
                id,
                title: title.to_string(),
                size,
            });
        }
        let pages = number(&sets["pages"])
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        if page >= pages {
            return Ok(all);
        }
        page += 1;
    }
}

/// The ids of the photos in one photoset, every page of it.
pub(crate) async fn photoset_members(
    remote: &Remote,
    set_id: &str,
) -> Result<Vec<String>, SyncError> {
    let quiet = |_: u32, _: &FlickrError| {};
    let mut ids = Vec::new();
    let mut page = 1u64;
    loop {
        let p = page.to_string();
        let params = [("photoset_id", set_id), ("per_page", "500"), ("page", &p)];
        let answer = match remote
            .rest("flickr.photosets.getPhotos", &params, &quiet)
            .await
        {
            Ok(a) => a,
            Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
            Err(Stop::Flickr(e)) => return Err(SyncError::flickr("reading the albums", e)),
        };
        let set = &answer["photoset"];
        ids.extend(
            set["photo"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|photo| number(&photo["id"])),
        );
        let pages = number(&set["pages"])
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        if page >= pages {
            return Ok(ids);
        }
        page += 1;
    }
}

/// An id or count Flickr wrote as a string or a number.
pub(super) fn number(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
