//! Google Photos as a [`Destination`]: `prepare` checks the login (learning Google's
//! clock for the quota day), reads the day's quota ([`super::quota`]), resolves the
//! upload tokens a previous run left ([`super::resolve`]) and checks the app's listing
//! when asked (`verify`); a put uploads the bytes and journals the token it gets; the
//! tokens become media items in batches ([`super::batch`]); before each upload, enough
//! of the day's budget is kept back for the batchCreate calls still owed; `finish`
//! files the albums.

use super::batch::Ready;
use super::error::GphotosSyncError;
use super::options::GphotosSyncOptions;
use super::plan::{self, Job};
use super::quota::Quota;
use super::report::{GphotosFigures, GphotosReport};
use super::resolve::{self, Resolved};
use super::{albums, verify};
use crate::cancel::Cancel;
use crate::destinations::flickr::sync::SyncEvent;
use crate::destinations::gphotos::api::{Client, GphotosError, Uploaded, BATCH_LIMIT};
use crate::engine::destination::{Cx, Destination, Held, Landed, Planned, Put, Start};
use crate::engine::plan::{self as shared, Accepts};
use crate::engine::verify::{Check, Found};
use crate::library::photo::Photo;
use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// One Google Photos project, during a run.
pub struct Gphotos {
    pub(super) client: Arc<Client>,
    pub(super) opts: GphotosSyncOptions,
    pub(super) cancel: Cancel,
    pub(super) quota: Option<Quota>,
    tokens: Resolved,
    /// Upload tokens waiting for their batchCreate.
    pub(super) ready: VecDeque<Ready>,
    /// Photos whose token expired, uploaded again once.
    pub(super) requeued: HashSet<String>,
    /// The day's quota is spent: nothing more starts.
    pub(super) spent: bool,
    /// The login is revoked: the run ends with it once what finished is recorded.
    pub(super) fatal: Option<GphotosSyncError>,
    /// Photos not tried in this run (the quota, an unresolved earlier batch).
    left: u64,
}

impl Gphotos {
    /// Its own HTTP client, on the run's runtime, with `client`'s credentials.
    pub fn new(
        client: &Client,
        opts: GphotosSyncOptions,
        cancel: &Cancel,
    ) -> Result<Self, GphotosSyncError> {
        let client = client
            .renewed()
            .map_err(|e| GphotosSyncError::api("creating the HTTP client", e))?;
        Ok(Gphotos {
            client: Arc::new(client),
            opts,
            cancel: cancel.clone(),
            quota: None,
            tokens: Resolved::default(),
            ready: VecDeque::new(),
            requeued: HashSet::new(),
            spent: false,
            fatal: None,
            left: 0,
        })
    }

    /// Writes the day's request count to the catalog.
    pub(super) fn save_quota(&self, cx: &mut Cx<'_, Self>) -> Result<(), GphotosSyncError> {
        match &self.quota {
            Some(quota) => Ok(quota.save(cx.catalog, &self.client)?),
            None => Ok(()),
        }
    }

    /// Which daily quota stopped the run, as the one who said so put it: Google's 429 (its
    /// limit is the project's, whatever photosync was told), or photosync's own count.
    fn quota_in_force(&self) -> String {
        let used = self.quota.as_ref().map_or(0, |q| q.used(&self.client));
        match self.client.quota_said() {
            Some(said) => format!(
                "Google Photos says the project's daily quota is used up (\"{said}\"; {used} requests \
                 counted today, daily_quota is {})",
                self.opts.daily_quota
            ),
            None => format!(
                "the daily quota of {} requests (daily_quota) is used up",
                self.opts.daily_quota
            ),
        }
    }

    /// Google said the day's budget is spent.
    pub(super) fn quota_spent(&mut self, cx: &mut Cx<'_, Self>) -> Result<(), GphotosSyncError> {
        if let Some(quota) = &self.quota {
            quota.spent(cx.catalog, &self.client)?;
        }
        self.spent = true;
        Ok(())
    }
}

impl Destination for Gphotos {
    type Job = Job;
    type Done = (Job, Result<Uploaded, GphotosError>);
    type Extra = GphotosFigures;
    type Verified = super::verify::VerifyReport;
    type Error = GphotosSyncError;
    type Event = SyncEvent;

    fn name(&self) -> String {
        "gphotos".to_string()
    }

