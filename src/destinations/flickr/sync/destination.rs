//! Flickr as a [`Destination`]: `prepare` checks the login, reads the checksum tags into
//! the catalog ([`super::index`]) and resolves the uploads a killed run left
//! ([`super::journal`]); `plan` adds Flickr's extras (edited photos, image-data tags, lost
//! copies confirmed gone: [`super::heal`]); a put is one upload ([`super::upload`]),
//! journalled before it is sent; an async upload frees its slot while its ticket is
//! polled, and a taken date is set beside the next uploads ([`super::dates`]); `finish`
//! updates edited photos and files albums.

use super::dates::{self, DateResult, Dated};
use super::edited::{self, Edits};
use super::error::SyncError;
use super::options::{Albums, SyncOptions};
use super::remote::Remote;
use super::report::{FlickrFigures, SyncEvent, SyncReport};
use super::tickets::Tickets;
use super::upload::{self, Done, Job, Outcome};
use super::{heal, index, journal, plan, tags};
use crate::cancel::Cancel;
use crate::catalog::RemoteCopy;
use crate::destinations::flickr::api::{self as flickr, FlickrError};
use crate::engine::destination::{Cx, Destination, Events, Held, Landed, Planned, Put, RunError};
use crate::engine::outcome::Note;
use crate::engine::plan::{self as shared, Accepts};
use crate::engine::verify::{Check, Found};
use crate::library::photo::Photo;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// What a put (or the wait after it) hands back.
pub enum Task {
    Upload(Done),
    Date(Dated),
}

/// One Flickr account, during a run.
pub struct Flickr {
    remote: Arc<Remote>,
    opts: SyncOptions,
    tickets: Arc<Tickets>,
    poller: Option<tokio::task::JoinHandle<()>>,
    edits: Edits,
}

impl Flickr {
    /// Its own HTTP client, on the run's runtime, with `client`'s credentials.
    pub fn new(
        client: &flickr::Client,
        opts: SyncOptions,
        cancel: &Cancel,
    ) -> Result<Self, SyncError> {
        let remote = Remote::new(client, &opts, cancel)
            .map_err(|e| SyncError::flickr("creating the HTTP client", e))?;
        Ok(Flickr {
            remote: Arc::new(remote),
            opts,
            tickets: Arc::default(),
            poller: None,
            edits: Edits::default(),
        })
    }
}

/// Retries of calls that are not about one file are not told: the index and the login
/// are retried quietly, and fail the run if they cannot finish.
fn quiet(_: u32, _: &FlickrError) {}

impl Destination for Flickr {
    type Job = Job;
    type Done = Task;
    type Extra = FlickrFigures;
    type Verified = crate::destinations::flickr::account::verify::VerifyReport;
    type Error = SyncError;
    type Event = SyncEvent;

    fn name(&self) -> String {
        "flickr".to_string()
    }

    fn rank(&self) -> u8 {
        1
    }

    fn dry_run(&self) -> bool {
        self.opts.dry_run
    }

    fn concurrency(&self) -> usize {
        self.opts.concurrency
    }

    fn path_of(job: &Job) -> &Path {
        &job.path
    }

    fn accepts(&self) -> &Accepts {
        &self.opts.accepts
    }

    async fn prepare(&mut self, cx: &mut Cx<'_, Self>, _: &[Photo]) -> Result<String, SyncError> {
        let remote = &self.remote;
        let backend = super::backend_name(remote, &quiet).await?;
        let refresh =
            index::refresh(remote, cx.catalog, &backend, self.opts.verify, &quiet).await?;
        for note in refresh.notes {
            cx.report.errors.push((PathBuf::new(), note));
        }
        if !self.opts.dry_run {
            let recovery = journal::recover(remote, cx.catalog, &backend, &quiet).await?;
            cx.report.errors.extend(recovery.errors);
        }
        cx.report.index_calls = remote.calls();
        if remote.async_uploads() {
            let poll = self
                .tickets
                .clone()
                .poll(remote.clone(), self.opts.ticket_poll);
            self.poller = Some(tokio::spawn(poll));
        }
        Ok(backend)
    }

