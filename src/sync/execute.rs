//! Runs the planned uploads: at most `concurrency` in flight on the run's runtime, each
//! journalled as started (committed) before it is sent and as finished, with its remote
//! copy, as soon as it is done. When the cancel flag is set no new upload starts and
//! the ones in flight finish; when it is aborted, the ones in flight stop and keep
//! their journal entries, which the next run resolves.

use super::error::SyncError;
use super::remote::Remote;
use super::report::{SyncEvent, SyncReport};
use super::upload::{self, Done, Job, Outcome};
use crate::catalog::{Catalog, RemoteCopy};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// How often a run waiting for uploads looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

pub struct Run<'a> {
    pub remote: Arc<Remote>,
    pub catalog: &'a mut Catalog,
    pub backend: &'a str,
    pub concurrency: usize,
    pub events: &'a (dyn Fn(SyncEvent) + Send + Sync),
}

impl Run<'_> {
    /// Uploads `jobs`, adding to `report`. Returns when all are done, or when the
    /// cancel flag is set and the uploads in flight are done.
    pub async fn execute(
        &mut self,
        jobs: Vec<Job>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut in_flight = JoinSet::new();
        let mut queue = jobs.into_iter();
        let cancel = self.remote.cancel.clone();
        loop {
            while in_flight.len() < self.concurrency.max(1) && !cancel.is_cancelled() {
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
                in_flight.spawn(upload::run(self.remote.clone(), job, tx.clone()));
            }
            if in_flight.is_empty() {
                break;
            }
            if cancel.is_aborted() {
                in_flight.abort_all();
            }
            tokio::select! {
                Some(event) = rx.recv() => (self.events)(event),
                Some(joined) = in_flight.join_next() => match joined {
                    Ok(done) => self.finish(done, report)?,
                    // An aborted or panicked upload keeps its journal entry: the next
                    // run looks it up.
                    Err(e) => report.failed += u64::from(e.is_panic()),
                },
                _ = tokio::time::sleep(CANCEL_POLL) => {}
            }
        }
        while let Ok(event) = rx.try_recv() {
            (self.events)(event);
        }
        Ok(())
    }

    /// Records one finished upload in the catalog, the report and the events.
    fn finish(&mut self, done: Done, report: &mut SyncReport) -> Result<(), SyncError> {
        let Done {
            job,
            outcome,
            date_error,
        } = done;
        match outcome {
            Outcome::Uploaded { photo_id } => {
                self.catalog.journal_finish(
                    self.backend,
                    &RemoteCopy {
                        remote_id: photo_id.clone(),
                        md5: job.md5.clone(),
                        uploaded_at: chrono::Utc::now().timestamp(),
                    },
                )?;
                report.uploaded += 1;
                report.bytes += job.size;
                if let Some(error) = date_error {
                    report.errors.push((job.path.clone(), error));
                }
                (self.events)(SyncEvent::Uploaded {
                    path: job.path,
                    photo_id,
                    bytes: job.size,
                });
            }
            Outcome::Failed {
                error,
                maybe_stored,
            } => {
                if !maybe_stored {
                    self.catalog.journal_forget(self.backend, &job.md5)?;
                }
                report.failed += 1;
                report.errors.push((job.path.clone(), error.clone()));
                (self.events)(SyncEvent::Failed {
                    path: job.path,
                    error,
                });
            }
            Outcome::Cancelled { maybe_stored } => {
                if !maybe_stored {
                    self.catalog.journal_forget(self.backend, &job.md5)?;
                }
            }
        }
        Ok(())
    }
}
