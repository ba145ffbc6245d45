//! Photos whose metadata changed after their upload (a date fixed with exiftool):
//! their Flickr copy is updated instead of a second one uploaded. The copy's taken
//! date is set to the photo's, its `checksum:md5=` tag becomes the new MD5 (so the
//! old script, which knows only that tag, finds it too) and the catalog records the
//! new MD5 for it; with `replace_edited` the file is replaced first (Flickr's replace
//! API). Also here: the old script's uploads found by MD5 gain their
//! `checksum:imgmd5=` tag, so a later edit of the photo is recognised.
//!
//! These are a few small calls per photo, made one photo at a time after the uploads:
//! the pacer, not concurrency, bounds their rate.

use super::error::SyncError;
use super::remote::{Remote, Stop};
use super::report::{SyncEvent, SyncReport};
use super::tags::{checksum_tag, imgmd5_tag};
use crate::catalog::{Catalog, RemoteCopy};
use crate::destinations::flickr::api::FlickrError;
use crate::library::photo::Photo;
use serde_json::Value;

/// The photos whose copy is updated, and the copies that gain their image-data tag,
/// taken from the plan (owned: they are done after the uploads).
#[derive(Debug, Default)]
pub struct Edits {
    pub edited: Vec<(Photo, RemoteCopy)>,
    pub to_tag: Vec<(Photo, RemoteCopy)>,
}

impl Edits {
    pub fn of(plan: &super::plan::Plan<'_>) -> Edits {
        let own = |list: &[(&Photo, RemoteCopy)]| -> Vec<(Photo, RemoteCopy)> {
            list.iter()
                .map(|(p, c)| ((*p).clone(), c.clone()))
                .collect()
        };
        Edits {
            edited: own(&plan.edited),
            to_tag: own(&plan.to_tag),
        }
    }
}

/// Updates the copies of `edited` photos and tags `to_tag` copies, recording each in
/// the catalog as it is done. Stops early (without error) when the run is cancelled.
pub async fn run(
    remote: &Remote,
    catalog: &mut Catalog,
    backend: &str,
    plan: &Edits,
    replace: bool,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let mut replace = replace;
    for (photo, copy) in &plan.edited {
        if remote.cancel.is_cancelled() {
            return Ok(());
        }
        let retried = retried_event(photo, events);
        let mut result = update(remote, photo, copy, replace, &retried).await;
        if let Err(Problem::NotPro(why)) = &result {
            // Said once for the run: every other edited photo would meet the same.
            report
                .errors
                .push((std::path::PathBuf::new(), not_pro(why)));
            replace = false;
            result = update(remote, photo, copy, false, &retried).await;
        }
        match result {
            Ok(updated) => {
                catalog.record_remote(backend, &[updated], None)?;
                report.edited_updated += 1;
                report.edited_replaced += u64::from(replace);
                events(SyncEvent::Edited {
                    path: photo.path.clone(),
                    photo_id: copy.remote_id.clone(),
                    replaced: replace,
                });
            }
            Err(Problem::Cancelled) => return Ok(()),
            Err(Problem::Failed(why) | Problem::NotPro(why)) => {
                let error = format!(
                    "edited since its upload as Flickr photo {}, which could not be updated: {why}",
                    copy.remote_id
                );
                report.counts.failed += 1;
                report.errors.push((photo.path.clone(), error.clone()));
                events(SyncEvent::Failed {
                    path: photo.path.clone(),
                    error,
                });
            }
        }
    }
    for (photo, copy) in &plan.to_tag {
        if remote.cancel.is_cancelled() {
            return Ok(());
        }
        let Some(img) = &copy.imgmd5 else { continue };
        let retried = retried_event(photo, events);
        let tag = imgmd5_tag(img);
        let params = [
            ("photo_id", copy.remote_id.as_str()),
            ("tags", tag.as_str()),
        ];
        match remote
            .rest("flickr.photos.addTags", &params, &retried)
            .await
        {
            Ok(_) => {
                catalog.record_remote(backend, std::slice::from_ref(copy), None)?;
                report.imgmd5_tagged += 1;
            }
            Err(Stop::Cancelled) => return Ok(()),
            // Not a failure of the backup: the photo is there; the next run tries again.
            Err(Stop::Flickr(e)) => report.errors.push((
                photo.path.clone(),
                format!(
                    "could not add {tag} to Flickr photo {}: {e}",
                    copy.remote_id
                ),
            )),
        }
    }
    Ok(())
}