    async fn plan<'a>(
        &mut self,
        cx: &mut Cx<'_, Self>,
        photos: &'a [Photo],
        shared: shared::Plan<'a>,
        held: &Held,
    ) -> Result<Planned<'a, Job>, SyncError> {
        let index = plan::RemoteIndex::new(&held.copies);
        let mut plan = plan::extend(shared, photos, &index);
        if !self.opts.dry_run {
            let (remote, backend) = (&self.remote, &cx.backend);
            let turned_up =
                heal::confirm_lost(remote, cx.catalog, backend, &mut plan.uploads, &quiet).await?;
            plan.shared.counts.already_there += turned_up;
        }
        cx.report.remote_only = plan.remote_only;
        self.edits = Edits::of(&plan);
        let opts = &self.opts;
        let jobs = plan
            .uploads
            .iter()
            .map(|(photo, md5)| Job {
                path: photo.path.clone(),
                md5: md5.clone(),
                imgmd5: photo.imgmd5.clone(),
                size: photo.size,
                mtime_ns: photo.mtime_ns,
                params: tags::upload_params(photo, md5, opts),
                date_taken: opts.set_dates.then(|| tags::date_to_set(photo)).flatten(),
                resent: 0,
            })
            .collect();
        Ok(Planned {
            bytes: plan.bytes,
            ..Planned::new(plan.shared, jobs)
        })
    }

    fn start(
        &mut self,
        cx: &mut Cx<'_, Self>,
        job: Job,
        _: usize,
    ) -> Result<crate::engine::destination::Start<Job>, SyncError> {
        let date = job.date_taken.as_deref();
        cx.catalog
            .journal_start(&cx.backend, &job.md5, &job.path, date)?;
        Ok(crate::engine::destination::Start::Go(job))
    }

    fn put(&self, job: Job, events: UnboundedSender<SyncEvent>) -> Put<Self> {
        let remote = self.remote.clone();
        Box::pin(async move { Task::Upload(upload::run(remote, job, events).await) })
    }

    fn landed(
        &mut self,
        cx: &mut Cx<'_, Self>,
        done: Task,
        events: &UnboundedSender<SyncEvent>,
    ) -> Result<Vec<Landed<Self>>, SyncError> {
        match done {
            Task::Upload(done) => self.uploaded(cx, done, events),
            Task::Date(dated) => {
                let copy = copy_of(&dated.job, &dated.photo_id);
                match dated.result {
                    DateResult::Set => cx.catalog.journal_finish(&cx.backend, &copy)?,
                    DateResult::Failed(error) => {
                        cx.catalog.journal_finish(&cx.backend, &copy)?;
                        cx.report.errors.push((dated.job.path, error));
                    }
                    DateResult::Cancelled => {}
                }
                Ok(vec![Landed::Quiet])
            }
        }
    }

    async fn finish(&mut self, cx: &mut Cx<'_, Self>, photos: &[Photo]) -> Result<(), SyncError> {
        self.stop_poller();
        let (remote, replace) = (&self.remote, self.opts.replace_edited);
        let (catalog, backend) = (&mut *cx.catalog, &cx.backend);
        edited::run(
            remote,
            catalog,
            backend,
            &self.edits,
            replace,
            cx.events,
            cx.report,
        )
        .await?;
        if let Albums::Folders { root } = &self.opts.albums {
            if !cx.cancel.is_cancelled() {
                let max = self.opts.max_per_album;
                let mut albums =
                    super::albums::Albums::new(remote, catalog, backend, max, cx.events);
                albums.file(photos, root, cx.report).await?;
            }
        }
        Ok(())
    }

    async fn verify(&mut self, check: &mut Check<'_>) -> Result<Found<Self::Verified>, SyncError> {
        let concurrency = self.opts.concurrency;
        Ok(
            crate::destinations::flickr::account::verify::check(&self.remote, concurrency, check)
                .await?,
        )
    }

    fn close(&mut self, report: &mut SyncReport) {
        self.stop_poller();
        report.api_calls = self.remote.calls();
    }
}

