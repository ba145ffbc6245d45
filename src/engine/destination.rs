//! What differs between destinations, as one trait (rclone's `Fs` is the model): its
//! name, what it takes, how it gets ready (login, index, journal recovery), how one photo
//! is sent and recorded, and what it does once the photos are there (albums, dates).
//! Everything else is the engine's, written once: the plan ([`super::plan`]), the run loop with
//! its bounded concurrency and Ctrl-C handling ([`super::send`]), the outcome words and
//! counts, recording refusals, healing, the report's timing ([`super::run`]).

use super::outcome::Note;
use super::plan::{self, Accepts};
use super::report::{Extra, RunReport};
use super::verify::{Check, Found, Verified};
use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError, RemoteCopy};
use crate::library::photo::Photo;
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use tokio::sync::mpsc::UnboundedSender;

/// What a destination holds, as the catalog records it: MD5 -> remote ids.
pub type Index = HashMap<String, Vec<String>>;

/// What a destination holds, read once from the catalog for the plan: its copies as
/// recorded (with their image-data MD5s), and by MD5.
pub struct Held {
    pub copies: Vec<RemoteCopy>,
    pub index: Index,
}

impl Held {
    pub fn read(catalog: &Catalog, backend: &str) -> Result<Held, CatalogError> {
        let copies = catalog.remote_copies(backend)?;
        let mut index = Index::new();
        for c in &copies {
            index
                .entry(c.md5.clone())
                .or_default()
                .push(c.remote_id.clone());
        }
        Ok(Held { copies, index })
    }
}

/// One photo on its way: a task the engine runs on its runtime.
pub type Put<D> = Pin<Box<dyn Future<Output = <D as Destination>::Done> + Send + 'static>>;

/// What the engine's hooks work with during one destination's run.
pub struct Cx<'c, D: Destination> {
    pub catalog: &'c mut Catalog,
    pub cancel: &'c Cancel,
    pub events: &'c (dyn Fn(D::Event) + Send + Sync),
    pub report: &'c mut RunReport<D::Extra>,
    /// The catalog's name for the destination (`flickr:<nsid>`), known after `prepare`.
    pub backend: String,
}

/// What the plan gives the run: the shared plan's words, and the jobs to send.
pub struct Planned<'a, J> {
    pub shared: plan::Plan<'a>,
    pub jobs: Vec<J>,
    /// Bytes of the jobs.
    pub bytes: u64,
    /// Files the destination's own planning found held (besides the shared plan's), with
    /// the event telling each; counted as already there.
    pub found: Vec<Note>,
    /// Files its own planning could not place (Word::Failed notes).
    pub failed: Vec<Note>,
}

impl<'a, J> Planned<'a, J> {
    pub fn new(shared: plan::Plan<'a>, jobs: Vec<J>) -> Self {
        let bytes = shared.bytes;
        Planned {
            shared,
            jobs,
            bytes,
            found: Vec::new(),
            failed: Vec::new(),
        }
    }
}

/// Whether a job may start now.
pub enum Start<J> {
    /// Send it.
    Go(J),
    /// It needs no put (Google Photos: an upload token a previous run left).
    Taken,
    /// Not now, and nothing more in this run (a quota spent): it goes back to the queue.
    Hold(J),
}

/// What became of a put, as the destination tells the engine after recording it.
pub enum Landed<D: Destination> {
    /// Made: counted as done, with its bytes and the event telling it.
    Done { bytes: u64, event: D::Event },
    /// The destination rejected these bytes: the engine records the refusal (`message`)
    /// so they are not sent again until the file changes, and tells `reason`.
    Refused {
        path: PathBuf,
        md5: String,
        message: String,
        reason: String,
    },
    /// Transient or unknown: tried again on the next run.
    Failed { path: PathBuf, reason: String },
    /// More to wait for, outside the put slots (Flickr's ticket, its taken date).
    Later(Put<D>),
    /// Waiting for a [`Destination::flush`] (Google Photos' batchCreate).
    Staged,
    /// To send again in this run.
    Again(D::Job),
    /// Nothing to count (stopped by the cancel flag).
    Quiet,
}

/// The events every destination tells, in its own event type.
pub trait Events: Send + 'static {
    fn planned(to_send: u64, already_there: u64, duplicates: u64, bytes: u64) -> Self;
    fn started(path: PathBuf) -> Self;
    fn of_note(note: &Note) -> Self;
    fn finished() -> Self;
}

/// A destination's error: a catalog failure, or the cancel flag with what was done.
pub trait RunError<R>: From<CatalogError> {
    fn cancelled(report: R) -> Self;
    fn is_cancelled(&self) -> bool;
}

