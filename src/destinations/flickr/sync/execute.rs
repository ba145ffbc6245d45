//! Runs the planned uploads: at most `concurrency` in flight on the run's runtime, each
//! journalled as started (committed) before it is sent. An upload that is done is
//! recorded at once with its remote copy; its journal entry is closed when its taken
//! date, if it needs one, is set too. When the cancel flag is set no new upload starts
//! and the work in flight finishes; when it is aborted, the work in flight stops and
//! keeps its journal entries, which the next run resolves.

use super::dates::{self, DateResult, Dated};
use super::error::SyncError;
use super::remote::Remote;
use super::report::{SyncEvent, SyncReport};
use super::tickets::Tickets;
use super::upload::{self, Done, Job, Outcome};
use crate::catalog::{Catalog, RemoteCopy};
use crate::engine::outcome::{Note, Word};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::{Id, JoinSet};

/// How often a run waiting for uploads looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// What a task of the run hands back.
enum Task {
    Upload(Done),
    Date(Dated),
}

pub struct Run<'a> {
    pub remote: Arc<Remote>,
    pub catalog: &'a mut Catalog,
    pub backend: &'a str,
    pub concurrency: usize,
    pub ticket_poll: Duration,
    pub events: &'a (dyn Fn(SyncEvent) + Send + Sync),
}

impl Run<'_> {
    /// Uploads `jobs`, adding to `report`. Returns when all are done, or when the
    /// cancel flag is set and the work in flight is done.
    pub async fn execute(
        &mut self,
        jobs: Vec<Job>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut tasks = JoinSet::new();
        let mut uploads: HashSet<Id> = HashSet::new();
        let mut queue = jobs.into_iter();
        let cancel = self.remote.cancel.clone();
        let tickets = Arc::new(Tickets::default());
        let poller = self.remote.async_uploads().then(|| {
            let poll = tickets.clone().poll(self.remote.clone(), self.ticket_poll);
            AbortOnDrop(tokio::spawn(poll))
        });
        loop {
            while uploads.len() < self.concurrency.max(1) && !cancel.is_cancelled() {
                let Some(job) = queue.next() else { break };
                self.catalog.journal_start(
                    self.backend,
                    &job.md5,
                    &job.path,
                    job.date_taken.as_deref(),
                )?;
                (self.events)(SyncEvent::Started {
                    path: job.path.clone(),
                });
                let remote = self.remote.clone();
                let events = tx.clone();
                let handle = tasks
                    .spawn(async move { Task::Upload(upload::run(remote, job, events).await) });
                uploads.insert(handle.id());
            }
            if tasks.is_empty() {
                break;
            }
            if cancel.is_aborted() {
                tasks.abort_all();
            }
            tokio::select! {
                Some(event) = rx.recv() => (self.events)(event),
                Some(joined) = tasks.join_next_with_id() => match joined {
                    Ok((id, Task::Upload(done))) => {
                        uploads.remove(&id);
                        if let Outcome::Ticket { ticket } = done.outcome {
                            // The bytes are sent: the slot goes to the next file while
                            // Flickr processes this one.
                            let wait = upload::finish_async(tickets.clone(), done.job, ticket);
                            tasks.spawn(async move { Task::Upload(wait.await) });
                            continue;
                        }
                        self.uploaded(done, report, &mut tasks, &tx)?;
                    }
                    Ok((_, Task::Date(dated))) => self.dated(dated, report)?,
                    // An aborted or panicked task keeps its journal entry: the next
                    // run resolves it.
                    Err(e) => {
                        uploads.remove(&e.id());
                        report.counts.failed += u64::from(e.is_panic());
                    }
                },
                _ = tokio::time::sleep(CANCEL_POLL) => {}
            }
        }
        drop(poller);
        while let Ok(event) = rx.try_recv() {
            (self.events)(event);
        }
        Ok(())
    }

    /// Records one finished upload in the catalog, the report and the events, and
    /// starts setting its taken date when it needs one.
    fn uploaded(
        &mut self,
        done: Done,
        report: &mut SyncReport,
        tasks: &mut JoinSet<Task>,
        events: &UnboundedSender<SyncEvent>,
    ) -> Result<(), SyncError> {
        let Done { job, outcome } = done;
        match outcome {
            Outcome::Uploaded { photo_id } => {
                let copy = self.copy(&job, &photo_id);
                match &job.date_taken {
                    // The entry stays open until the date is set: a run killed before
                    // that sets it on recovery.
                    Some(date) => {
                        self.catalog.journal_uploaded(self.backend, &copy)?;
                        let set = dates::set(
                            self.remote.clone(),
                            job.clone(),
                            photo_id.clone(),
                            date.clone(),
                            events.clone(),
                        );
                        tasks.spawn(async move { Task::Date(set.await) });
                    }
                    None => self.catalog.journal_finish(self.backend, &copy)?,
                }
                report.counts.done += 1;
                report.bytes += job.size;
                (self.events)(SyncEvent::Uploaded {
                    path: job.path,
                    photo_id,
                    bytes: job.size,
                });
            }
            Outcome::Failed {
                error,
                maybe_stored,
                refused,
            } => {
                if !maybe_stored {
                    self.catalog.journal_forget(self.backend, &job.md5)?;
                }
                let word = if refused {
                    self.catalog
                        .record_refusal(self.backend, &job.md5, &error)?;
                    Word::Refused
                } else {
                    Word::Failed
                };
                let note = Note {
                    path: job.path,
                    word,
                    reason: error,
                };
                report.tally().note(&note.path, word, &note.reason);
                (self.events)(SyncEvent::of_note(&note));
            }
            Outcome::Cancelled { maybe_stored } => {
                if !maybe_stored {
                    self.catalog.journal_forget(self.backend, &job.md5)?;
                }
            }
            // Turned into a wait for the ticket before it gets here.
            Outcome::Ticket { .. } => {}
        }
        Ok(())
    }

    /// Closes the journal entry of an upload whose date was set (or could not be).
    fn dated(&mut self, dated: Dated, report: &mut SyncReport) -> Result<(), SyncError> {
        let copy = self.copy(&dated.job, &dated.photo_id);
        match dated.result {
            DateResult::Set => self.catalog.journal_finish(self.backend, &copy)?,
            DateResult::Failed(error) => {
                self.catalog.journal_finish(self.backend, &copy)?;
                report.errors.push((dated.job.path, error));
            }
            DateResult::Cancelled => {}
        }
        Ok(())
    }

    fn copy(&self, job: &Job, photo_id: &str) -> RemoteCopy {
        RemoteCopy {
            remote_id: photo_id.to_string(),
            md5: job.md5.clone(),
            uploaded_at: chrono::Utc::now().timestamp(),
            imgmd5: job.imgmd5.clone(),
        }
    }
}

/// Stops the ticket poller when the run's uploads are done, or the run unwinds.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
