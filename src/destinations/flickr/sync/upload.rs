//! One photo's upload, exactly once: it carries its checksum tag, transient failures
//! are retried, and when the outcome of a try is unknown (the connection dropped after
//! the file was sent) Flickr is asked for the checksum before trying again.

use super::remote::{Remote, Stop};
use super::report::SyncEvent;
use super::tickets::{TicketOutcome, Tickets};
use crate::destinations::flickr::api::{FlickrError, UploadAnswer};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// What to upload, owned, so it can move to a task.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: PathBuf,
    pub md5: String,
    /// Recorded with the remote copy: the upload carries its tag.
    pub imgmd5: Option<String>,
    pub size: u64,
    /// As scanned: a file changed since then no longer has the MD5 its tag would claim.
    pub mtime_ns: i64,
    pub params: Vec<(String, String)>,
    /// Set with flickr.photos.setDates after the upload.
    pub date_taken: Option<String>,
    /// Times it was sent again after a lost answer and a search that found nothing.
    pub resent: u32,
}

#[derive(Debug)]
pub enum Outcome {
    Uploaded {
        photo_id: String,
    },
    /// An async upload was taken: the photo id comes from polling the ticket.
    Ticket {
        ticket: String,
    },
    /// Flickr refused it, or transient failures outlasted the attempts. `refused`:
    /// Flickr refused the file itself (type, size), so sending it again is pointless.
    Failed {
        error: String,
        maybe_stored: bool,
        refused: bool,
    },
    /// The answer was lost after the file was sent: Flickr may have stored it. It is
    /// not sent again until a search made after the lookup delay (longer than Flickr's
    /// search lag) says it is not there ([`settle_lost`]).
    Lost {
        error: String,
    },
    /// Its answer was lost and a search after the lookup delay did not find it: Flickr
    /// did not store it. Sent again through an upload slot, like any upload.
    Resend,
    /// Stopped by the cancel flag before it was done.
    Cancelled {
        maybe_stored: bool,
    },
}

#[derive(Debug)]
pub struct Done {
    pub job: Job,
    pub outcome: Outcome,
}

/// Uploads `job`; progress (retries) goes to `events`. The taken date is set
/// separately (`dates::set`), so that an upload slot is free as soon as the file is up.
pub async fn run(remote: Arc<Remote>, job: Job, events: UnboundedSender<SyncEvent>) -> Done {
    let outcome = upload(&remote, &job, &events).await;
    Done { job, outcome }
}

/// The rest of an async upload: waits for its ticket.
pub async fn finish_async(tickets: Arc<Tickets>, job: Job, ticket: String) -> Done {
    let outcome = match tickets.wait(ticket).await {
        TicketOutcome::Done { photo_id } => Outcome::Uploaded { photo_id },
        TicketOutcome::Failed(error) => Outcome::Failed {
            error,
            maybe_stored: false,
            refused: false,
        },
        TicketOutcome::Unknown(why) => Outcome::Failed {
            error: format!("{why}; the next run looks the checksum up"),
            maybe_stored: true,
            refused: false,
        },
    };
    Done { job, outcome }
}

