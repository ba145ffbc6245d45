//! Setting the taken date of an uploaded photo with flickr.photos.setDates, for the
//! photos whose date Flickr cannot read from the file (it came from the file name or
//! the mtime). It runs beside the uploads, outside their concurrency limit: it is a
//! small call, and the next upload need not wait for it.

use super::remote::{Remote, Stop};
use super::report::SyncEvent;
use super::upload::Job;
use crate::destinations::flickr::api::FlickrError;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

#[derive(Debug)]
pub enum DateResult {
    Set,
    /// Could not be set; the photo is on Flickr all the same.
    Failed(String),
    /// Stopped by the cancel flag: the journal keeps the date for the next run.
    Cancelled,
}

#[derive(Debug)]
pub struct Dated {
    pub job: Job,
    pub photo_id: String,
    pub result: DateResult,
}

/// Sets `date` as the taken date of `photo_id`, the upload of `job`.
pub async fn set(
    remote: Arc<Remote>,
    job: Job,
    photo_id: String,
    date: String,
    events: UnboundedSender<SyncEvent>,
) -> Dated {
    let retried = |attempt: u32, error: &FlickrError| {
        let _ = events.send(SyncEvent::Retried {
            path: job.path.clone(),
            attempt,
            error: error.to_string(),
        });
    };
    let params = [
        ("photo_id", photo_id.as_str()),
        ("date_taken", date.as_str()),
        ("date_taken_granularity", "0"),
    ];
    let result = match remote
        .rest("flickr.photos.setDates", &params, &retried)
        .await
    {
        Ok(_) => DateResult::Set,
        Err(Stop::Cancelled) => DateResult::Cancelled,
        // Code 6: Flickr refuses the date itself (in the future, or too far back);
        // asking again would meet the same answer.
        Err(Stop::Flickr(e)) if e.code() == Some(6) => DateResult::Failed(format!(
            "uploaded as {photo_id}, but Flickr refuses its taken date {date} as in the future or too far in the past ({e}); fix the file's date and sync again"
        )),
        Err(Stop::Flickr(e)) => DateResult::Failed(format!(
            "uploaded as {photo_id}, but its taken date ({date}) could not be set: {e}"
        )),
    };
    Dated {
        job,
        photo_id,
        result,
    }
}
