//! Restore from a bucket: each photo the catalog recorded there (or, for a bucket new to
//! the catalog, each object with a known MD5) is downloaded into the destination at its
//! original path ([`Places`]), or, for bytes the catalog never saw in a library, under
//! its key below the prefix (the layout it was uploaded with), streamed into a temporary while hashed, checked against its MD5 and placed
//! by [`fetch::settle`] like every restore: the same decisions and records. Objects in a
//! class that needs a thaw (Glacier) are found first and counted, their thaw asked for
//! on request ([`RestoreOptions::thaw`]), instead of failing one by one.

use super::fetch::{self, Fetch, Fetched};
use super::places::Places;
use super::target::Files;
use super::{pool, prepare, record, RestoreError, RestoreEvent, RestoreOptions, RestoreReport};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::s3::{self, Bucket, Cold, Connection, S3Url};
use futures::StreamExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const SOURCE: &str = "the bucket";

/// Restores what the bucket at `url` holds into `dest`.
pub fn restore_s3(
    url: &S3Url,
    conn: &Connection,
    dest: &Path,
    catalog: &mut Catalog,
    opts: &RestoreOptions,
    cancel: &Cancel,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
) -> Result<RestoreReport, RestoreError> {
    if opts.albums {
        return Err(RestoreError::Unsupported(
            "--albums: a bucket has no albums; its photos come back in its own layout".into(),
        ));
    }
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let runtime = crate::engine::one::runtime().map_err(|e| RestoreError::Folder {
        path: dest.to_path_buf(),
        source: e,
    })?;
    let source = runtime.block_on(s3::open_source(url, conn, catalog))?;
    let places = Places::read(catalog, dest)?;
    let target = prepare(dest, catalog, opts, cancel)?;
    let restored = catalog.restores(&source.backend)?;
    let mut report = RestoreReport::default();
    let files = Files {
        files: &source.files,
        checked: true,
        restored: &restored,
    };
    let jobs = target.plan_files(files, &places, &mut report, events);
    let jobs = runtime.block_on(without_cold(
        &source.bucket,
        jobs,
        opts.thaw,
        &mut report,
        events,
    ));
    let (backend, bucket) = (source.backend.clone(), source.bucket.clone());
    let fetch = |job: Fetch, _| {
        let (bucket, cancel) = (bucket.clone(), cancel.clone());
        async move {
            let fetched = download(&bucket, &job, &cancel).await;
            (job, fetched)
        }
    };
    runtime.block_on(pool::fetch_all(
        jobs,
        opts.concurrency,
        cancel,
        fetch,
        events,
        &mut |job, fetched| record(catalog, &backend, SOURCE, job, fetched, &mut report, events),
    ))?;
    events(RestoreEvent::Finished);
    report.elapsed = started.elapsed();
    if cancel.is_cancelled() {
        return Err(RestoreError::Cancelled(Box::new(report)));
    }
    Ok(report)
}

/// Leaves out the jobs whose objects need a thaw before they can be read, says how many
/// before anything is downloaded, and asks for their thaw when `thaw`: one line up
/// front, not a failure per file.
async fn without_cold(
    bucket: &Bucket,
    jobs: Vec<Fetch>,
    thaw: bool,
    report: &mut RestoreReport,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
) -> Vec<Fetch> {
    let colds = bucket
        .colds(jobs.iter().map(|j| j.photo_id.clone()).collect())
        .await;
    let state = |job: &Fetch| colds.get(&job.photo_id).copied().unwrap_or(Cold::Readable);
    let (ready, cold): (Vec<Fetch>, Vec<Fetch>) =
        jobs.into_iter().partition(|j| state(j) == Cold::Readable);
    if cold.is_empty() {
        return ready;
    }
    report.frozen = cold.len() as u64;
    report.thawing = cold.iter().filter(|j| state(j) == Cold::Thawing).count() as u64;
    if thaw {
        let frozen = cold.iter().filter(|j| state(j) == Cold::Frozen);
        for (rel, asked) in bucket
            .thaws(frozen.map(|j| j.photo_id.clone()).collect())
            .await
        {
            match asked {
                Ok(()) => report.thaw_requested += 1,
                Err(e) => report.errors.push((rel, e.to_string())),
            }
        }
        report.thawing += report.thaw_requested;
    }
    events(RestoreEvent::Frozen {
        frozen: report.frozen,
        thawing: report.thawing,
        thaw_requested: report.thaw_requested,
    });
    ready
}

/// Streams one object into the job's temporary, hashing it, and settles it.
async fn download(bucket: &Arc<Bucket>, job: &Fetch, cancel: &Cancel) -> Fetched {
    if let Err(e) = std::fs::create_dir_all(&job.folder) {
        return Fetched::Failed(format!("cannot create {}: {e}", job.folder.display()));
    }
    let part = fetch::part_path(job);
    let result = async {
        let mut to = fetch::Part::create(&part).map_err(|e| e.to_string())?;
        let got = bucket.get(&job.photo_id).await.map_err(|e| e.to_string())?;
        let mut stream = got.into_stream();
        let mut bytes = 0u64;
        while let Some(chunk) = stream.next().await {
            if cancel.is_aborted() {
                return Ok(None);
            }
            let chunk = chunk.map_err(|e| e.to_string())?;
            to.write(&chunk).map_err(|e| e.to_string())?;
            bytes += chunk.len() as u64;
        }
        Ok::<_, String>(Some((to.finish().map_err(|e| e.to_string())?, bytes)))
    }
    .await;
    match result {
        Ok(Some((md5, bytes))) => fetch::settle(job, &part, md5, bytes),
        Ok(None) => {
            let _ = std::fs::remove_file(&part);
            Fetched::Cancelled
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Fetched::Failed(format!("downloading {} from the bucket: {e}", job.photo_id))
        }
    }
}