impl Flickr {
    /// Records one finished upload, and starts waiting for its ticket or setting its
    /// taken date when it needs either.
    fn uploaded(
        &mut self,
        cx: &mut Cx<'_, Self>,
        Done { job, outcome }: Done,
        events: &UnboundedSender<SyncEvent>,
    ) -> Result<Vec<Landed<Self>>, SyncError> {
        let backend = &cx.backend;
        Ok(match outcome {
            // The bytes are sent: the slot goes to the next file while Flickr processes
            // this one.
            Outcome::Ticket { ticket } => {
                let wait = upload::finish_async(self.tickets.clone(), job, ticket);
                vec![Landed::Later(Box::pin(
                    async move { Task::Upload(wait.await) },
                ))]
            }
            // Settled outside the upload slots, while the other uploads go on.
            Outcome::Lost { error } => {
                let settle = upload::settle_lost(self.remote.clone(), job, error, events.clone());
                vec![Landed::Later(Box::pin(async move {
                    Task::Upload(settle.await)
                }))]
            }
            Outcome::Resend => {
                let job = Job {
                    resent: job.resent + 1,
                    ..job
                };
                vec![Landed::Again(job)]
            }
            Outcome::Uploaded { photo_id } => {
                let copy = copy_of(&job, &photo_id);
                let mut landed = vec![Landed::Done {
                    bytes: job.size,
                    event: SyncEvent::Uploaded {
                        path: job.path.clone(),
                        photo_id: photo_id.clone(),
                        bytes: job.size,
                    },
                }];
                match job.date_taken.clone() {
                    // The entry stays open until the date is set: a run killed before
                    // that sets it on recovery.
                    Some(date) => {
                        cx.catalog.journal_uploaded(backend, &copy)?;
                        let set =
                            dates::set(self.remote.clone(), job, photo_id, date, events.clone());
                        landed.push(Landed::Later(Box::pin(
                            async move { Task::Date(set.await) },
                        )));
                    }
                    None => cx.catalog.journal_finish(backend, &copy)?,
                }
                landed
            }
            Outcome::Failed {
                error,
                maybe_stored,
                refused,
            } => {
                if !maybe_stored {
                    cx.catalog.journal_forget(backend, &job.md5)?;
                }
                vec![if refused {
                    Landed::Refused {
                        path: job.path,
                        md5: job.md5,
                        message: error.clone(),
                        reason: error,
                    }
                } else {
                    Landed::Failed {
                        path: job.path,
                        reason: error,
                    }
                }]
            }
            Outcome::Cancelled { maybe_stored } => {
                if !maybe_stored {
                    cx.catalog.journal_forget(backend, &job.md5)?;
                }
                vec![Landed::Quiet]
            }
        })
    }

    fn stop_poller(&mut self) {
        if let Some(poller) = self.poller.take() {
            poller.abort();
        }
    }
}

fn copy_of(job: &Job, photo_id: &str) -> RemoteCopy {
    RemoteCopy {
        remote_id: photo_id.to_string(),
        md5: job.md5.clone(),
        uploaded_at: chrono::Utc::now().timestamp(),
        imgmd5: job.imgmd5.clone(),
    }
}

impl Events for SyncEvent {
    fn planned(to_upload: u64, already_there: u64, duplicates: u64, bytes: u64) -> Self {
        SyncEvent::Planned {
            to_upload,
            already_there,
            duplicates,
            bytes,
        }
    }
    fn started(path: PathBuf) -> Self {
        SyncEvent::Started { path }
    }
    fn of_note(note: &Note) -> Self {
        SyncEvent::of_note(note)
    }
    fn finished() -> Self {
        SyncEvent::Finished
    }
}

impl RunError<SyncReport> for SyncError {
    fn cancelled(report: SyncReport) -> Self {
        SyncError::Cancelled(Box::new(report))
    }
    fn is_cancelled(&self) -> bool {
        matches!(self, SyncError::Cancelled(_))
    }
}
