//! The Google Photos sync engine: backs a library up to Google Photos as a write-only copy
//! whose truth is photosync's own record (since 2025 the API shows no hashes and gives no
//! originals back).
//!
//! A run checks the refresh token, counts today's requests from the catalog against the
//! daily quota, resolves the upload tokens a previous run left ([`resolve`]), plans what is
//! missing ([`plan`]), and uploads it with several uploads in flight and one batchCreate of
//! up to 50 items at a time ([`execute`]). The catalog records md5 -> media item id when
//! batchCreate answers; a photo recorded there is never uploaded again.

mod albums;
mod error;
mod execute;
mod options;
mod plan;
mod report;
mod resolve;
mod verify;

pub use error::GphotosSyncError;
pub use options::GphotosSyncOptions;
pub use plan::{accepts as gphotos_accepts, MAX_PHOTO_BYTES, MAX_VIDEO_BYTES};
pub use report::GphotosReport;
pub use verify::{verify_gphotos, VerifyReport};

use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::flickr::sync::SyncEvent;
use crate::destinations::gphotos::api::Client;
use crate::library::photo::Photo;
use std::sync::Arc;
use std::time::Instant;

/// The catalog's name for a Google Photos project: `gphotos:<client id>` (the quota and
/// what the app may see are the project's).
pub fn backend_name(client: &Client) -> String {
    format!("gphotos:{}", client.config().client_id)
}

/// Seconds west of UTC of Pacific standard time. Google's quota day turns at midnight
/// Pacific; in daylight time that is an hour before this day turns, so photosync never
/// believes in a fresh budget before Google does.
const PACIFIC: i64 = 8 * 3600;

/// Days since the epoch in (standard) Pacific time.
pub fn pacific_day(unix: i64) -> i64 {
    (unix - PACIFIC).div_euclid(86_400)
}

/// Uploads to Google Photos every photo whose MD5 is not recorded there yet.
///
/// Blocking: runs a single-threaded tokio runtime on the calling thread, so `events` is
/// called on it. Per-file problems end in the report; when the daily quota runs out the
/// run ends cleanly with `report.stopped` saying so. Cancelled, no new upload starts and
/// what finished is recorded; aborted, uploads in flight stop too.
pub fn sync_gphotos(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &Client,
    opts: &GphotosSyncOptions,
    cancel: &Cancel,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
) -> Result<GphotosReport, GphotosSyncError> {
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let client = &Arc::new(
        client
            .renewed()
            .map_err(|e| GphotosSyncError::api("creating the HTTP client", e))?,
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(GphotosSyncError::Runtime)?;
    let mut report = GphotosReport::default();
    let result = runtime.block_on(run(
        photos,
        catalog,
        client,
        opts,
        cancel,
        events,
        &mut report,
    ));
    report.api_calls = client.calls();
    report.bytes_sent = client.bytes_sent();
    report.resumed = client.resumed();
    report.elapsed = started.elapsed();
    report.settle();
    match result {
        Err(GphotosSyncError::Cancelled(_)) => Err(GphotosSyncError::Cancelled(Box::new(report))),
        Err(e) => Err(e),
        Ok(()) if cancel.is_cancelled() => Err(GphotosSyncError::Cancelled(Box::new(report))),
        Ok(()) => Ok(report),
    }
}

async fn run(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &Arc<Client>,
    opts: &GphotosSyncOptions,
    cancel: &Cancel,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
    report: &mut GphotosReport,
) -> Result<(), GphotosSyncError> {
    let quiet = |_: u32, _: &crate::destinations::gphotos::api::GphotosError| {};
    // Checks the credentials first, and learns Google's clock (the quota day) on the way
    // (the token endpoint is outside the quota).
    client
        .retrying(cancel, &quiet, || client.access_token())
        .await
        .map_err(|e| GphotosSyncError::api("checking the Google login", e))?;
    let backend = backend_name(client);
    let day = pacific_day(client.server_now());
    let used = catalog.gphotos_quota_used(&backend, day)?;
    client.set_budget(opts.daily_quota.saturating_sub(used) + client.calls());
    let quota = execute::Quota {
        backend: backend.clone(),
        day,
        used_before: used,
        calls_before: client.calls(),
        daily: opts.daily_quota,
    };

    let tokens = if opts.dry_run {
        resolve::Resolved::default()
    } else {
        let resolved = resolve::resolve(client, catalog, &backend, opts, cancel).await;
        quota.save(catalog, client)?;
        resolved?
    };

    if opts.verify {
        let checked = verify::check_listing(client, catalog, &backend, cancel).await;
        quota.save(catalog, client)?;
        checked?;
    }
    let index = catalog.remote_index(&backend)?;
    let refusals = catalog.refusals(&backend)?;
    let plan = plan::plan(photos, &index, &opts.accepts, &refusals);
    events(SyncEvent::Planned {
        to_upload: plan.jobs.len() as u64,
        already_there: plan.shared.counts.already_there,
        duplicates: plan.shared.counts.duplicates,
        bytes: plan.shared.bytes,
    });
    plan.shared.tell(&mut report.tally(), &mut |note| {
        events(SyncEvent::of_note(note))
    });
    if !opts.dry_run {
        let mut exec = execute::Run::new(
            client.clone(),
            catalog,
            &backend,
            opts,
            cancel,
            events,
            quota.clone(),
        );
        exec.execute(plan.jobs, tokens, report).await?;
        if let Some(root) = &opts.albums_root {
            if !cancel.is_cancelled() && report.stopped.is_none() {
                let filed =
                    albums::file(client, catalog, &backend, photos, root, cancel, report).await;
                quota.save(catalog, client)?;
                filed?;
            }
        }
        report.healed = crate::engine::heal::settle(catalog, &backend)?;
    }
    events(SyncEvent::Finished);
    Ok(())
}