async fn upload(remote: &Remote, job: &Job, events: &UnboundedSender<SyncEvent>) -> Outcome {
    let retried = |attempt: u32, error: &FlickrError| {
        let _ = events.send(SyncEvent::Retried {
            path: job.path.clone(),
            attempt,
            error: error.to_string(),
        });
    };
    if let Some(error) = changed_since_scan(&job.path, job.size, job.mtime_ns).await {
        return Outcome::Failed {
            error,
            maybe_stored: false,
            refused: false,
        };
    }
    let max = remote.max_attempts();
    let (mut attempt, mut throttled) = (1, 0);
    loop {
        let error = match remote.upload(&job.path, &job.params).await {
            Ok(UploadAnswer::PhotoId(photo_id)) => return Outcome::Uploaded { photo_id },
            Ok(UploadAnswer::TicketId(ticket)) if remote.async_uploads() => {
                return Outcome::Ticket { ticket }
            }
            Ok(UploadAnswer::TicketId(ticket)) => {
                return Outcome::Failed {
                    error: format!("Flickr answered with ticket {ticket} to a synchronous upload"),
                    maybe_stored: true,
                    refused: false,
                };
            }
            Err(Stop::Cancelled) => {
                return Outcome::Cancelled {
                    maybe_stored: false,
                }
            }
            Err(Stop::Flickr(e)) => e,
        };
        if let Some(outcome) = duplicate(remote, job, &error, &retried).await {
            return outcome;
        }
        if error.code() == Some(14) && throttled < MAX_THROTTLED {
            // A free account's desktop uploads are spaced out: wait as long as Flickr
            // says (every upload of the run, as the pacer's back-off) and send it
            // again; this is not a failed attempt.
            throttled += 1;
            let wait = error.upload_wait().unwrap_or(DEFAULT_UPLOAD_WAIT);
            remote.pacer.back_off(wait);
            if remote.pause(wait).await.is_err() {
                return Outcome::Cancelled {
                    maybe_stored: false,
                };
            }
            continue;
        }
        let unknown = outcome_unknown(&error);
        if unknown {
            retried(attempt, &error);
            // Looking it up now would miss a photo Flickr stored a moment ago (its
            // search lags): it is settled in the background, after the lookup delay.
            return Outcome::Lost {
                error: error.to_string(),
            };
        }
        if !error.is_retryable() {
            return Outcome::Failed {
                error: explain(&error),
                maybe_stored: unknown,
                refused: refuses_the_file(&error),
            };
        }
        let last = attempt >= max;
        if !last {
            retried(attempt, &error);
            if remote.wait_after(attempt, &error).await.is_err() {
                return Outcome::Cancelled {
                    maybe_stored: false,
                };
            }
        }
        if last {
            return Outcome::Failed {
                error: format!("{error} (gave up after {attempt} attempts)"),
                maybe_stored: false,
                refused: false,
            };
        }
        attempt += 1;
    }
}

