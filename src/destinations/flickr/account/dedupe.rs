//! `verify flickr --delete-duplicates`: the same bytes on Flickr more than once (other
//! tools uploaded them again) become one photo. The oldest upload is kept; the tags,
//! albums and, where the keeper has none, the title and description of the others are
//! merged into it first, and only when every merge call for an MD5 succeeded are the
//! others deleted. Without `yes` the plan is made and nothing changes.

use super::{connect, list_account, AccountError, AccountOptions};
use crate::cancel::Cancel;
use crate::catalog::{Catalog, RemoteCopy};
use crate::destinations::flickr::api::{Client, FlickrError};
use crate::destinations::flickr::sync::listing::Listed;
use crate::destinations::flickr::sync::photosets::{photoset_members, photosets};
use crate::destinations::flickr::sync::remote::{Remote, Stop};
use crate::destinations::flickr::sync::tags::tags_field;
use crate::destinations::flickr::sync::SyncError;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What is done for one MD5 on Flickr more than once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Merge {
    pub md5: String,
    /// The oldest upload.
    pub keeper: String,
    /// The other copies, deleted after the merge.
    pub delete: Vec<String>,
    /// Tags of the others the keeper lacks, as they were written.
    pub add_tags: Vec<String>,
    /// Albums (photoset id, title) that hold another copy but not the keeper.
    pub add_to_albums: Vec<(String, String)>,
    /// Set only when the keeper's own is empty and another copy has one.
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DedupeReport {
    pub plan: Vec<Merge>,
    /// Whether the plan was carried out (`yes`).
    pub applied: bool,
    pub deleted: u64,
    /// MD5 (or photo id) and what went wrong; that MD5's copies are all kept.
    pub errors: Vec<(String, String)>,
    pub api_calls: u64,
}

/// A photo's own words, from flickr.photos.getInfo.
struct Info {
    title: String,
    description: String,
    /// (as written, Flickr's clean form).
    tags: Vec<(String, String)>,
}

pub fn dedupe_flickr(
    catalog: &mut Catalog,
    client: &Client,
    opts: &AccountOptions,
    yes: bool,
    cancel: &Cancel,
) -> Result<DedupeReport, AccountError> {
    if yes {
        catalog.hold_run_lock(cancel)?;
    }
    let (runtime, remote) = connect(client, opts, cancel)?;
    let mut report = runtime.block_on(async {
        let (backend, photos, _) = list_account(&remote).await?;
        let groups = duplicates(&photos);
        let mut report = DedupeReport::default();
        if groups.is_empty() {
            return Ok(report);
        }
        let ids: HashSet<&str> = groups.values().flatten().map(|p| p.id.as_str()).collect();
        let albums = albums_of(&remote, &ids).await?;
        for (md5, copies) in &groups {
            report
                .plan
                .push(plan_one(&remote, md5, copies, &albums).await?);
        }
        if yes {
            report.applied = true;
            for merge in &report.plan {
                match apply(&remote, merge).await {
                    Ok(()) => {
                        report.deleted += merge.delete.len() as u64;
                        record(catalog, &backend, merge, &photos)?;
                    }
                    Err(Stop::Cancelled) => return Err(AccountError::Cancelled),
                    Err(Stop::Flickr(e)) => report.errors.push((merge.md5.clone(), e.to_string())),
                }
            }
        }
        Ok::<_, AccountError>(report)
    })?;
    report.api_calls = remote.calls();
    if cancel.is_cancelled() {
        return Err(AccountError::Cancelled);
    }
    Ok(report)
}

/// MD5 -> its copies, oldest upload first, where there is more than one.
fn duplicates(photos: &[Listed]) -> BTreeMap<String, Vec<&Listed>> {
    let mut by_md5: BTreeMap<String, Vec<&Listed>> = BTreeMap::new();
    for p in photos {
        if let Some(md5) = p.md5s.first() {
            by_md5.entry(md5.clone()).or_default().push(p);
        }
    }
    by_md5.retain(|_, copies| copies.len() > 1);
    for copies in by_md5.values_mut() {
        // Ids grow with time on Flickr: they order uploads within one second.
        copies.sort_by_key(|p| (p.uploaded_at, p.id.len(), p.id.clone()));
    }
    by_md5
}

/// Photo id -> the albums (photoset id, title) holding it, for the photos in `ids`.
async fn albums_of(
    remote: &Remote,
    ids: &HashSet<&str>,
) -> Result<HashMap<String, Vec<(String, String)>>, AccountError> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for set in photosets(remote).await.map_err(stopped)? {
        for id in photoset_members(remote, &set.id).await.map_err(stopped)? {
            if ids.contains(id.as_str()) {
                out.entry(id)
                    .or_default()
                    .push((set.id.clone(), set.title.clone()));
            }
        }
    }
    Ok(out)
}

fn stopped(e: SyncError) -> AccountError {
    match e {
        SyncError::Cancelled(_) => AccountError::Cancelled,
        e => e.into(),
    }
}