/// One destination. Its hooks are called by the engine, in this order: `prepare`,
/// `plan`, then for each job `start` and `put` (at most `concurrency` at once) and
/// `landed` as each comes back (`flush` between), `left`, and `finish`.
// The engine awaits these on its own current-thread runtime; they are never spawned, so
// their futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Destination: Sized {
    /// One photo to send, owned so its put can move to a task.
    type Job: Send + 'static;
    /// What a put hands back.
    type Done: Send + 'static;
    /// Its own figures in the report, beside the engine's common part.
    type Extra: Extra;
    /// What its verify reports.
    type Verified: Verified;
    type Error: RunError<RunReport<Self::Extra>>;
    type Event: Events;

    /// The name its report goes under: `archive:<path>`, `flickr`, `gphotos`.
    fn name(&self) -> String;
    /// Local copies first (cheap, and they land before any network trouble), then clouds.
    fn rank(&self) -> u8;
    /// Plan and report, send nothing.
    fn dry_run(&self) -> bool;
    /// Puts at once.
    fn concurrency(&self) -> usize;
    /// The local file a job sends.
    fn path_of(job: &Self::Job) -> &Path;
    /// What it takes (kinds, sizes); the engine's plan leaves out the rest.
    fn accepts(&self) -> &Accepts;

    /// Login, index refresh, journal recovery, listing check: the catalog's name for the
    /// destination, whose copies the catalog then holds.
    async fn prepare(
        &mut self,
        cx: &mut Cx<'_, Self>,
        photos: &[Photo],
    ) -> Result<String, Self::Error>;

    /// Its jobs, from the engine's plan (`shared`: the photos joined with what it holds,
    /// `held`, and with what it takes), with its extras.
    async fn plan<'a>(
        &mut self,
        cx: &mut Cx<'_, Self>,
        photos: &'a [Photo],
        shared: plan::Plan<'a>,
        held: &Held,
    ) -> Result<Planned<'a, Self::Job>, Self::Error>;

    /// Before a job is sent (its journal entry); `in_flight`: puts running.
    fn start(
        &mut self,
        cx: &mut Cx<'_, Self>,
        job: Self::Job,
        in_flight: usize,
    ) -> Result<Start<Self::Job>, Self::Error> {
        let _ = (cx, in_flight);
        Ok(Start::Go(job))
    }

    /// Sends one photo; retries and per-file progress go to `events`.
    fn put(&self, job: Self::Job, events: UnboundedSender<Self::Event>) -> Put<Self>;

    /// Records what a put did in the catalog and says what became of it; a wait that
    /// follows it (a [`Landed::Later`]) tells its retries to `events`.
    fn landed(
        &mut self,
        cx: &mut Cx<'_, Self>,
        done: Self::Done,
        events: &UnboundedSender<Self::Event>,
    ) -> Result<Vec<Landed<Self>>, Self::Error>;

    /// Work done for several photos at once, called between puts (`idle`: none running):
    /// Google Photos' batchCreate.
    async fn flush(
        &mut self,
        cx: &mut Cx<'_, Self>,
        idle: bool,
    ) -> Result<Vec<Landed<Self>>, Self::Error> {
        let _ = (cx, idle);
        Ok(Vec::new())
    }

    /// Whether to stop starting puts (a full drive, a spent quota, a revoked login).
    fn halted(&self) -> bool {
        false
    }

    /// Said about every running put about ten times a second (the archive's bytes).
    fn progress(&self) -> Option<Self::Event> {
        None
    }

    /// The jobs the run did not start (a halt, the cancel flag), to report.
    fn left(&mut self, cx: &mut Cx<'_, Self>, left: Vec<Self::Job>) -> Result<(), Self::Error> {
        let _ = (cx, left);
        Ok(())
    }

    /// After the puts: albums, dates, edited photos; not called when cancelled.
    async fn finish(&mut self, cx: &mut Cx<'_, Self>, photos: &[Photo]) -> Result<(), Self::Error> {
        let _ = (cx, photos);
        Ok(())
    }

    /// Checks what it holds against the catalog (its listing or its files; with
    /// `read_data` the bytes read back where it can) and says which recorded copies are
    /// lost; the engine forgets those ([`super::verify`]).
    async fn verify(&mut self, check: &mut Check<'_>)
        -> Result<Found<Self::Verified>, Self::Error>;

    /// Fills the report's own figures (API calls, bytes on the wire) when the run ends,
    /// whatever its outcome.
    fn close(&mut self, report: &mut RunReport<Self::Extra>) {
        let _ = report;
    }
}