fn retried_event<'e>(
    photo: &'e Photo,
    events: &'e (dyn Fn(SyncEvent) + Send + Sync),
) -> impl Fn(u32, &FlickrError) + Send + Sync + 'e {
    move |attempt, error| {
        events(SyncEvent::Retried {
            path: photo.path.clone(),
            attempt,
            error: error.to_string(),
        })
    }
}

enum Problem {
    Cancelled,
    Failed(String),
    /// Replace's code 1: the account is not Flickr Pro.
    NotPro(String),
}

/// The run's one message when `replace_edited` meets a free account.
fn not_pro(why: &str) -> String {
    format!(
        "replace_edited: Flickr replaces files only on Pro accounts ({why}); \
         edited photos keep their file on Flickr and get only their taken date \
         and checksum tag updated"
    )
}

impl From<Stop> for Problem {
    fn from(stop: Stop) -> Problem {
        match stop {
            Stop::Cancelled => Problem::Cancelled,
            Stop::Flickr(e) => Problem::Failed(e.to_string()),
        }
    }
}

/// Replaces (when asked) and re-dates `copy`, then moves its checksum tag to the
/// photo's MD5. Returns the copy as it now is.
async fn update(
    remote: &Remote,
    photo: &Photo,
    copy: &RemoteCopy,
    replace: bool,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<RemoteCopy, Problem> {
    let id = copy.remote_id.as_str();
    let Some(md5) = photo.md5.as_deref() else {
        return Ok(copy.clone());
    };
    if replace {
        if let Some(why) =
            super::upload::changed_since_scan(&photo.path, photo.size, photo.mtime_ns).await
        {
            return Err(Problem::Failed(why));
        }
        match remote.replace(&photo.path, id).await {
            Err(Stop::Flickr(e)) if e.code() == Some(1) => {
                return Err(Problem::NotPro(e.to_string()))
            }
            other => other?,
        };
    }
    let date = crate::dates::flickr_format(&photo.taken.local);
    let params = [
        ("photo_id", id),
        ("date_taken", date.as_str()),
        ("date_taken_granularity", "0"),
    ];
    remote
        .rest("flickr.photos.setDates", &params, retried)
        .await?;
    // The new tag first: a run stopped between the two calls leaves the copy findable.
    let tag = checksum_tag(md5);
    let params = [("photo_id", id), ("tags", tag.as_str())];
    remote
        .rest("flickr.photos.addTags", &params, retried)
        .await?;
    let info = remote
        .rest("flickr.photos.getInfo", &[("photo_id", id)], retried)
        .await?;
    for tag_id in tag_ids(&info, &checksum_tag(&copy.md5)) {
        let params = [("photo_id", id), ("tag_id", tag_id.as_str())];
        remote
            .rest("flickr.photos.removeTag", &params, retried)
            .await?;
    }
    Ok(RemoteCopy {
        md5: md5.to_string(),
        imgmd5: photo.imgmd5.clone(),
        ..copy.clone()
    })
}

/// The ids of the tags of a getInfo answer whose raw text is `raw` (case aside).
fn tag_ids(info: &Value, raw: &str) -> Vec<String> {
    info["photo"]["tags"]["tag"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter(|t| {
                    t["raw"]
                        .as_str()
                        .is_some_and(|r| r.trim_matches('"').eq_ignore_ascii_case(raw))
                })
                .filter_map(|t| t["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_old_checksum_tag_among_the_others() {
        let info = json!({"photo": {"tags": {"tag": [
            {"id": "1-a", "raw": "checksum:md5=AA"},
            {"id": "1-b", "raw": "checksum:imgmd5=aa"},
            {"id": "1-c", "raw": "holiday"},
        ]}}});
        assert_eq!(tag_ids(&info, "checksum:md5=aa"), vec!["1-a"]);
        assert!(tag_ids(&json!({}), "x").is_empty());
    }
}
