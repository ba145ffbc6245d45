//! Runs the planned uploads: up to `concurrency` uploads in flight, each upload token
//! journalled as soon as it comes back; tokens are turned into media items by one
//! batchCreate of up to 50 at a time, each marked as sent before the call so an answer lost
//! to a crash is resolved by the next run. Every item's own status is read: created (or
//! already there) is recorded with its id, a refused file is remembered, an expired token
//! is uploaded again, an item that failed alone is tried again in a later call. Before each
//! upload, enough of the day's budget is kept back for the batchCreate calls still owed.

use super::error::GphotosSyncError;
use super::options::GphotosSyncOptions;
use super::plan::Job;
use super::report::GphotosReport;
use super::resolve::Resolved;
use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError};
use crate::destinations::flickr::sync::SyncEvent;
use crate::destinations::gphotos::api::{
    description_for, Client, GphotosError, ItemStatus, NewItem, Uploaded, BATCH_LIMIT,
};
use crate::engine::outcome::{Note, Word};
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use tokio::task::JoinSet;

/// The day's request count, kept in the catalog across runs.
#[derive(Clone)]
pub struct Quota {
    pub backend: String,
    pub day: i64,
    pub used_before: u64,
    pub calls_before: u64,
    pub daily: u64,
}

impl Quota {
    pub fn save(&self, catalog: &mut Catalog, client: &Client) -> Result<(), CatalogError> {
        let used = self.used_before + client.calls().saturating_sub(self.calls_before);
        catalog.gphotos_quota_set(&self.backend, self.day, used)
    }

    /// Google said the day's budget is spent, whatever photosync counted.
    fn spent(&self, catalog: &mut Catalog) -> Result<(), CatalogError> {
        catalog.gphotos_quota_set(&self.backend, self.day, self.daily)
    }
}

/// An upload token waiting for its batchCreate.
struct Ready {
    job: Job,
    token: String,
    attempts: u32,
    reused: bool,
}

/// How the loop has to end early.
#[derive(Default)]
struct Stop {
    quota: bool,
    fatal: Option<GphotosSyncError>,
}

pub struct Run<'a> {
    client: Arc<Client>,
    catalog: &'a mut Catalog,
    backend: &'a str,
    opts: &'a GphotosSyncOptions,
    cancel: &'a Cancel,
    events: &'a (dyn Fn(SyncEvent) + Send + Sync),
    quota: Quota,
    /// Photos whose token expired, uploaded again once.
    requeued: HashSet<String>,
}

/// A per-item status about the bytes themselves: Google will not take them however often
/// they are sent. `BAD_IMAGE` is what Google answers for bytes it cannot decode (a RAW
/// format it does not read, a broken file), with code 3: Bostwickenator/STGUploader#22.
fn refused(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.starts_with("bad_image") || m.contains("not supported") || m.contains("too large")
}

impl<'a> Run<'a> {
    pub fn new(
        client: Arc<Client>,
        catalog: &'a mut Catalog,
        backend: &'a str,
        opts: &'a GphotosSyncOptions,
        cancel: &'a Cancel,
        events: &'a (dyn Fn(SyncEvent) + Send + Sync),
        quota: Quota,
    ) -> Self {
        Run {
            client,
            catalog,
            backend,
            opts,
            cancel,
            events,
            quota,
            requeued: HashSet::new(),
        }
    }

