//! Copying a run's plan: the copies on a pool of threads, each finished copy recorded
//! in the catalog on the calling thread as it arrives (so a kill loses at most the
//! copies in flight), progress ten times a second, and a full drive stopping the run.

use super::copy::{self, CopyError};
use super::plan::Plan;
use super::{rel_key, ArchiveError, ArchiveEvent, ArchiveOptions, ArchiveReport};
use crate::cancel::Cancel;
use crate::catalog::{Catalog, RemoteCopy, StoredCopy};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

enum Done {
    Started(PathBuf),
    /// The job, and the copy's own MD5 when a date was written into it.
    Copied(usize, Option<String>),
    Failed(usize, CopyError),
}

/// Copies the plan's jobs on a pool of `opts.threads`, recording each finished copy
/// on this thread as it arrives, so a kill loses at most the copies in flight.
#[allow(clippy::too_many_arguments)]
pub fn execute(
    root: &Path,
    backend: &str,
    plan: Plan,
    catalog: &mut Catalog,
    opts: &ArchiveOptions,
    cancel: &Cancel,
    events: &(dyn Fn(ArchiveEvent) + Send + Sync),
    report: &mut ArchiveReport,
) -> Result<(), ArchiveError> {
    let jobs = plan.jobs;
    let bytes_total = plan.bytes;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| ArchiveError::Threads(e.to_string()))?;
    let bytes_done = AtomicU64::new(0);
    // A catalog failure stops the workers from starting more copies.
    let halt = Cancel::new();
    let (tx, rx) = mpsc::channel::<Done>();
    std::thread::scope(|s| -> Result<(), ArchiveError> {
        let (jobs, bytes_done, halt) = (&jobs, &bytes_done, &halt);
        s.spawn(move || {
            pool.install(|| {
                jobs.par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (i, job)| {
                        if cancel.is_cancelled() || halt.is_cancelled() {
                            return;
                        }
                        let _ = tx.send(Done::Started(job.source.clone()));
                        let on_bytes = |n| {
                            bytes_done.fetch_add(n, Ordering::Relaxed);
                        };
                        let done = match copy::copy(root, job, &*opts.storage, cancel, &on_bytes) {
                            Ok(stored) => Done::Copied(i, stored),
                            Err(e) => Done::Failed(i, e),
                        };
                        let _ = tx.send(done);
                    })
            })
        });
        let mut last_progress = 0;
        let mut disk_full = false;
        let mut attempted = 0;
        loop {
            let msg = match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(msg) => msg,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let done = bytes_done.load(Ordering::Relaxed);
                    if done != last_progress {
                        last_progress = done;
                        events(ArchiveEvent::Progress {
                            bytes_done: done,
                            bytes_total,
                        });
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            match msg {
                Done::Started(path) => {
                    attempted += 1;
                    events(ArchiveEvent::Started { path })
                }
                Done::Copied(i, stored_md5) => {
                    let job = &jobs[i];
                    report.redated += u64::from(stored_md5.is_some());
                    let copy = StoredCopy {
                        copy: RemoteCopy {
                            remote_id: rel_key(&job.dest),
                            md5: job.md5.clone(),
                            uploaded_at: chrono::Utc::now().timestamp(),
                            imgmd5: None,
                        },
                        stored_md5,
                    };
                    if let Err(e) = catalog.record_stored(backend, &[copy]) {
                        halt.cancel();
                        return Err(e.into());
                    }
                    report.counts.done += 1;
                    report.bytes += job.size;
                    events(ArchiveEvent::Copied {
                        path: job.source.clone(),
                        dest: root.join(&job.dest),
                        bytes: job.size,
                    });
                }
                Done::Failed(_, CopyError::Cancelled) => {}
                Done::Failed(i, e) => {
                    if e.is_disk_full() {
                        // Every further copy would fail the same way: stop starting them.
                        halt.cancel();
                        disk_full = true;
                    }
                    let path = jobs[i].source.clone();
                    report.counts.failed += 1;
                    report.errors.push((path.clone(), e.to_string()));
                    events(ArchiveEvent::Failed {
                        path,
                        error: e.to_string(),
                    });
                }
            }
        }
        let left = jobs.len() as u64 - attempted;
        if disk_full && left > 0 {
            report.counts.failed += left;
            report.errors.push((
                root.to_path_buf(),
                format!("the archive's drive is full: {left} more photos were not copied; free some space and run again"),
            ));
        }
        Ok(())
    })
}
