//! The remote index: which MD5s are already on the Flickr account, read in bulk from
//! the checksum machine tags (500 photos a call), never one search per photo.
//!
//! Flickr returns at most the first 4,000 results of a query. The index therefore
//! reads in upload-date order and, when a query has more than 4,000 results, starts a
//! new query at the upload date of the last photo it read (`min_upload_date` is
//! inclusive; ids already seen are skipped). That costs about N/500 + N/4000 calls,
//! where bisecting date ranges would spend calls on counting. The newest upload date
//! read is kept in the catalog, and when the last complete refresh started: the next
//! run only reads photos uploaded since the later of the two, minus a margin for
//! Flickr's search index catching up and for clocks. Once a month the whole index
//! is read again, and copies no longer on Flickr are forgotten, so a photo deleted
//! there is uploaded again.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use super::tags::checksums_in;
use crate::catalog::{Catalog, IndexState, RemoteCopy};
use crate::flickr::FlickrError;
use serde_json::Value;
use std::collections::HashSet;

/// Flickr's ceiling on the results of one query.
pub const RESULT_CEILING: u64 = 4000;
pub const PER_PAGE: u64 = 500;
/// An incremental refresh re-reads this much before the newest upload it has seen.
pub const MARGIN_SECS: i64 = 24 * 3600;
/// ... or this much before the start of the last complete refresh, when that is later:
/// search sees a new photo within minutes, and our clock and Flickr's may differ.
pub const LAG_SECS: i64 = 3600;

/// A full read, which also forgets photos deleted from Flickr, this often.
pub const FULL_EVERY_SECS: i64 = 30 * 24 * 3600;

#[derive(Debug, Default)]
pub struct Refresh {
    /// Known copies a full read did not see again: deleted from Flickr.
    pub forgotten: u64,
    /// Photos with a checksum tag read in this refresh.
    pub photos: u64,
    /// Problems that may hide photos from the index (more than 4,000 in one second).
    pub notes: Vec<String>,
}

