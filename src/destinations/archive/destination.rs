//! The archive as a [`Destination`]: `prepare` opens and locks the folder, reads an
//! archive new to the catalog once ([`super::survey`]) and moves changed copies aside;
//! `plan` places each photo ([`super::plan`]) and cleans the temporaries of the folders it
//! will write to; a put is one checked copy on the blocking pool ([`super::copy`]); a full
//! drive halts the run.

use super::copy::{self, CopyError, Job};
use super::files::{self, Lock, LockMode};
use super::report::ArchiveFigures;
use super::{heal, plan, rel_key, ArchiveError, ArchiveEvent, ArchiveOptions, ArchiveReport};
use crate::cancel::Cancel;
use crate::catalog::{RemoteCopy, StoredCopy};
use crate::engine::destination::{Cx, Destination, Events, Held, Landed, Planned, Put, RunError};
use crate::engine::outcome::{Note, Word};
use crate::engine::plan::{self as shared, Accepts};
use crate::engine::verify::{Check, Found};
use crate::library::photo::Photo;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// One archive folder, during a run.
pub struct Archive {
    root: PathBuf,
    opts: ArchiveOptions,
    cancel: Cancel,
    /// Held from `prepare` to the end of the run.
    lock: Option<Lock>,
    bytes_done: Arc<AtomicU64>,
    bytes_told: AtomicU64,
    bytes_total: u64,
    disk_full: bool,
    /// Every kind and size.
    accepts: Accepts,
}

impl Archive {
    pub fn new(root: &Path, opts: ArchiveOptions, cancel: &Cancel) -> Self {
        Archive {
            root: root.to_path_buf(),
            opts,
            cancel: cancel.clone(),
            lock: None,
            bytes_done: Arc::default(),
            bytes_told: AtomicU64::new(0),
            bytes_total: 0,
            disk_full: false,
            accepts: Accepts::everything("the archive"),
        }
    }
}

impl Destination for Archive {
    type Job = Job;
    /// The job, and the copy's own MD5 when a date was written into it.
    type Done = (Job, Result<Option<String>, CopyError>);
    type Extra = ArchiveFigures;
    type Verified = super::report::VerifyReport;
    type Error = ArchiveError;
    type Event = ArchiveEvent;

    fn name(&self) -> String {
        super::open_root(&self.root)
            .map(|r| super::backend_name(&r))
            .unwrap_or_else(|_| super::backend_name(&self.root))
    }

    fn rank(&self) -> u8 {
        0
    }

    fn dry_run(&self) -> bool {
        self.opts.dry_run
    }

    fn concurrency(&self) -> usize {
        self.opts.threads
    }

    fn path_of(job: &Job) -> &Path {
        &job.source
    }

    fn accepts(&self) -> &Accepts {
        &self.accepts
    }

    async fn prepare(
        &mut self,
        cx: &mut Cx<'_, Self>,
        photos: &[Photo],
    ) -> Result<String, ArchiveError> {
        self.root = super::open_root(&self.root)?;
        let root = self.root.clone();
        let lock = Lock::try_take(&root, LockMode::Write)
            .map_err(|source| ArchiveError::io(&root, source))?
            .ok_or_else(|| ArchiveError::Busy { path: root.clone() })?;
        self.lock = Some(lock);
        let backend = super::backend_name(&root);
        if cx.catalog.index_state(&backend)?.is_none() {
            super::adopt(
                &root, &backend, cx.catalog, &self.opts, cx.cancel, cx.report,
            )?;
        } else if self.opts.verify {
            cx.report.forgotten = heal::check_listing(&root, &backend, cx.catalog, photos)?;
        }
        if !self.opts.dry_run {
            cx.report.moved_aside =
                heal::move_aside_changed(&root, &backend, cx.catalog, cx.cancel)?;
        }
        Ok(backend)
    }