    pub async fn execute(
        &mut self,
        jobs: Vec<Job>,
        resolved: Resolved,
        report: &mut GphotosReport,
    ) -> Result<(), GphotosSyncError> {
        let mut queue = VecDeque::new();
        let mut ready = VecDeque::new();
        let mut left = 0u64;
        for job in jobs {
            if resolved.unresolved.contains(&job.md5) {
                left += 1;
                report.errors.push((
                    job.path,
                    "an earlier batchCreate is not resolved yet (the listing failed); tried on the next run".into(),
                ));
            } else if let Some(entry) = resolved.reusable.get(&job.md5) {
                let token = entry.token.clone();
                ready.push_back(Ready {
                    job,
                    token,
                    attempts: 0,
                    reused: true,
                });
            } else {
                queue.push_back(job);
            }
        }
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<SyncEvent>();
        let mut tasks: JoinSet<(Job, Result<Uploaded, GphotosError>)> = JoinSet::new();
        let mut stop = Stop::default();
        loop {
            while tasks.len() < self.opts.concurrency.max(1)
                && !self.cancel.is_cancelled()
                && !stop.quota
                && stop.fatal.is_none()
                && !queue.is_empty()
            {
                // Keep back what the batchCreate calls still owed will need.
                let owed = (ready.len() + tasks.len() + 1).div_ceil(BATCH_LIMIT) as u64;
                if self.client.budget_left() <= owed + tasks.len() as u64 {
                    stop.quota = true;
                    break;
                }
                let Some(job) = queue.pop_front() else { break };
                (self.events)(SyncEvent::Started {
                    path: job.path.clone(),
                });
                self.spawn_upload(&mut tasks, job, &tx);
            }
            let aborted = self.cancel.is_aborted();
            if aborted {
                tasks.abort_all();
            }
            let full = ready.len() >= BATCH_LIMIT || (!ready.is_empty() && tasks.is_empty());
            if full && !aborted && stop.fatal.is_none() {
                let n = ready.len().min(BATCH_LIMIT);
                let batch: Vec<Ready> = ready.drain(..n).collect();
                self.flush(batch, &mut ready, &mut queue, report, &mut stop)
                    .await?;
                if stop.quota && !ready.is_empty() && self.client.budget_left() == 0 {
                    left += ready.len() as u64;
                    ready.clear();
                }
                continue;
            }
            if tasks.is_empty() {
                break;
            }
            tokio::select! {
                Some(event) = rx.recv() => (self.events)(event),
                Some(joined) = tasks.join_next() => {
                    if let Ok((job, result)) = joined {
                        self.uploaded(job, result, &mut ready, &mut queue, report, &mut stop)?;
                    }
                }
            }
        }
        while let Ok(event) = rx.try_recv() {
            (self.events)(event);
        }
        self.quota.save(self.catalog, &self.client)?;
        if let Some(fatal) = stop.fatal {
            return Err(fatal);
        }
        if stop.quota {
            left += (queue.len() + ready.len()) as u64;
            report.left = left;
            report.stopped = Some(format!(
                "the daily quota of {} requests is used up: {left} photos left, the quota resets at 00:00 Pacific",
                self.quota.daily
            ));
        } else {
            report.left = left;
        }
        Ok(())
    }

    fn spawn_upload(
        &self,
        tasks: &mut JoinSet<(Job, Result<Uploaded, GphotosError>)>,
        job: Job,
        tx: &tokio::sync::mpsc::UnboundedSender<SyncEvent>,
    ) {
        let client = self.client.clone();
        let cancel = self.cancel.clone();
        let tx = tx.clone();
        let (above, chunk) = (self.opts.resumable_above, self.opts.chunk_size);
        tasks.spawn(async move {
            let path = job.path.clone();
            let on_retry = move |attempt: u32, e: &GphotosError| {
                let _ = tx.send(SyncEvent::Retried {
                    path: path.clone(),
                    attempt,
                    error: e.to_string(),
                });
            };
            let result = client
                .upload(
                    &job.path,
                    job.size,
                    job.mime,
                    &job.file_name,
                    above,
                    chunk,
                    &cancel,
                    &on_retry,
                )
                .await;
            (job, result)
        });
    }

    fn failed(&self, report: &mut GphotosReport, job: &Job, error: String) {
        self.tell(report, job, Word::Failed, error);
    }

    fn tell(&self, report: &mut GphotosReport, job: &Job, word: Word, reason: String) {
        let note = Note {
            path: job.path.clone(),
            word,
            reason,
        };
        report.tally().note(&note.path, word, &note.reason);
        (self.events)(SyncEvent::of_note(&note));
    }

    fn uploaded(
        &mut self,
        job: Job,
        result: Result<Uploaded, GphotosError>,
        ready: &mut VecDeque<Ready>,
        queue: &mut VecDeque<Job>,
        report: &mut GphotosReport,
        stop: &mut Stop,
    ) -> Result<(), GphotosSyncError> {
        match result {
            Ok(up) => {
                let now = self.client.server_now();
                self.catalog.gphotos_token_record(
                    self.backend,
                    &job.md5,
                    &up.token,
                    &job.path,
                    now,
                )?;
                ready.push_back(Ready {
                    job,
                    token: up.token,
                    attempts: 0,
                    reused: false,
                });
            }
            Err(GphotosError::QuotaSpent) => {
                if self.client.budget_left() > 0 {
                    self.quota.spent(self.catalog)?;
                    self.client.set_budget(self.client.calls());
                }
                stop.quota = true;
                queue.push_front(job);
            }
            Err(e @ GphotosError::Revoked(_)) => stop.fatal = Some(GphotosSyncError::Login(e)),
            Err(GphotosError::Cancelled) => {}
            Err(e) => self.failed(report, &job, e.to_string()),
        }
        Ok(())
    }