/// Code 14s one upload waits out before it fails.
const MAX_THROTTLED: u32 = 50;
/// The wait after a code 14 that does not say how long.
const DEFAULT_UPLOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Upload code 9 (Flickr found the same bytes on the account, asked with
/// `dedup_check`): the copy Flickr names is this photo's, and gains its tags. Without a
/// name, the copy is looked for by its checksum (now, and after the lookup delay: it may
/// be an upload of ours search does not show yet); found, it is this photo's; not found,
/// it is a copy without our tag (another app's), and the file is refused, with what to
/// do, so it is not sent again until it changes.
async fn duplicate(
    remote: &Remote,
    job: &Job,
    error: &FlickrError,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Option<Outcome> {
    if error.code() != Some(9) {
        return None;
    }
    let Some(photo_id) = error.duplicate_photo_id() else {
        let md5s = [job.md5.clone()];
        return Some(match lookup_all_twice(remote, &md5s, retried).await {
            Ok(mut found) => match found.remove(&job.md5) {
                Some(photo_id) => Outcome::Uploaded { photo_id },
                None => Outcome::Failed {
                    error: format!(
                        "{error}: the same bytes are on Flickr without a checksum tag (put there by another app); `photosync adopt flickr` tags them"
                    ),
                    maybe_stored: false,
                    refused: true,
                },
            },
            Err(Stop::Cancelled) => Outcome::Cancelled {
                maybe_stored: false,
            },
            Err(Stop::Flickr(e)) => Outcome::Failed {
                error: format!("{error}; then looking the checksum up failed: {e}"),
                maybe_stored: false,
                refused: false,
            },
        });
    };
    let tags = job
        .params
        .iter()
        .find(|(k, _)| k == "tags")
        .map_or("", |(_, v)| v.as_str());
    let params = [("photo_id", photo_id), ("tags", tags)];
    // The copy is found by its checksum tag from now on; when tagging fails the
    // catalog still holds it, and the next full read tags nothing but finds it by id.
    let _ = remote.rest("flickr.photos.addTags", &params, retried).await;
    Some(Outcome::Uploaded {
        photo_id: photo_id.to_string(),
    })
}

/// Why the file is not the one scanned any more (changed, gone), if it is not.
pub(super) async fn changed_since_scan(
    path: &std::path::Path,
    size: u64,
    mtime_ns: i64,
) -> Option<String> {
    match tokio::fs::metadata(path).await {
        Err(e) => Some(format!("cannot read {}: {e}", path.display())),
        Ok(meta) if meta.len() != size || crate::library::hash::mtime_ns(&meta) != mtime_ns => {
            Some(format!(
                "{} changed since it was scanned; the next sync scans and uploads it again",
                path.display()
            ))
        }
        Ok(_) => None,
    }
}

/// The upload may have been stored: the connection died, a gateway failed, or the
/// answer could not be read, after the file was sent.
fn outcome_unknown(error: &FlickrError) -> bool {
    error.outcome_unknown()
        || matches!(
            error,
            FlickrError::Http {
                status: 502 | 504,
                ..
            } | FlickrError::Malformed { .. }
        )
}

/// Flickr's upload errors about the file itself: empty, type not recognised, too large,
/// and a video past the account's video limit (7).
fn refuses_the_file(error: &FlickrError) -> bool {
    matches!(error.code(), Some(4 | 5 | 7 | 8))
}

/// The message for a permanent failure, with what the user can do.
fn explain(error: &FlickrError) -> String {
    let hint = match error.code() {
        Some(4 | 5 | 8) => "; Flickr does not accept this file",
        Some(6) => "; the account's upload limit is reached",
        Some(7) => "; the account's video limit is reached (Flickr Pro lifts it)",
        Some(96..=100) => "; check the credentials (photosync login)",
        _ => "",
    };
    format!("{error}{hint}")
}

/// The rest of an upload whose answer was lost: after the lookup delay (longer than
/// Flickr's search lag, so a stored photo is searchable by then) its checksum is looked
/// up; found, it is uploaded; not found, it was never stored and is sent again through
/// an upload slot ([`Outcome::Resend`]). A lookup that fails leaves it in the journal
/// for the next run.
pub async fn settle_lost(
    remote: Arc<Remote>,
    job: Job,
    error: String,
    events: UnboundedSender<SyncEvent>,
) -> Done {
    let retried = |attempt: u32, e: &FlickrError| {
        let _ = events.send(SyncEvent::Retried {
            path: job.path.clone(),
            attempt,
            error: e.to_string(),
        });
    };
    if remote.pause(remote.lookup_delay()).await.is_err() {
        let outcome = Outcome::Cancelled { maybe_stored: true };
        return Done { job, outcome };
    }
    let outcome = match lookup(&remote, &job.md5, &retried).await {
        Ok(Some(photo_id)) => Outcome::Uploaded { photo_id },
        Ok(None) if job.resent < remote.max_attempts() => Outcome::Resend,
        Ok(None) => Outcome::Failed {
            error: format!(
                "{error}; sent {} times, the answer lost each time; the next run checks again",
                job.resent + 1
            ),
            maybe_stored: true,
            refused: false,
        },
        Err(Stop::Cancelled) => Outcome::Cancelled { maybe_stored: true },
        Err(Stop::Flickr(e)) => Outcome::Failed {
            error: format!(
                "{error}; then looking the checksum up failed: {e}; the next run checks again"
            ),
            maybe_stored: true,
            refused: false,
        },
    };
    Done { job, outcome }
}

/// [`lookup`] for many checksums, and again after the lookup delay for those not
/// found (Flickr's search lags behind uploads), with one pause for all of them: MD5 -> the id of
/// the photo found. What is not in the answer was not found either time.
pub async fn lookup_all_twice(
    remote: &Remote,
    md5s: &[String],
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<std::collections::HashMap<String, String>, Stop> {
    let mut found = std::collections::HashMap::new();
    for md5 in md5s {
        if let Some(id) = lookup(remote, md5, retried).await? {
            found.insert(md5.clone(), id);
        }
    }
    if found.len() == md5s.len() {
        return Ok(found);
    }
    remote.pause(remote.lookup_delay()).await?;
    for md5 in md5s
        .iter()
        .filter(|m| !found.contains_key(*m))
        .cloned()
        .collect::<Vec<_>>()
    {
        if let Some(id) = lookup(remote, &md5, retried).await? {
            found.insert(md5, id);
        }
    }
    Ok(found)
}

/// The id of a photo on the account carrying the checksum tag of `md5`, if any.
pub async fn lookup(
    remote: &Remote,
    md5: &str,
    retried: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<Option<String>, Stop> {
    let tag = super::tags::checksum_tag(md5);
    let answer = remote
        .rest(
            "flickr.photos.search",
            &[("user_id", "me"), ("machine_tags", &tag), ("per_page", "1")],
            retried,
        )
        .await?;
    Ok(answer["photos"]["photo"]
        .as_array()
        .and_then(|list| list.first())
        .and_then(|p| match &p["id"] {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }))
}
