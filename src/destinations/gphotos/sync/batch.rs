//! Turning upload tokens into media items: one batchCreate of up to 50 at a time, each
//! token marked as sent before the call so an answer lost to a crash is resolved by the
//! next run. Every item's own status is read: created (or already there) is recorded with
//! its id, a refused file is remembered, an expired token is uploaded again, an item that
//! failed alone is tried again in a later call. A call Google refuses whole for one bad
//! upload token is split until that token stands alone.

use super::destination::Gphotos;
use super::error::GphotosSyncError;
use super::plan::Job;
use crate::destinations::flickr::sync::SyncEvent;
use crate::destinations::gphotos::api::{GphotosError, ItemStatus, NewItem};
use crate::engine::destination::{Cx, Landed};

/// An upload token waiting for its batchCreate.
pub struct Ready {
    job: Job,
    token: String,
    attempts: u32,
    /// Left by a previous run: no bytes were sent for it in this one.
    reused: bool,
}

impl Ready {
    pub fn new(job: Job, token: String, reused: bool) -> Self {
        Ready {
            job,
            token,
            attempts: 0,
            reused,
        }
    }
}

/// A per-item status about the bytes themselves: Google will not take them however often
/// they are sent. `BAD_IMAGE` is what Google answers for bytes it cannot decode (a RAW
/// format it does not read, a broken file), with code 3: Bostwickenator/STGUploader#22.
fn refused(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.starts_with("bad_image") || m.contains("not supported") || m.contains("too large")
}

fn failed(job: &Job, reason: String) -> Landed<Gphotos> {
    Landed::Failed {
        path: job.path.clone(),
        reason,
    }
}

/// What one batchCreate call came to.
enum Call {
    /// Each item's outcome (nothing, when the run stops: quota, login, cancel).
    Landed(Vec<Landed<Gphotos>>),
    /// Google refused the whole call for an upload token it does not take (unknown,
    /// expired, or already made into an item): nothing was created.
    BadToken(Vec<Ready>),
    /// The same, for a call sent again after its answer was lost: the first one made the
    /// items, so every token is used.
    Used(Vec<Ready>),
}

impl Gphotos {
    /// batchCreate for `batch`, and what became of each item. A call refused whole for a
    /// bad upload token is split in halves until the bad tokens stand alone: the others
    /// are created, each bad one is dropped from the journal and its bytes go again once,
    /// so no run replays a batch Google will never take.
    pub(super) async fn create(
        &mut self,
        cx: &mut Cx<'_, Self>,
        batch: Vec<Ready>,
    ) -> Result<Vec<Landed<Self>>, GphotosSyncError> {
        let mut landed = Vec::new();
        let mut parts = vec![batch];
        while let Some(mut part) = parts.pop() {
            if self.fatal.is_some() || self.client.budget_left() == 0 || cx.cancel.is_aborted() {
                self.ready.extend(part);
                continue;
            }
            match self.call(cx, part).await? {
                Call::Landed(mut l) => landed.append(&mut l),
                // The lost answer's call made the items: every token is used. Their bytes
                // go again (Google answers them with the items made), without a split.
                Call::Used(all) => landed.extend(self.bad_tokens(cx, all)?),
                Call::BadToken(one) if one.len() == 1 => landed.extend(self.bad_tokens(cx, one)?),
                Call::BadToken(whole) => {
                    part = whole;
                    let second = part.split_off(part.len() / 2);
                    parts.push(second);
                    parts.push(part);
                }
            }
        }
        Ok(landed)
    }

    /// Drops the tokens Google would not take from the journal; each photo's bytes go
    /// again, once in a run.
    fn bad_tokens(
        &mut self,
        cx: &mut Cx<'_, Self>,
        batch: Vec<Ready>,
    ) -> Result<Vec<Landed<Self>>, GphotosSyncError> {
        let mut landed = Vec::with_capacity(batch.len());
        for r in batch {
            cx.report.bad_tokens += 1;
            cx.catalog.gphotos_token_forget(&cx.backend, &r.job.md5)?;
            landed.push(if self.requeued.insert(r.job.md5.clone()) {
                Landed::Again(r.job)
            } else {
                failed(
                    &r.job,
                    "Google did not take its upload token, twice \
                     (\"Request must contain a valid upload token.\"); tried again on the next run"
                        .into(),
                )
            });
        }
        Ok(landed)
    }