    fn created(
        &mut self,
        r: &Ready,
        id: &str,
        report: &mut GphotosReport,
    ) -> Result<(), GphotosSyncError> {
        let now = self.client.server_now();
        self.catalog
            .gphotos_created(self.backend, &r.job.md5, id, now)?;
        report.counts.done += 1;
        report.bytes += r.job.size;
        if r.reused {
            report.reused_tokens += 1;
        }
        (self.events)(SyncEvent::Uploaded {
            path: r.job.path.clone(),
            photo_id: id.to_string(),
            bytes: r.job.size,
        });
        Ok(())
    }

    async fn flush(
        &mut self,
        batch: Vec<Ready>,
        ready: &mut VecDeque<Ready>,
        queue: &mut VecDeque<Job>,
        report: &mut GphotosReport,
        stop: &mut Stop,
    ) -> Result<(), GphotosSyncError> {
        let md5s: Vec<String> = batch.iter().map(|r| r.job.md5.clone()).collect();
        self.catalog
            .gphotos_tokens_sent(self.backend, &md5s, self.client.server_now())?;
        let items: Vec<NewItem> = batch
            .iter()
            .map(|r| NewItem {
                upload_token: r.token.clone(),
                file_name: r.job.file_name.clone(),
                description: description_for(self.opts.description.as_deref(), &r.job.md5),
            })
            .collect();
        let quiet = |_: u32, _: &GphotosError| {};
        let mut calls = 0u64;
        // A lost answer is resolved by sending the same tokens again: Google answers
        // identical bytes with the item it already made.
        let result = self
            .client
            .retrying(self.cancel, &quiet, || {
                calls += 1;
                self.client.batch_create(&items, None)
            })
            .await;
        report.batch_create_calls += calls;
        let outcome = match result {
            Ok(statuses) => self.statuses(batch, statuses, ready, queue, report),
            Err(GphotosError::QuotaSpent) => {
                if self.client.budget_left() > 0 {
                    self.quota.spent(self.catalog)?;
                    self.client.set_budget(self.client.calls());
                }
                stop.quota = true;
                // Their tokens stay journalled as sent: the next run resolves them.
                ready.extend(batch);
                Ok(())
            }
            Err(e @ GphotosError::Revoked(_)) => {
                stop.fatal = Some(GphotosSyncError::Login(e));
                Ok(())
            }
            Err(GphotosError::Cancelled) => Ok(()),
            Err(e) => {
                for r in &batch {
                    self.failed(
                        report,
                        &r.job,
                        format!("{e}; the next run finds out whether it was created"),
                    );
                }
                Ok(())
            }
        };
        self.quota.save(self.catalog, &self.client)?;
        outcome
    }

    fn statuses(
        &mut self,
        batch: Vec<Ready>,
        statuses: Vec<ItemStatus>,
        ready: &mut VecDeque<Ready>,
        queue: &mut VecDeque<Job>,
        report: &mut GphotosReport,
    ) -> Result<(), GphotosSyncError> {
        for (mut r, status) in batch.into_iter().zip(statuses) {
            match status {
                ItemStatus::Created { id } | ItemStatus::Exists { id: Some(id) } => {
                    self.created(&r, &id, report)?
                }
                // Already in the library, its id not named: recorded so it is not sent again.
                ItemStatus::Exists { id: None } => {
                    let id = format!("exists:{}", r.job.md5);
                    self.created(&r, &id, report)?
                }
                ItemStatus::Failed { message, .. } if refused(&message) => {
                    self.catalog
                        .record_refusal(self.backend, &r.job.md5, &message)?;
                    self.catalog
                        .gphotos_token_forget(self.backend, &r.job.md5)?;
                    let reason = format!("Google Photos refused it: {message}");
                    self.tell(report, &r.job, Word::Refused, reason);
                }
                ItemStatus::Failed { code: 3, message } => {
                    // The token is no longer good (a day old): the bytes go again, once.
                    self.catalog
                        .gphotos_token_forget(self.backend, &r.job.md5)?;
                    if self.requeued.insert(r.job.md5.clone()) {
                        queue.push_back(r.job);
                    } else {
                        self.failed(report, &r.job, message);
                    }
                }
                ItemStatus::Failed { code, message } => {
                    r.attempts += 1;
                    if r.attempts < self.opts.item_attempts.max(1) {
                        ready.push_back(r);
                    } else {
                        self.failed(
                            report,
                            &r.job,
                            format!("batchCreate item status {code}: {message}"),
                        );
                    }
                }
            }
        }
        Ok(())
    }
}
