//! Reading every photo of a Flickr search, however many: 500 a page, in upload-date
//! order. Flickr returns at most the first 4,000 results of a query, so when a query
//! has more, a new one starts at the upload date of the last photo read
//! (`min_upload_date` is inclusive; ids already seen are skipped). That costs about
//! N/500 + N/4000 calls, where bisecting date ranges would spend calls on counting.
//! The index reads the checksum tags this way; restore reads the whole account.
//!
//! Flickr's paging is unstable (users of other tools report items repeated or missing
//! across pages): a repeat is dropped by its id, and when fewer photos were read than
//! the first answer's `total`, the listing is read again (at most [`PASSES`] times in
//! all), each pass adding what the others skipped.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use super::tags::{checksums_in, imgmd5s_in};
use crate::destinations::flickr::api::FlickrError;
use serde_json::Value;
use std::collections::HashSet;

/// Flickr's ceiling on the results of one query.
pub const RESULT_CEILING: u64 = 4000;
pub const PER_PAGE: u64 = 500;

/// One photo of a listing.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub uploaded_at: i64,
    /// The MD5s of its `checksum:md5=` machine tags.
    pub md5s: Vec<String>,
    /// Its image-data MD5, from a `checksum:imgmd5=` machine tag.
    pub imgmd5: Option<String>,
    /// The photo as Flickr listed it, for the other extras asked for.
    pub raw: Value,
}

/// What to list: search filters besides `user_id=me`, and the extras to read
/// (`machine_tags,date_upload` are always read).
pub struct Query<'q> {
    pub filters: &'q [(&'q str, &'q str)],
    pub extras: &'q str,
    /// What the listing is for, in error messages ("reading the Flickr index").
    pub doing: &'static str,
}

/// Lists every photo of `query` uploaded at or after `since` (all when `None`),
/// handing each page's new photos to `on_page` as it is read. Returns notes about
/// photos that could not be listed (more than 4,000 uploaded in one second).
pub async fn list_all(
    remote: &Remote,
    query: &Query<'_>,
    since: Option<i64>,
    on_page: &mut (dyn FnMut(Vec<Listed>) -> Result<(), SyncError> + Send),
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Vec<String>, SyncError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut notes = Vec::new();
    for _ in 0..PASSES {
        let total = list_pass(
            remote, query, since, &mut seen, &mut notes, on_page, retried,
        )
        .await?;
        // Photos deleted while reading also make the count short: the passes end.
        if seen.len() as u64 >= total || !notes.is_empty() {
            break;
        }
    }
    Ok(notes)
}

/// Reads of a listing that came out short of its `total` (unstable paging), at most.
pub const PASSES: usize = 4;

/// One pass over the listing; returns the `total` of its first answer (every photo of
/// the listing, as Flickr counts them).
async fn list_pass(
    remote: &Remote,
    query: &Query<'_>,
    mut since: Option<i64>,
    seen: &mut HashSet<String>,
    notes: &mut Vec<String>,
    on_page: &mut (dyn FnMut(Vec<Listed>) -> Result<(), SyncError> + Send),
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<u64, SyncError> {
    let mut first_total = None;
    loop {
        let read = read_query(remote, query, since, seen, on_page, retried).await?;
        let total = *first_total.get_or_insert(read.total);
        let Some(last) = read.last_date.filter(|_| read.total > RESULT_CEILING) else {
            return Ok(total);
        };
        since = Some(match since {
            Some(s) if last <= s => {
                // More than 4,000 photos share one upload second: no date range can
                // split them, so the ones past the ceiling cannot be listed.
                notes.push(format!(
                    "more than {RESULT_CEILING} photos were uploaded to Flickr in the same second ({last}); some of them may be missing"
                ));
                s + 1
            }
            _ => last,
        });
    }
}

struct Read {
    total: u64,
    last_date: Option<i64>,
}

/// Reads the pages of one query, up to the ceiling.
async fn read_query(
    remote: &Remote,
    query: &Query<'_>,
    since: Option<i64>,
    seen: &mut HashSet<String>,
    on_page: &mut (dyn FnMut(Vec<Listed>) -> Result<(), SyncError> + Send),
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Read, SyncError> {
    let min = since.map(|s| s.to_string());
    let per_page = PER_PAGE.to_string();
    let extras = format!("machine_tags,date_upload,{}", query.extras);
    let malformed = |message: String| {
        SyncError::flickr(
            query.doing,
            FlickrError::Malformed {
                method: "flickr.photos.search".into(),
                message,
            },
        )
    };
    let mut read = Read {
        total: 0,
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
            ("extras", extras.as_str()),
            ("sort", "date-posted-asc"),
            ("per_page", per_page.as_str()),
            ("page", page_text.as_str()),
        ];
        for &(k, v) in query.filters {
            params.push((k, v));
        }
        if let Some(min) = &min {
            params.push(("min_upload_date", min.as_str()));
        }
        let answer = match remote.rest("flickr.photos.search", &params, retried).await {
            Ok(v) => v,
            Err(Stop::Flickr(e)) => return Err(SyncError::flickr(query.doing, e)),
            Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
        };
        let (total, photos) = parse_page(answer).map_err(malformed)?;
        read.total = total;
        let count = photos.len();
        read.last_date = read
            .last_date
            .max(photos.iter().map(|p| p.uploaded_at).max());
        let new: Vec<Listed> = photos
            .into_iter()
            .filter(|p| seen.insert(p.id.clone()))
            .collect();
        on_page(new)?;
        let done = page * PER_PAGE;
        if count == 0 || done >= total || done >= RESULT_CEILING {
            return Ok(read);
        }
        page += 1;
    }
}

/// Flickr writes numbers as numbers or as strings, depending on the field and the day.
pub fn number(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn parse_page(mut answer: Value) -> Result<(u64, Vec<Listed>), String> {
    let photos = answer["photos"].take();
    let total = number(&photos["total"]).ok_or("no photos.total in the search answer")?;
    let Value::Array(list) = photos["photo"].clone() else {
        return Err("no photos.photo list in the search answer".into());
    };
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let id = match &p["id"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err("a photo without an id in the search answer".into()),
        };
        let machine_tags = p["machine_tags"].as_str().unwrap_or("");
        out.push(Listed {
            id,
            uploaded_at: number(&p["dateupload"]).unwrap_or(0),
            md5s: checksums_in(machine_tags),
            imgmd5: imgmd5s_in(machine_tags).into_iter().next(),
            raw: p,
        });
    }
    Ok((total.max(0) as u64, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_search_page_with_numbers_as_strings() {
        let md5 = "0123456789abcdef0123456789abcdef";
        let (total, photos) = parse_page(json!({"photos": {"page": 1, "pages": "1", "total": "2", "photo": [
            {"id": "11", "dateupload": "1500000000", "machine_tags": format!("checksum:md5={md5} geo:x=1")},
            {"id": 12, "dateupload": 1500000001, "machine_tags": ""},
        ]}, "stat": "ok"}))
        .unwrap();
        assert_eq!(total, 2);
        assert_eq!(photos[0].md5s, vec![md5.to_string()]);
        assert_eq!(photos[1].id, "12");
        assert_eq!(photos[1].uploaded_at, 1500000001);
        assert!(parse_page(json!({"stat": "ok"})).is_err());
    }
}
