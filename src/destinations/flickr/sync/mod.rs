//! The sync engine: backs a library up to Flickr so that every photo is there exactly
//! once, whatever fails on the way.
//!
//! A run reads the account's checksum tags into the catalog ([`index`]), resolves
//! uploads a previous run left unfinished ([`journal`]), joins the local photos with
//! the index ([`plan`]), and uploads what is missing ([`execute`], [`upload`]), then
//! sets taken dates Flickr cannot read from the files ([`dates`]), and updates the
//! copies of photos edited since their upload ([`edited`]); every call is paced
//! by one token bucket (`crate::net::pacer`) and retried on transient failures ([`remote`]).

pub(crate) mod albums;
mod dates;
mod edited;
mod error;
mod execute;
mod heal;
mod index;
mod journal;
pub(crate) mod listing;
mod options;
mod plan;
pub(crate) mod remote;
mod report;
pub(crate) mod tags;
mod tickets;
mod title;
mod upload;

pub use albums::album_title;
pub use error::SyncError;
pub use options::{Albums, Pacing, Privacy, SyncOptions};
pub use plan::accepts as flickr_accepts;
pub use report::{SyncEvent, SyncReport};
pub use tags::{checksum_tag, imgmd5_tag};
pub use title::{TitleError, TitleTemplate};

use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::flickr::api::{self as flickr, FlickrError};
use crate::library::photo::Photo;
use remote::{Remote, Stop};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Uploads to Flickr every photo whose MD5 is not there yet.
///
/// Blocking: runs its own single-threaded tokio runtime on the calling thread, so
/// `events` is always called from the calling thread. Per-file problems end in the
/// report; an `Err` means the run itself could not go on (catalog, login, index).
/// When `cancel` is set, no new upload starts, the ones in flight finish and are
/// recorded, and the run returns [`SyncError::Cancelled`] with the partial report.
/// Aborted ([`Cancel::abort`]), it stops the uploads in flight too; their journal
/// entries make the next run look them up before uploading anything again.
pub fn sync_flickr(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &flickr::Client,
    opts: &SyncOptions,
    cancel: &Cancel,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SyncError::Runtime)?;
    let remote = Remote::new(client, opts, cancel)
        .map_err(|e| SyncError::flickr("creating the HTTP client", e))?;
    let remote = Arc::new(remote);
    let mut report = SyncReport::default();
    let result = runtime.block_on(run(photos, catalog, &remote, opts, events, &mut report));
    report.api_calls = remote.calls();
    report.elapsed = started.elapsed();
    report.settle();
    match result {
        Err(SyncError::Cancelled(_)) => Err(SyncError::Cancelled(Box::new(report))),
        Err(e) => Err(e),
        Ok(()) if cancel.is_cancelled() => Err(SyncError::Cancelled(Box::new(report))),
        Ok(()) => Ok(report),
    }
}

async fn run(
    photos: &[Photo],
    catalog: &mut Catalog,
    remote: &Arc<Remote>,
    opts: &SyncOptions,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    // Retries of calls that are not about one file are not reported as events: the
    // index and the login are retried quietly, and fail the run if they cannot finish.
    let quiet = |_: u32, _: &FlickrError| {};
    let backend = backend_name(remote, &quiet).await?;
    let refresh = index::refresh(remote, catalog, &backend, opts.verify, &quiet).await?;
    for note in refresh.notes {
        report.errors.push((PathBuf::new(), note));
    }
    if !opts.dry_run {
        let recovery = journal::recover(remote, catalog, &backend, &quiet).await?;
        report.errors.extend(recovery.errors);
    }
    report.index_calls = remote.calls();

    let copies = catalog.remote_copies(&backend)?;
    let refusals = catalog.refusals(&backend)?;
    let index = plan::RemoteIndex::new(&copies);
    let mut plan = plan::plan(photos, &index, &opts.accepts, &refusals);
    if !opts.dry_run {
        let turned_up =
            heal::confirm_lost(remote, catalog, &backend, &mut plan.uploads, &quiet).await?;
        plan.shared.counts.already_there += turned_up;
    }
    report.remote_only = plan.remote_only;
    events(SyncEvent::Planned {
        to_upload: plan.uploads.len() as u64,
        already_there: plan.shared.counts.already_there,
        duplicates: plan.shared.counts.duplicates,
        bytes: plan.bytes,
    });
    plan.shared.tell(&mut report.tally(), &mut |note| {
        events(SyncEvent::of_note(note))
    });
    if !opts.dry_run {
        let jobs = plan
            .uploads
            .iter()
            .map(|(photo, md5)| upload::Job {
                path: photo.path.clone(),
                md5: md5.clone(),
                imgmd5: photo.imgmd5.clone(),
                size: photo.size,
                mtime_ns: photo.mtime_ns,
                params: tags::upload_params(photo, md5, opts),
                date_taken: opts.set_dates.then(|| tags::date_to_set(photo)).flatten(),
            })
            .collect();
        let mut exec = execute::Run {
            remote: remote.clone(),
            catalog,
            backend: &backend,
            concurrency: opts.concurrency,
            ticket_poll: opts.ticket_poll,
            events,
        };
        exec.execute(jobs, report).await?;
        let replace = opts.replace_edited;
        edited::run(remote, catalog, &backend, &plan, replace, events, report).await?;
        if let Albums::Folders { root } = &opts.albums {
            if !remote.cancel.is_cancelled() {
                let mut albums =
                    albums::Albums::new(remote, catalog, &backend, opts.max_per_album, events);
                albums.file(photos, root, report).await?;
            }
        }
        report.healed = crate::engine::heal::settle(catalog, &backend)?;
    }
    events(SyncEvent::Finished);
    Ok(())
}

/// The catalog's name for this Flickr account, `flickr:<nsid>`. Asking also checks the
/// credentials before anything else happens.
pub(crate) async fn backend_name(
    remote: &Remote,
    quiet: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<String, SyncError> {
    let login = match remote.rest("flickr.test.login", &[], quiet).await {
        Ok(v) => v,
        Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
        Err(Stop::Flickr(e)) => return Err(SyncError::flickr("checking the Flickr login", e)),
    };
    let nsid = login["user"]["id"].as_str().unwrap_or_default();
    if nsid.is_empty() {
        return Err(SyncError::flickr(
            "checking the Flickr login",
            FlickrError::Malformed {
                method: "flickr.test.login".into(),
                message: format!("no user id in {login}"),
            },
        ));
    }
    Ok(format!("flickr:{nsid}"))
}
