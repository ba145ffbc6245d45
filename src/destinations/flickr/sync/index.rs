//! The remote index: which MD5s are already on the Flickr account, read in bulk from
//! the checksum machine tags (500 photos a call, past Flickr's 4,000-result ceiling:
//! see [`super::listing`]), never one search per photo.
//!
//! The newest upload date read is kept in the catalog, and when the last complete
//! refresh started: the next run only reads photos uploaded since the later of the
//! two, minus a margin for Flickr's search index catching up and for clocks. Once a
//! month (or when asked: `sync --verify`) the whole index is read again, and copies no
//! longer on Flickr are forgotten as lost, so a photo deleted there is uploaded again.

use super::error::SyncError;
use super::listing::{self, Listed, Query};
use super::remote::Remote;
use crate::catalog::{Catalog, IndexState, RemoteCopy};
use crate::destinations::flickr::api::FlickrError;
use std::collections::HashSet;

/// An incremental refresh re-reads this much before the newest upload it has seen.
pub const MARGIN_SECS: i64 = 24 * 3600;
/// ... or this much before the start of the last complete refresh, when that is later:
/// search sees a new photo within minutes, and our clock and Flickr's may differ. A
/// photo the last read missed because search had not caught up shows later under an
/// upload date older than that read; this overlap (far above the lag) reads it
/// (tests/sync_search_lag.rs).
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
/// first time, once a month, and with `full`) into the catalog.
///
/// A full read forgets the copies it did not see as lost ([`crate::engine::heal`]), once
/// Flickr confirms by id that they are gone (paging is unstable, search lags); the
/// monthly one only those older than a day, one asked for (`sync --verify`) all of them:
/// the upload that heals them is preceded by a targeted search that finds another copy.
pub async fn refresh(
    remote: &Remote,
    catalog: &mut Catalog,
    backend: &str,
    full: bool,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Refresh, SyncError> {
    let now = chrono::Utc::now().timestamp();
    let state = catalog.index_state(backend)?;
    let since = start_from(state.as_ref(), now).filter(|_| !full);
    let keep_after = if full { i64::MAX } else { now - MARGIN_SECS };
    let full = since.is_none();
    let mut seen: HashSet<String> = HashSet::new();
    let mut refresh = Refresh::default();
    let query = Query {
        filters: &[("machine_tags", "checksum:md5=")],
        extras: "",
        doing: "reading the Flickr index",
    };
    // Each page is recorded at once, so a run stopped midway keeps what it read.
    let mut record = |photos: Vec<Listed>| -> Result<(), SyncError> {
        let newest = photos.iter().map(|p| p.uploaded_at).max();
        let mut copies = Vec::new();
        for photo in photos {
            refresh.photos += 1;
            for md5 in photo.md5s {
                copies.push(RemoteCopy {
                    remote_id: photo.id.clone(),
                    md5,
                    uploaded_at: photo.uploaded_at,
                    imgmd5: photo.imgmd5.clone(),
                });
            }
            seen.insert(photo.id);
        }
        catalog.record_remote(backend, &copies, newest)?;
        Ok(())
    };
    let notes = listing::list_all(remote, &query, since, &mut record, retried).await?;
    refresh.notes = notes;
    if full && refresh.notes.is_empty() {
        let unseen: Vec<String> = catalog
            .remote_copies(backend)?
            .into_iter()
            .filter(|c| c.uploaded_at < keep_after && !seen.contains(&c.remote_id))
            .map(|c| c.remote_id)
            .collect();
        seen.extend(super::heal::present(remote, &unseen, retried).await?);
        refresh.forgotten = catalog.finish_full_index(backend, &seen, keep_after)?;
    }
    catalog.index_complete(backend, now)?;
    Ok(refresh)
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

#[cfg(test)]
mod tests {
    use super::*;

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
