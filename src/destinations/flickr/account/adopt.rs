//! Adopt: every photo on the account without a `checksum:md5=` tag (uploaded by the
//! web page, the phone app, another tool) is downloaded, hashed and tagged, and its
//! copy recorded in the catalog at once, so that sync, whose index only reads recent
//! uploads, never uploads it again. Resumable: a tagged photo is done.

use super::{connect, list_account, original_hashes, AccountError, AccountOptions};
use crate::cancel::Cancel;
use crate::catalog::{Catalog, RemoteCopy};
use crate::destinations::flickr::api::{Client, FlickrError};
use crate::destinations::flickr::sync::listing::Listed;
use crate::destinations::flickr::sync::remote::{Remote, Stop};
use serde::Serialize;
use std::sync::Arc;
use tokio::task::JoinSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdoptEvent {
    Planned { untagged: u64, tagged: u64 },
    Adopted { photo_id: String, md5: String },
    Failed { photo_id: String, error: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdoptReport {
    pub adopted: u64,
    pub already_tagged: u64,
    pub failed: u64,
    pub api_calls: u64,
    pub errors: Vec<(String, String)>,
}

pub fn adopt_flickr(
    catalog: &mut Catalog,
    client: &Client,
    opts: &AccountOptions,
    cancel: &Cancel,
    events: &(dyn Fn(AdoptEvent) + Send + Sync),
) -> Result<AdoptReport, AccountError> {
    catalog.hold_run_lock(cancel)?;
    let (runtime, remote) = connect(client, opts, cancel)?;
    let remote = Arc::new(remote);
    let mut report = AdoptReport::default();
    let result = runtime.block_on(run(&remote, catalog, opts, events, &mut report));
    report.api_calls = remote.calls();
    result?;
    if cancel.is_cancelled() {
        return Err(AccountError::Cancelled);
    }
    Ok(report)
}

async fn run(
    remote: &Arc<Remote>,
    catalog: &mut Catalog,
    opts: &AccountOptions,
    events: &(dyn Fn(AdoptEvent) + Send + Sync),
    report: &mut AdoptReport,
) -> Result<(), AccountError> {
    let (backend, photos, notes) = list_account(remote).await?;
    for note in notes {
        report.errors.push((String::new(), note));
    }
    let (untagged, tagged): (Vec<Listed>, Vec<Listed>) =
        photos.into_iter().partition(|p| p.md5s.is_empty());
    report.already_tagged = tagged.len() as u64;
    events(AdoptEvent::Planned {
        untagged: untagged.len() as u64,
        tagged: report.already_tagged,
    });
    let mut queue = untagged.into_iter();
    let mut tasks = JoinSet::new();
    loop {
        while tasks.len() < opts.concurrency.max(1) && !remote.cancel.is_cancelled() {
            let Some(photo) = queue.next() else { break };
            let remote = remote.clone();
            tasks.spawn(async move {
                let outcome = tag(&remote, &photo).await;
                (photo, outcome)
            });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let Ok((photo, outcome)) = joined else {
            continue;
        };
        match outcome {
            Ok((md5, imgmd5)) => {
                let copy = RemoteCopy {
                    remote_id: photo.id.clone(),
                    md5: md5.clone(),
                    uploaded_at: photo.uploaded_at,
                    imgmd5,
                };
                catalog.record_remote(&backend, &[copy], None)?;
                report.adopted += 1;
                events(AdoptEvent::Adopted {
                    photo_id: photo.id,
                    md5,
                });
            }
            Err(error) => {
                report.failed += 1;
                report.errors.push((photo.id.clone(), error.clone()));
                events(AdoptEvent::Failed {
                    photo_id: photo.id,
                    error,
                });
            }
        }
    }
    Ok(())
}

/// Hashes the photo's original and adds its checksum tags (the image-data one too,
/// when it has one); returns the MD5 and the image-data MD5.
async fn tag(remote: &Remote, photo: &Listed) -> Result<(String, Option<String>), String> {
    let (md5, imgmd5) = original_hashes(remote, photo, true).await?;
    let mut tags = crate::destinations::flickr::sync::checksum_tag(&md5);
    if let Some(img) = &imgmd5 {
        tags.push(' ');
        tags.push_str(&crate::destinations::flickr::sync::imgmd5_tag(img));
    }
    let quiet = |_: u32, _: &FlickrError| {};
    let params = [("photo_id", photo.id.as_str()), ("tags", tags.as_str())];
    match remote.rest("flickr.photos.addTags", &params, &quiet).await {
        Ok(_) => Ok((md5, imgmd5)),
        Err(Stop::Cancelled) => Err("stopped before it was tagged".into()),
        Err(Stop::Flickr(e)) => Err(format!("tagging it: {e}")),
    }
}