/// Reads the account's checksum tags uploaded since the last refresh (all of them the
/// first time) into the catalog.
pub async fn refresh(
    remote: &Remote,
    catalog: &mut Catalog,
    backend: &str,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Refresh, SyncError> {
    let now = chrono::Utc::now().timestamp();
    let state = catalog.index_state(backend)?;
    let mut since = start_from(state.as_ref(), now);
    let full = since.is_none();
    let mut seen: HashSet<String> = HashSet::new();
    let mut refresh = Refresh::default();
    loop {
        let query = read_query(remote, catalog, backend, since, &mut seen, retried).await?;
        refresh.photos += query.photos;
        if query.total <= RESULT_CEILING || query.last_date.is_none() {
            if full && refresh.notes.is_empty() {
                refresh.forgotten = catalog.finish_full_index(backend, &seen, now - MARGIN_SECS)?;
            }
            catalog.index_complete(backend, now)?;
            return Ok(refresh);
        }
        let last = query.last_date.unwrap_or(0);
        since = Some(match since {
            Some(s) if last <= s => {
                // More than 4,000 photos share one upload second: no date range can
                // split them, so the ones past the ceiling cannot be listed.
                refresh.notes.push(format!(
                    "more than {RESULT_CEILING} photos were uploaded to Flickr in the same second ({last}); some of them may be missing from the index"
                ));
                s + 1
            }
            _ => last,
        });
    }
}

/// The upload date an incremental refresh reads from; `None`: read everything (the
/// first time, and once a month).
fn start_from(state: Option<&IndexState>, now: i64) -> Option<i64> {
    let s = state.filter(|s| now - s.full_at < FULL_EVERY_SECS)?;
    Some(
        (s.newest_upload - MARGIN_SECS)
            .max(s.refreshed_at - LAG_SECS)
            .max(0),
    )
}

struct Query {
    total: u64,
    photos: u64,
    last_date: Option<i64>,
}

/// Reads the pages of one query, up to the ceiling, recording each page at once.
async fn read_query(
    remote: &Remote,
    catalog: &mut Catalog,
    backend: &str,
    since: Option<i64>,
    seen: &mut HashSet<String>,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Query, SyncError> {
    let min = since.map(|s| s.to_string());
    let per_page = PER_PAGE.to_string();
    let mut query = Query {
        total: 0,
        photos: 0,
        last_date: None,
    };
    let mut page = 1u64;
    loop {
        if remote.cancel.is_cancelled() {
            return Err(SyncError::Cancelled(Box::default()));
        }
        let page_text = page.to_string();
        let mut params = vec![
            ("user_id", "me"),
            ("machine_tags", "checksum:md5="),
            ("extras", "machine_tags,date_upload"),
            ("sort", "date-posted-asc"),
            ("per_page", per_page.as_str()),
            ("page", page_text.as_str()),
        ];
        if let Some(min) = &min {
            params.push(("min_upload_date", min.as_str()));
        }
        let answer = match remote.rest("flickr.photos.search", &params, retried).await {
            Ok(v) => v,
            Err(Stop::Flickr(e)) => return Err(SyncError::flickr("reading the Flickr index", e)),
            Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
        };
        let parsed = parse_page(&answer).map_err(|message| {
            SyncError::flickr(
                "reading the Flickr index",
                FlickrError::Malformed {
                    method: "flickr.photos.search".into(),
                    message,
                },
            )
        })?;
        query.total = parsed.total;
        let mut copies = Vec::new();
        let mut newest = None;
        for photo in &parsed.photos {
            newest = newest.max(Some(photo.uploaded_at));
            if !seen.insert(photo.id.clone()) {
                continue;
            }
            query.photos += 1;
            for md5 in &photo.md5s {
                copies.push(RemoteCopy {
                    remote_id: photo.id.clone(),
                    md5: md5.clone(),
                    uploaded_at: photo.uploaded_at,
                });
            }
        }
        catalog.record_remote(backend, &copies, newest)?;
        query.last_date = query.last_date.max(newest);
        let read = page * PER_PAGE;
        if parsed.photos.is_empty() || read >= parsed.total || read >= RESULT_CEILING {
            return Ok(query);
        }
        page += 1;
    }
}

struct Page {
    total: u64,
    photos: Vec<Listed>,
}

struct Listed {
    id: String,
    uploaded_at: i64,
    md5s: Vec<String>,
}

/// Flickr writes numbers as numbers or as strings, depending on the field and the day.
fn number(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn parse_page(answer: &Value) -> Result<Page, String> {
    let photos = &answer["photos"];
    let total = number(&photos["total"]).ok_or("no photos.total in the search answer")?;
    let list = photos["photo"]
        .as_array()
        .ok_or("no photos.photo list in the search answer")?;
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let id = match &p["id"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err("a photo without an id in the search answer".into()),
        };
        out.push(Listed {
            id,
            uploaded_at: number(&p["dateupload"]).unwrap_or(0),
            md5s: checksums_in(p["machine_tags"].as_str().unwrap_or("")),
        });
    }
    Ok(Page {
        total: total.max(0) as u64,
        photos: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_search_page_with_numbers_as_strings() {
        let md5 = "0123456789abcdef0123456789abcdef";
        let page = parse_page(&json!({"photos": {"page": 1, "pages": "1", "total": "2", "photo": [
            {"id": "11", "dateupload": "1500000000", "machine_tags": format!("checksum:md5={md5} geo:x=1")},
            {"id": 12, "dateupload": 1500000001, "machine_tags": ""},
        ]}, "stat": "ok"}))
        .unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(page.photos[0].md5s, vec![md5.to_string()]);
        assert_eq!(page.photos[1].id, "12");
        assert_eq!(page.photos[1].uploaded_at, 1500000001);
        assert!(parse_page(&json!({"stat": "ok"})).is_err());
    }

    #[test]
    fn an_incremental_refresh_starts_at_the_later_of_its_two_margins() {
        let day = 24 * 3600;
        let now = 1_800_000_000;
        let state = |newest_upload, refreshed_at, full_at| IndexState {
            newest_upload,
            refreshed_at,
            full_at,
        };
        assert_eq!(start_from(None, now), None);
        // A month since the last full read: read everything.
        assert_eq!(
            start_from(Some(&state(now, now, now - 31 * day)), now),
            None
        );
        // Daily runs: from an hour before the last complete refresh, not a day before
        // the newest upload it saw.
        let daily = state(now - 2 * day, now - day, now - 3 * day);
        assert_eq!(start_from(Some(&daily), now), Some(now - day - LAG_SECS));
        // A refresh that never finished does not move the start.
        let unfinished = state(now - 2 * day, 0, now - 3 * day);
        assert_eq!(start_from(Some(&unfinished), now), Some(now - 3 * day));
    }
}