    fn rank(&self) -> u8 {
        2
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

    async fn prepare(
        &mut self,
        cx: &mut Cx<'_, Self>,
        _: &[Photo],
    ) -> Result<String, GphotosSyncError> {
        let (client, cancel) = (&self.client, cx.cancel);
        let quiet = |_: u32, _: &GphotosError| {};
        // Checks the credentials first, and learns Google's clock (the quota day) on the
        // way (the token endpoint is outside the quota).
        client
            .retrying(cancel, &quiet, || client.access_token())
            .await
            .map_err(|e| GphotosSyncError::api("checking the Google login", e))?;
        let backend = super::backend_name(client);
        let quota = Quota::start(cx.catalog, client, &backend, self.opts.daily_quota)?;
        if !self.opts.dry_run {
            let resolved = resolve::resolve(client, cx.catalog, &backend, &self.opts, cancel).await;
            quota.save(cx.catalog, client)?;
            self.tokens = resolved?;
        }
        if self.opts.verify {
            let checked = verify::check_listing(client, cx.catalog, &backend, cancel).await;
            quota.save(cx.catalog, client)?;
            checked?;
        }
        self.quota = Some(quota);
        Ok(backend)
    }

    async fn plan<'a>(
        &mut self,
        _: &mut Cx<'_, Self>,
        _: &'a [Photo],
        shared: shared::Plan<'a>,
        _: &Held,
    ) -> Result<Planned<'a, Job>, GphotosSyncError> {
        let jobs = plan::jobs(&shared);
        Ok(Planned::new(shared, jobs))
    }

    fn start(
        &mut self,
        cx: &mut Cx<'_, Self>,
        job: Job,
        in_flight: usize,
    ) -> Result<Start<Job>, GphotosSyncError> {
        if self.tokens.unresolved.contains(&job.md5) {
            self.left += 1;
            cx.report.errors.push((
                job.path,
                "an earlier batchCreate is not resolved yet (the listing failed); tried on the next run".into(),
            ));
            return Ok(Start::Taken);
        }
        // Taken once: a token that turns out expired is not reused when its photo comes
        // back to the queue.
        if let Some(entry) = self.tokens.reusable.remove(&job.md5) {
            self.ready.push_back(Ready::new(job, entry.token, true));
            return Ok(Start::Taken);
        }
        // Keep back what the batchCreate calls still owed will need.
        let owed = (self.ready.len() + in_flight + 1).div_ceil(BATCH_LIMIT) as u64;
        if self.client.budget_left() <= owed + in_flight as u64 {
            self.spent = true;
            return Ok(Start::Hold(job));
        }
        Ok(Start::Go(job))
    }

    fn put(&self, job: Job, events: UnboundedSender<SyncEvent>) -> Put<Self> {
        let client = self.client.clone();
        let cancel = self.cancel.clone();
        let (above, chunk) = (self.opts.resumable_above, self.opts.chunk_size);
        Box::pin(async move {
            let path = job.path.clone();
            let on_retry = move |attempt: u32, e: &GphotosError| {
                let _ = events.send(SyncEvent::Retried {
                    path: path.clone(),
                    attempt,
                    error: e.to_string(),
                });
            };
            let (size, mime) = (job.size, job.mime);
            let result = client
                .upload(
                    &job.path,
                    size,
                    mime,
                    &job.file_name,
                    above,
                    chunk,
                    &cancel,
                    &on_retry,
                )
                .await;
            (job, result)
        })
    }

    fn landed(
        &mut self,
        cx: &mut Cx<'_, Self>,
        (job, result): Self::Done,
        _: &UnboundedSender<SyncEvent>,
    ) -> Result<Vec<Landed<Self>>, GphotosSyncError> {
        let landed = match result {
            Ok(up) => {
                let now = self.client.server_now();
                let backend = &cx.backend;
                cx.catalog
                    .gphotos_token_record(backend, &job.md5, &up.token, &job.path, now)?;
                self.ready.push_back(Ready::new(job, up.token, false));
                Landed::Staged
            }
            Err(GphotosError::QuotaSpent) => {
                self.quota_spent(cx)?;
                Landed::Again(job)
            }
            Err(e @ GphotosError::Revoked(_)) => {
                self.fatal = Some(GphotosSyncError::Login(e));
                Landed::Quiet
            }
            Err(GphotosError::Cancelled) => Landed::Quiet,
            Err(e) => Landed::Failed {
                path: job.path,
                reason: e.to_string(),
            },
        };
        Ok(vec![landed])
    }

    async fn flush(
        &mut self,
        cx: &mut Cx<'_, Self>,
        idle: bool,
    ) -> Result<Vec<Landed<Self>>, GphotosSyncError> {
        let full = self.ready.len() >= BATCH_LIMIT || (!self.ready.is_empty() && idle);
        if !full || cx.cancel.is_aborted() || self.fatal.is_some() {
            return Ok(Vec::new());
        }
        let n = self.ready.len().min(BATCH_LIMIT);
        let batch: Vec<Ready> = self.ready.drain(..n).collect();
        let landed = self.create(cx, batch).await?;
        if self.spent && !self.ready.is_empty() && self.client.budget_left() == 0 {
            self.left += self.ready.len() as u64;
            self.ready.clear();
        }
        Ok(landed)
    }

    fn halted(&self) -> bool {
        self.spent || self.fatal.is_some()
    }

    fn left(&mut self, cx: &mut Cx<'_, Self>, left: Vec<Job>) -> Result<(), GphotosSyncError> {
        self.save_quota(cx)?;
        if let Some(fatal) = self.fatal.take() {
            return Err(fatal);
        }
        if self.spent {
            self.left += (left.len() + self.ready.len()) as u64;
            cx.report.stopped = Some(format!(
                "{}: {} photos left, the quota resets at 00:00 Pacific",
                self.quota_in_force(),
                self.left
            ));
        }
        cx.report.left = self.left;
        Ok(())
    }

    async fn finish(
        &mut self,
        cx: &mut Cx<'_, Self>,
        photos: &[Photo],
    ) -> Result<(), GphotosSyncError> {
        let Some(root) = &self.opts.albums_root else {
            return Ok(());
        };
        if cx.report.stopped.is_some() {
            return Ok(());
        }
        let (client, backend) = (&self.client, &cx.backend);
        let filed = albums::file(
            client, cx.catalog, backend, photos, root, cx.cancel, cx.report,
        )
        .await;
        self.save_quota(cx)?;
        filed
    }

    async fn verify(
        &mut self,
        check: &mut Check<'_>,
    ) -> Result<Found<Self::Verified>, GphotosSyncError> {
        super::verify::check(&self.client, check).await
    }

    fn close(&mut self, report: &mut GphotosReport) {
        report.api_calls = self.client.calls();
        report.bytes_sent = self.client.bytes_sent();
        report.resumed = self.client.resumed();
    }
}

impl crate::engine::destination::RunError<GphotosReport> for GphotosSyncError {
    fn cancelled(report: GphotosReport) -> Self {
        GphotosSyncError::Cancelled(Box::new(report))
    }
    fn is_cancelled(&self) -> bool {
        matches!(self, GphotosSyncError::Cancelled(_))
    }
}
