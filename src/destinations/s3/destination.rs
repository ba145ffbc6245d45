//! The bucket as a [`Destination`]: `prepare` connects, reads the listing into the
//! catalog ([`super::index`]) and the uploads in parts a killed run left from the
//! journal; `plan` gives each photo its key (and its upload to resume), aborting the
//! uploads no photo needs any more; a put is one checked upload, or one part
//! ([`super::put`]), whose state the journal keeps; the object is recorded as
//! `s3://bucket/prefix` with its key. Lock, outcomes and healing are the engine's.

use super::client::Bucket;
use super::index::{self, Held, Job};
use super::multipart::{self, State, Step};
use super::put::{self, PutError, Sending};
use super::report::S3Figures;
use super::{S3Error, S3Options, S3Report};
use crate::cancel::Cancel;
use crate::catalog::RemoteCopy;
use crate::destinations::flickr::sync::SyncEvent;
use crate::engine::destination::{self, Cx, Destination, Landed, Planned, Put, RunError, Start};
use crate::engine::outcome::{Note, Word};
use crate::engine::plan::{self as shared, Accepts};
use crate::engine::verify::{Check, Found};
use crate::library::photo::Photo;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// One bucket and prefix, during a run.
pub struct S3 {
    opts: S3Options,
    cancel: Cancel,
    bucket: Option<Arc<Bucket>>,
    held: Held,
    /// Uploads in parts a killed run left, by MD5.
    unfinished: HashMap<String, State>,
    /// Every kind and size: a bucket keeps bytes.
    accepts: Accepts,
}

impl S3 {
    pub fn new(opts: S3Options, cancel: &Cancel) -> Self {
        S3 {
            opts,
            cancel: cancel.clone(),
            bucket: None,
            held: Held::new(),
            unfinished: HashMap::new(),
            accepts: Accepts::everything("the bucket"),
        }
    }

    fn bucket(&self) -> Result<&Arc<Bucket>, S3Error> {
        self.bucket
            .as_ref()
            .ok_or_else(|| S3Error::BadUrl(self.opts.url.to_string()))
    }
}

impl Destination for S3 {
    type Job = Job;
    type Done = (Job, Result<Step, PutError>);
    type Extra = S3Figures;
    type Verified = crate::destinations::archive::VerifyReport;
    type Error = S3Error;
    type Event = SyncEvent;

    fn name(&self) -> String {
        self.opts.url.to_string()
    }

    fn rank(&self) -> u8 {
        // After local copies, before the photo sites: a bucket is fast and keeps originals.
        1
    }

    fn dry_run(&self) -> bool {
        self.opts.dry_run
    }

    fn concurrency(&self) -> usize {
        self.opts.concurrency
    }

    fn path_of(job: &Job) -> &Path {
        &job.source
    }

    fn accepts(&self) -> &Accepts {
        &self.accepts
    }

    async fn prepare(&mut self, cx: &mut Cx<'_, Self>, _: &[Photo]) -> Result<String, S3Error> {
        let opts = &self.opts;
        let bucket = Bucket::connect(&opts.url, &opts.connection, opts.storage_class.clone())?;
        let backend = opts.url.to_string();
        self.held = index::refresh(&bucket, &backend, cx.catalog, cx.report).await?;
        self.bucket = Some(Arc::new(bucket));
        // The upload's state rides in the journal's date_taken, which a bucket has no
        // use for; an entry without one was a single PUT: the listing said if it landed.
        for entry in cx.catalog.journal_unfinished(&backend)? {
            match entry.date_taken.as_deref().and_then(State::from_json) {
                Some(state) => {
                    self.unfinished.insert(entry.md5, state);
                }
                None if !opts.dry_run => cx.catalog.journal_forget(&backend, &entry.md5)?,
                None => {}
            }
        }
        Ok(backend)
    }

