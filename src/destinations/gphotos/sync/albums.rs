//! `albums: folders` for Google Photos: every photo recorded there goes into an album the app
//! creates for its folder (titled as the Flickr engine titles them), 20,000 items an album,
//! then "Title (2)". Albums and members are kept in the catalog's album tables, so each item
//! is added once and an album is found again by its record, never created twice.

use super::error::GphotosSyncError;
use super::report::GphotosReport;
use crate::cancel::Cancel;
use crate::catalog::{AlbumPart, Catalog};
use crate::destinations::flickr::sync::album_title;
use crate::destinations::gphotos::api::{Client, GphotosError, BATCH_LIMIT};
use crate::library::photo::Photo;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Google's limit of items in one album.
pub const MAX_PER_ALBUM: u64 = 20_000;

fn part_title(title: &str, part: u32) -> String {
    if part == 1 {
        title.to_string()
    } else {
        format!("{title} ({part})")
    }
}

/// Why a photo stays out of its album.
const FOREIGN: &str = "not put in its album: Google Photos answered its bytes with an item \
     another app made (the phone's own backup?), and only that app may add it to albums";

/// Adds `ids` to `album`. Google refuses the whole call when one id is an item another app
/// made, with 400 "Request contains an invalid media item id." (ylexus/jiotty-photos-uploader#49,
/// f2calv/CasCap.Api.GooglePhotos#118): the call is split until each such id stands alone, so
/// the app's own items all go in. Returns the ids added and the ids refused.
async fn add_isolating(
    client: &Client,
    album: &str,
    ids: Vec<String>,
    cancel: &Cancel,
) -> Result<(Vec<String>, Vec<String>), GphotosError> {
    let quiet = |_: u32, _: &GphotosError| {};
    let (mut added, mut foreign) = (Vec::new(), Vec::new());
    let mut parts = vec![ids];
    while let Some(mut part) = parts.pop() {
        let result = client
            .retrying(cancel, &quiet, || client.add_to_album(album, &part))
            .await;
        match result {
            Ok(()) => added.append(&mut part),
            Err(e) if e.is_invalid_media_item() && part.len() == 1 => foreign.append(&mut part),
            Err(e) if e.is_invalid_media_item() => {
                let second = part.split_off(part.len() / 2);
                parts.push(second);
                parts.push(part);
            }
            Err(e) => return Err(e),
        }
    }
    Ok((added, foreign))
}

pub async fn file(
    client: &Client,
    catalog: &mut Catalog,
    backend: &str,
    photos: &[Photo],
    root: &Path,
    cancel: &Cancel,
    report: &mut GphotosReport,
) -> Result<(), GphotosSyncError> {
    let index = catalog.remote_index(backend)?;
    let mut by_title: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut paths: HashMap<String, PathBuf> = HashMap::new();
    let mut seen = HashSet::new();
    for photo in photos {
        let Some(ids) = photo.md5.as_ref().and_then(|m| index.get(m)) else {
            continue;
        };
        let Some(id) = ids.iter().find(|id| !id.starts_with("exists:")) else {
            continue;
        };
        if seen.insert(id.clone()) {
            paths.insert(id.clone(), photo.path.clone());
            by_title
                .entry(album_title(root, &photo.path))
                .or_default()
                .push(id.clone());
        }
    }
    let quiet = |_: u32, _: &GphotosError| {};
    let fail = |e| GphotosSyncError::api("filing photos into albums", e);
    for (title, ids) in by_title {
        let members = catalog.album_members(backend, &title)?;
        let mut todo: Vec<String> = ids.into_iter().filter(|id| !members.contains(id)).collect();
        while !todo.is_empty() {
            if cancel.is_cancelled() {
                return Ok(());
            }
            let parts = catalog.album_parts(backend, &title)?;
            let part = match parts.last() {
                Some(p) if p.size < MAX_PER_ALBUM => p.clone(),
                last => {
                    let n = last.map_or(1, |p| p.part + 1);
                    let name = part_title(&title, n);
                    let id = client
                        .retrying(cancel, &quiet, || client.create_album(&name))
                        .await
                        .map_err(fail)?;
                    let part = AlbumPart {
                        part: n,
                        photoset_id: id,
                        size: 0,
                    };
                    catalog.record_album_part(backend, &title, &part)?;
                    report.albums_created += 1;
                    part
                }
            };
            let room = (MAX_PER_ALBUM - part.size).min(BATCH_LIMIT as u64) as usize;
            let chunk: Vec<String> = todo.drain(..room.min(todo.len())).collect();
            let (added, foreign) = add_isolating(client, &part.photoset_id, chunk, cancel)
                .await
                .map_err(fail)?;
            for id in &added {
                catalog.record_album_member(backend, &title, &part.photoset_id, id)?;
            }
            report.album_adds += added.len() as u64;
            for id in foreign {
                let path = paths.get(&id).cloned().unwrap_or_default();
                report.album_notes.push((path, FOREIGN.to_string()));
            }
        }
    }
    Ok(())
}