    async fn plan<'a>(
        &mut self,
        cx: &mut Cx<'_, Self>,
        _: &'a [Photo],
        shared: shared::Plan<'a>,
        held: &Held,
    ) -> Result<Planned<'a, Job>, ArchiveError> {
        let (root, opts) = (&self.root, &self.opts);
        let plan = plan::plan(
            shared,
            root,
            &opts.layout,
            &held.index,
            opts.write_dates,
            cx.cancel,
        );
        let now = chrono::Utc::now().timestamp();
        let in_place: Vec<StoredCopy> = plan
            .found_in_place
            .iter()
            .map(|found| stored(&found.rel, &found.md5, found.stored_md5.clone(), now))
            .collect();
        cx.catalog.record_stored(&cx.backend, &in_place)?;
        if !opts.dry_run {
            clean_temps(root, &plan.jobs, cx.report)?;
        }
        self.bytes_total = plan.bytes;
        let found = plan.found_in_place.iter().map(|found| Note {
            path: found.source.clone(),
            word: Word::AlreadyThere,
            reason: format!("already in the archive at {}", found.rel.display()),
        });
        let failed = plan.failed.iter().map(|(path, error)| Note {
            path: path.clone(),
            word: Word::Failed,
            reason: error.clone(),
        });
        Ok(Planned {
            found: found.collect(),
            failed: failed.collect(),
            bytes: plan.bytes,
            ..Planned::new(plan.shared, plan.jobs)
        })
    }

    fn put(&self, job: Job, _events: UnboundedSender<ArchiveEvent>) -> Put<Self> {
        let (root, storage) = (self.root.clone(), self.opts.storage.clone());
        let (cancel, bytes_done) = (self.cancel.clone(), self.bytes_done.clone());
        Box::pin(async move {
            let copied = tokio::task::spawn_blocking(move || {
                let on_bytes = |n| {
                    bytes_done.fetch_add(n, Ordering::Relaxed);
                };
                let result = copy::copy(&root, &job, &*storage, &cancel, &on_bytes);
                (job, result)
            });
            match copied.await {
                Ok(done) => done,
                // The copy thread panicked: its temporary is cleaned by the next run.
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        })
    }

    fn landed(
        &mut self,
        cx: &mut Cx<'_, Self>,
        (job, result): Self::Done,
        _: &UnboundedSender<ArchiveEvent>,
    ) -> Result<Vec<Landed<Self>>, ArchiveError> {
        let landed = match result {
            Ok(stored_md5) => {
                cx.report.redated += u64::from(stored_md5.is_some());
                let now = chrono::Utc::now().timestamp();
                let copy = stored(&job.dest, &job.md5, stored_md5, now);
                cx.catalog.record_stored(&cx.backend, &[copy])?;
                Landed::Done {
                    bytes: job.size,
                    event: ArchiveEvent::Copied {
                        dest: self.root.join(&job.dest),
                        path: job.source,
                        bytes: job.size,
                    },
                }
            }
            Err(CopyError::Cancelled) => Landed::Quiet,
            Err(e) => {
                // Every further copy would fail the same way: stop starting them.
                self.disk_full |= e.is_disk_full();
                Landed::Failed {
                    path: job.source,
                    reason: e.to_string(),
                }
            }
        };
        Ok(vec![landed])
    }

    fn halted(&self) -> bool {
        self.disk_full
    }

    fn progress(&self) -> Option<ArchiveEvent> {
        let done = self.bytes_done.load(Ordering::Relaxed);
        let told = self.bytes_told.swap(done, Ordering::Relaxed);
        (done != told).then_some(ArchiveEvent::Progress {
            bytes_done: done,
            bytes_total: self.bytes_total,
        })
    }

    fn left(&mut self, cx: &mut Cx<'_, Self>, left: Vec<Job>) -> Result<(), ArchiveError> {
        let left = left.len() as u64;
        if self.disk_full && left > 0 {
            cx.report.counts.failed += left;
            cx.report.errors.push((
                self.root.clone(),
                format!("the archive's drive is full: {left} more photos were not copied; free some space and run again"),
            ));
        }
        Ok(())
    }

    /// A whole copy of the catalog goes into the archive (`.photosync/catalog.sqlite3`),
    /// so the archive alone can give the library back with its paths. Not a failure of
    /// the photos when it cannot be written: reported with the run's errors.
    async fn finish(&mut self, cx: &mut Cx<'_, Self>, _: &[Photo]) -> Result<(), ArchiveError> {
        let root = super::open_root(&self.root)?;
        match cx.catalog.copy_to(&root.join(super::CATALOG_COPY)) {
            Ok(()) => cx.report.catalog_copied = true,
            Err(e) => cx.report.errors.push((root, e.to_string())),
        }
        Ok(())
    }

    async fn verify(
        &mut self,
        check: &mut Check<'_>,
    ) -> Result<Found<Self::Verified>, ArchiveError> {
        super::verify::check(&self.root, self.opts.threads, check)
    }

    fn close(&mut self, _report: &mut ArchiveReport) {
        self.lock = None;
    }
}

/// Removes what interrupted runs left in the folders the jobs write to.
fn clean_temps(root: &Path, jobs: &[Job], report: &mut ArchiveReport) -> Result<(), ArchiveError> {
    let folders: BTreeSet<PathBuf> = jobs
        .iter()
        .map(|j| root.join(&j.dest).parent().unwrap_or(root).to_path_buf())
        .collect();
    for dir in folders {
        report.cleaned +=
            files::clean_temps(&dir).map_err(|source| ArchiveError::io(&dir, source))?;
    }
    Ok(())
}

fn stored(rel: &Path, md5: &str, stored_md5: Option<String>, now: i64) -> StoredCopy {
    StoredCopy {
        copy: RemoteCopy {
            remote_id: rel_key(rel),
            md5: md5.to_string(),
            uploaded_at: now,
            imgmd5: None,
        },
        stored_md5,
    }
}

impl Events for ArchiveEvent {
    fn planned(to_copy: u64, already_there: u64, duplicates: u64, bytes: u64) -> Self {
        ArchiveEvent::Planned {
            to_copy,
            already_there,
            duplicates,
            bytes,
        }
    }
    fn started(path: PathBuf) -> Self {
        ArchiveEvent::Started { path }
    }
    fn of_note(note: &Note) -> Self {
        ArchiveEvent::of_note(note)
    }
    fn finished() -> Self {
        ArchiveEvent::Finished
    }
}

impl RunError<ArchiveReport> for ArchiveError {
    fn cancelled(report: ArchiveReport) -> Self {
        ArchiveError::Cancelled(Box::new(report))
    }
    fn is_cancelled(&self) -> bool {
        matches!(self, ArchiveError::Cancelled(_))
    }
}