    async fn plan<'a>(
        &mut self,
        cx: &mut Cx<'_, Self>,
        _: &'a [Photo],
        shared: shared::Plan<'a>,
        _: &destination::Held,
    ) -> Result<Planned<'a, Job>, S3Error> {
        let (mut jobs, failed) = index::place(&shared.send, &self.opts.layout, &self.held);
        for job in &mut jobs {
            if let Some(state) = self.unfinished.remove(&job.md5) {
                cx.report.resumed += 1;
                job.rel = state.key.clone();
                job.resume = Some(state);
            }
        }
        if !self.opts.dry_run {
            // No photo needs these any more: no parts are left behind.
            let bucket = self.bucket()?.clone();
            for (md5, state) in std::mem::take(&mut self.unfinished) {
                multipart::abort(&bucket, &state).await;
                cx.catalog.journal_forget(&cx.backend, &md5)?;
                cx.report.aborted += 1;
            }
        }
        let bytes = jobs.iter().map(|j| j.size).sum();
        let failed = failed.into_iter().map(|(path, reason)| Note {
            path,
            word: Word::Failed,
            reason,
        });
        Ok(Planned {
            failed: failed.collect(),
            bytes,
            ..Planned::new(shared, jobs)
        })
    }

    fn start(&mut self, cx: &mut Cx<'_, Self>, job: Job, _: usize) -> Result<Start<Job>, S3Error> {
        // Journaled before its first part, so that a kill leaves nothing unknown.
        if job.size >= self.opts.multipart_from && job.resume.is_none() {
            cx.catalog
                .journal_start(&cx.backend, &job.md5, &job.source, None)?;
        }
        Ok(Start::Go(job))
    }

    fn put(&self, job: Job, events: UnboundedSender<SyncEvent>) -> Put<Self> {
        let bucket = self.bucket.clone();
        let how = Sending {
            multipart_from: self.opts.multipart_from,
            part_size: self.opts.part_size,
            cancel: self.cancel.clone(),
        };
        Box::pin(async move {
            let result = match bucket {
                Some(bucket) => put::send(&bucket, &job, &how, &events).await,
                None => Err(PutError::Cancelled),
            };
            (job, result)
        })
    }

    fn landed(
        &mut self,
        cx: &mut Cx<'_, Self>,
        (job, result): Self::Done,
        _: &UnboundedSender<SyncEvent>,
    ) -> Result<Vec<Landed<Self>>, S3Error> {
        let landed = match result {
            Ok(Step::Part { state, sent }) => {
                cx.report.bytes_sent += sent;
                let json = state.to_json();
                cx.catalog
                    .journal_start(&cx.backend, &job.md5, &job.source, Some(&json))?;
                Landed::Again(Job {
                    resume: Some(state),
                    ..job
                })
            }
            Ok(Step::Whole { sent }) => {
                cx.report.bytes_sent += sent;
                let copy = RemoteCopy {
                    remote_id: job.rel.clone(),
                    md5: job.md5.clone(),
                    uploaded_at: chrono::Utc::now().timestamp(),
                    imgmd5: job.imgmd5.clone(),
                };
                if job.size >= self.opts.multipart_from {
                    cx.catalog.journal_finish(&cx.backend, &copy)?;
                } else {
                    cx.catalog.record_remote(&cx.backend, &[copy], None)?;
                }
                self.held.insert(job.rel.clone(), Some(job.md5));
                Landed::Done {
                    bytes: job.size,
                    event: SyncEvent::Uploaded {
                        path: job.source,
                        photo_id: self.bucket()?.key(&job.rel).to_string(),
                        bytes: job.size,
                    },
                }
            }
            Err(PutError::Cancelled) => Landed::Quiet,
            Err(e) => {
                // Other bytes now: that upload is over (step aborted it).
                if matches!(e, PutError::Changed(_)) && job.size >= self.opts.multipart_from {
                    cx.catalog.journal_forget(&cx.backend, &job.md5)?;
                }
                Landed::Failed {
                    path: job.source,
                    reason: e.to_string(),
                }
            }
        };
        Ok(vec![landed])
    }

    /// A whole copy of the catalog goes into the bucket ([`super::own`]). Not a failure
    /// of the photos when it cannot be written: reported with the run's errors.
    async fn finish(&mut self, cx: &mut Cx<'_, Self>, _: &[Photo]) -> Result<(), S3Error> {
        let bucket = self.bucket()?.clone();
        match super::own::put_catalog(&bucket, cx.catalog).await {
            Ok(()) => cx.report.catalog_copied = true,
            Err(e) => cx
                .report
                .errors
                .push((super::CATALOG_COPY.into(), e.to_string())),
        }
        Ok(())
    }

    async fn verify(&mut self, check: &mut Check<'_>) -> Result<Found<Self::Verified>, S3Error> {
        super::verify::check(&self.opts.url, &self.opts.connection, check).await
    }
}

impl RunError<S3Report> for S3Error {
    fn cancelled(report: S3Report) -> Self {
        S3Error::Cancelled(Box::new(report))
    }
    fn is_cancelled(&self) -> bool {
        matches!(self, S3Error::Cancelled(_))
    }
}

/// Uploads to the bucket every photo whose MD5 it does not hold yet, through the engine
/// ([`S3`] is the destination), as [`crate::destinations::archive::archive_photos`] does
/// for a folder.
pub fn sync_photos(
    photos: &[Photo],
    catalog: &mut crate::catalog::Catalog,
    opts: &S3Options,
    cancel: &Cancel,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
) -> Result<S3Report, S3Error> {
    let runtime = crate::engine::one::runtime().map_err(|e| S3Error::Runtime(e.to_string()))?;
    let mut s3 = S3::new(opts.clone(), cancel);
    crate::engine::one::run_alone(&runtime, &mut s3, photos, catalog, cancel, events)
}