    /// One batchCreate call for `batch`.
    async fn call(
        &mut self,
        cx: &mut Cx<'_, Self>,
        batch: Vec<Ready>,
    ) -> Result<Call, GphotosSyncError> {
        let md5s: Vec<String> = batch.iter().map(|r| r.job.md5.clone()).collect();
        let now = self.client.server_now();
        cx.catalog.gphotos_tokens_sent(&cx.backend, &md5s, now)?;
        let items: Vec<NewItem> = batch
            .iter()
            .map(|r| NewItem {
                upload_token: r.token.clone(),
                file_name: r.job.file_name.clone(),
                description: self.opts.description_for(&r.job.md5),
            })
            .collect();
        let mut calls = 0u64;
        let client = &self.client;
        // A lost answer is resolved by sending the same tokens again: Google answers
        // identical bytes with the item it already made (or, for tokens it has used, the
        // whole call fails, and the split sends those bytes again).
        let lost_answer = std::sync::atomic::AtomicBool::new(false);
        let on_retry = |_: u32, e: &GphotosError| {
            if matches!(e, GphotosError::Transport { .. }) {
                lost_answer.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        };
        let result = client
            .retrying(&self.cancel, &on_retry, || {
                calls += 1;
                client.batch_create(&items, None)
            })
            .await;
        let lost_answer = lost_answer.into_inner();
        cx.report.batch_create_calls += calls;
        let landed = match result {
            Ok(statuses) => self.statuses(cx, batch, statuses)?,
            // Sent again after a lost answer: that first call may have made the items.
            Err(e) if e.is_bad_upload_token() && lost_answer => {
                self.save_quota(cx)?;
                return Ok(Call::Used(batch));
            }
            Err(e) if e.is_bad_upload_token() => {
                self.save_quota(cx)?;
                return Ok(Call::BadToken(batch));
            }
            Err(GphotosError::QuotaSpent) => {
                self.quota_spent(cx)?;
                // Their tokens stay journalled as sent: the next run resolves them.
                self.ready.extend(batch);
                Vec::new()
            }
            Err(e @ GphotosError::Revoked(_)) => {
                self.fatal = Some(GphotosSyncError::Login(e));
                Vec::new()
            }
            Err(GphotosError::Cancelled) => Vec::new(),
            Err(e) => batch
                .iter()
                .map(|r| {
                    failed(
                        &r.job,
                        format!("{e}; the next run finds out whether it was created"),
                    )
                })
                .collect(),
        };
        self.save_quota(cx)?;
        Ok(Call::Landed(landed))
    }

    fn statuses(
        &mut self,
        cx: &mut Cx<'_, Self>,
        batch: Vec<Ready>,
        statuses: Vec<ItemStatus>,
    ) -> Result<Vec<Landed<Self>>, GphotosSyncError> {
        let mut landed = Vec::with_capacity(batch.len());
        for (mut r, status) in batch.into_iter().zip(statuses) {
            let backend = &cx.backend;
            landed.push(match status {
                ItemStatus::Created { id } | ItemStatus::Exists { id: Some(id) } => {
                    self.created(cx, &r, &id)?
                }
                // Already in the library, its id not named: recorded so it is not sent again.
                ItemStatus::Exists { id: None } => {
                    let id = format!("exists:{}", r.job.md5);
                    self.created(cx, &r, &id)?
                }
                ItemStatus::Failed { message, .. } if refused(&message) => {
                    cx.catalog.gphotos_token_forget(backend, &r.job.md5)?;
                    Landed::Refused {
                        path: r.job.path,
                        md5: r.job.md5,
                        reason: format!("Google Photos refused it: {message}"),
                        message,
                    }
                }
                ItemStatus::Failed { code: 3, message } => {
                    // The token is no longer good (a day old): the bytes go again, once.
                    cx.catalog.gphotos_token_forget(backend, &r.job.md5)?;
                    if self.requeued.insert(r.job.md5.clone()) {
                        Landed::Again(r.job)
                    } else {
                        failed(&r.job, message)
                    }
                }
                ItemStatus::Failed { code, message } => {
                    r.attempts += 1;
                    if r.attempts < self.opts.item_attempts.max(1) {
                        self.ready.push_back(r);
                        Landed::Staged
                    } else {
                        failed(&r.job, format!("batchCreate item status {code}: {message}"))
                    }
                }
            });
        }
        Ok(landed)
    }

    fn created(
        &mut self,
        cx: &mut Cx<'_, Self>,
        r: &Ready,
        id: &str,
    ) -> Result<Landed<Self>, GphotosSyncError> {
        let now = self.client.server_now();
        cx.catalog
            .gphotos_created(&cx.backend, &r.job.md5, id, now)?;
        if r.reused {
            cx.report.reused_tokens += 1;
        }
        Ok(Landed::Done {
            bytes: r.job.size,
            event: SyncEvent::Uploaded {
                path: r.job.path.clone(),
                photo_id: id.to_string(),
                bytes: r.job.size,
            },
        })
    }
}