async fn plan_one(
    remote: &Remote,
    md5: &str,
    copies: &[&Listed],
    albums: &HashMap<String, Vec<(String, String)>>,
) -> Result<Merge, AccountError> {
    let mut infos = Vec::with_capacity(copies.len());
    for copy in copies {
        infos.push(info(remote, &copy.id).await?);
    }
    let keeper = &infos[0];
    let mut merge = Merge {
        md5: md5.to_string(),
        keeper: copies[0].id.clone(),
        delete: copies[1..].iter().map(|p| p.id.clone()).collect(),
        ..Merge::default()
    };
    let mut clean: HashSet<String> = keeper.tags.iter().map(|(_, c)| c.clone()).collect();
    for (raw, c) in infos[1..].iter().flat_map(|i| &i.tags) {
        if clean.insert(c.clone()) {
            merge.add_tags.push(raw.clone());
        }
    }
    let none = Vec::new();
    let kept_in: HashSet<&String> = albums
        .get(&merge.keeper)
        .unwrap_or(&none)
        .iter()
        .map(|(id, _)| id)
        .collect();
    let mut added = HashSet::new();
    for id in &merge.delete {
        for (set, title) in albums.get(id).unwrap_or(&none) {
            if !kept_in.contains(set) && added.insert(set.clone()) {
                merge.add_to_albums.push((set.clone(), title.clone()));
            }
        }
    }
    let first = |f: fn(&Info) -> &String| {
        infos[1..]
            .iter()
            .map(f)
            .find(|s| !s.trim().is_empty())
            .cloned()
    };
    if keeper.title.trim().is_empty() {
        merge.title = first(|i| &i.title);
    }
    if keeper.description.trim().is_empty() {
        merge.description = first(|i| &i.description);
    }
    Ok(merge)
}

async fn info(remote: &Remote, id: &str) -> Result<Info, AccountError> {
    let answer = rest(remote, "flickr.photos.getInfo", &[("photo_id", id)])
        .await
        .map_err(|e| match e {
            Stop::Cancelled => AccountError::Cancelled,
            Stop::Flickr(e) => SyncError::flickr("reading a duplicate's tags", e).into(),
        })?;
    let photo = &answer["photo"];
    let text = |v: &serde_json::Value| v["_content"].as_str().unwrap_or("").to_string();
    let tags = photo["tags"]["tag"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let raw = t["raw"].as_str().unwrap_or("").to_string();
            let clean = t["_content"]
                .as_str()
                .map_or_else(|| raw.clone(), String::from);
            (raw, clean)
        })
        .filter(|(raw, _)| !raw.is_empty())
        .collect();
    Ok(Info {
        title: text(&photo["title"]),
        description: text(&photo["description"]),
        tags,
    })
}

/// Merges into the keeper, then deletes the others; stops at the first failure, so a
/// copy is deleted only once everything it carried is on the keeper.
async fn apply(remote: &Remote, merge: &Merge) -> Result<(), Stop> {
    let keeper = merge.keeper.as_str();
    if !merge.add_tags.is_empty() {
        let tags = tags_field(&merge.md5, None, &merge.add_tags);
        rest(
            remote,
            "flickr.photos.addTags",
            &[("photo_id", keeper), ("tags", &tags)],
        )
        .await?;
    }
    for (set, _) in &merge.add_to_albums {
        let params = [("photoset_id", set.as_str()), ("photo_id", keeper)];
        rest(remote, "flickr.photosets.addPhoto", &params).await?;
    }
    if merge.title.is_some() || merge.description.is_some() {
        let mut params = vec![("photo_id", keeper)];
        if let Some(t) = &merge.title {
            params.push(("title", t));
        }
        if let Some(d) = &merge.description {
            params.push(("description", d));
        }
        rest(remote, "flickr.photos.setMeta", &params).await?;
    }
    for id in &merge.delete {
        rest(remote, "flickr.photos.delete", &[("photo_id", id)]).await?;
    }
    Ok(())
}

async fn rest(
    remote: &Remote,
    method: &str,
    params: &[(&str, &str)],
) -> Result<serde_json::Value, Stop> {
    let quiet = |_: u32, _: &FlickrError| {};
    remote.rest(method, params, &quiet).await
}

/// The catalog's copies of this MD5 on Flickr: the keeper only.
fn record(
    catalog: &mut Catalog,
    backend: &str,
    merge: &Merge,
    photos: &[Listed],
) -> Result<(), AccountError> {
    let keeper = photos.iter().find(|p| p.id == merge.keeper);
    let uploaded_at = keeper.map_or(0, |p| p.uploaded_at);
    let imgmd5 = keeper.and_then(|p| p.imgmd5.clone());
    catalog.record_remote(
        backend,
        &[RemoteCopy {
            remote_id: merge.keeper.clone(),
            md5: merge.md5.clone(),
            uploaded_at,
            imgmd5,
        }],
        None,
    )?;
    catalog.replace_remote(backend, &merge.delete, &merge.keeper)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(id: &str, uploaded_at: i64, md5: Option<&str>) -> Listed {
        Listed {
            id: id.into(),
            uploaded_at,
            md5s: md5.into_iter().map(String::from).collect(),
            imgmd5: None,
            raw: serde_json::Value::Null,
        }
    }

    #[test]
    fn the_oldest_upload_comes_first_and_ids_break_ties_by_number() {
        let photos = [
            listed("100", 50, Some("a")),
            listed("99", 50, Some("a")),
            listed("7", 60, Some("a")),
            listed("5", 10, Some("b")),
            listed("6", 10, None),
            listed("8", 10, None),
        ];
        let groups = duplicates(&photos);
        assert_eq!(
            groups.len(),
            1,
            "a lone MD5 and untagged photos are no duplicates"
        );
        let order: Vec<&str> = groups["a"].iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["99", "100", "7"]);
    }
}
