//! Restore from a bucket: each photo the catalog recorded there (or, for a bucket new to
//! the catalog, each object with a known MD5) is downloaded into the destination under
//! its key below the prefix (the layout it was uploaded with, `YYYY/MM/DD/name` by
//! default), streamed into a temporary while hashed, checked against its MD5 and placed
//! by [`fetch::settle`] like every restore: the same decisions and records.

use super::archive::job;
use super::fetch::{self, Fetch, Fetched};
use super::{prepare, record, Decision, RestoreError, RestoreEvent, RestoreOptions, RestoreReport};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::s3::{self, Bucket, Connection, S3Url};
use futures::StreamExt;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use tokio::task::JoinSet;

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
    let target = prepare(dest, catalog, opts, cancel)?;
    let restored = catalog.restores(&source.backend)?;
    let mut report = RestoreReport::default();
    let mut planned = HashSet::new();
    let mut jobs = Vec::new();
    for (rel, md5) in &source.files {
        match target.decide(rel, Some(md5), true, &restored, &mut planned) {
            Decision::KeptMismatch(message) => {
                report.mismatched += 1;
                report.errors.push((rel.clone(), message));
            }
            Decision::Skip => report.skipped += 1,
            Decision::Fetch => jobs.push(job(true, dest, Path::new(rel), md5, rel.clone())),
        }
    }
    events(RestoreEvent::Planned {
        to_download: jobs.len() as u64,
        already_there: report.skipped,
    });
    let backend = source.backend.clone();
    runtime.block_on(async {
        let mut jobs = jobs.into_iter();
        let mut running = JoinSet::new();
        loop {
            while running.len() < opts.concurrency.max(1) && !cancel.is_cancelled() {
                let Some(job) = jobs.next() else { break };
                let (bucket, cancel) = (source.bucket.clone(), cancel.clone());
                running.spawn(async move {
                    let fetched = download(&bucket, &job, &cancel).await;
                    (job, fetched)
                });
            }
            let Some(done) = running.join_next().await else {
                return Ok::<(), RestoreError>(());
            };
            let (job, fetched) = done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            record(catalog, &backend, SOURCE, job, fetched, &mut report, events)?;
        }
    })?;
    events(RestoreEvent::Finished);
    report.elapsed = started.elapsed();
    if cancel.is_cancelled() {
        return Err(RestoreError::Cancelled(Box::new(report)));
    }
    Ok(report)
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
