//! Restore from an archive folder: each file the catalog recorded there is copied into
//! the destination at its original path ([`Places`]), or, for bytes the catalog never
//! saw in a library, under the archive's own relative path (its layout), streamed into a temporary while hashed, checked against the MD5 the
//! catalog recorded when it was archived, and placed by [`fetch::settle`] like a Flickr
//! download. Albums are a Flickr notion; an archive has none.

use super::fetch::{self, Fetch, Fetched};
use super::places::Places;
use super::target::Files;
use super::RestoreReport;
use super::{prepare, record, RestoreError, RestoreEvent, RestoreOptions};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::archive::{self, ArchiveSource};
use std::io::Read;
use std::path::Path;
use std::sync::{mpsc, Mutex};
use std::time::Instant;

const SOURCE: &str = "the archive";

/// Restores what the archive at `root` holds into `dest`.
pub fn restore_archive(
    root: &Path,
    dest: &Path,
    catalog: &mut Catalog,
    opts: &RestoreOptions,
    cancel: &Cancel,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
) -> Result<RestoreReport, RestoreError> {
    if opts.albums {
        return Err(RestoreError::Unsupported(
            "--albums: an archive has no albums; its files come back in the archive's own layout"
                .into(),
        ));
    }
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let source = archive::open_source(root, catalog, opts.concurrency, cancel)?;
    let places = Places::read(catalog, dest)?;
    let target = prepare(dest, catalog, opts, cancel)?;
    let restored = catalog.restores(&source.backend)?;
    let mut report = RestoreReport::default();
    let files = Files {
        files: &source.files,
        checked: source.recorded,
        restored: &restored,
    };
    let jobs = target.plan_files(files, &places, &mut report, events);
    copy_all(&source, jobs, catalog, opts, cancel, events, &mut report)?;
    events(RestoreEvent::Finished);
    report.elapsed = started.elapsed();
    if cancel.is_cancelled() {
        return Err(RestoreError::Cancelled(Box::new(report)));
    }
    Ok(report)
}

/// Copies on `opts.concurrency` threads; results are recorded on this thread.
fn copy_all(
    source: &ArchiveSource,
    jobs: Vec<Fetch>,
    catalog: &mut Catalog,
    opts: &RestoreOptions,
    cancel: &Cancel,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
    report: &mut RestoreReport,
) -> Result<(), RestoreError> {
    let queue = Mutex::new(jobs.into_iter());
    let next = || -> Option<Fetch> {
        if cancel.is_cancelled() {
            return None;
        }
        queue.lock().ok()?.next()
    };
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(Fetch, Fetched)>();
        for _ in 0..opts.concurrency.max(1) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                while let Some(job) = next() {
                    let src = source.root.join(&job.photo_id);
                    let fetched = copy_one(&src, &job, cancel);
                    if tx.send((job, fetched)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (job, fetched) in rx {
            record(
                catalog,
                &source.backend,
                SOURCE,
                job,
                fetched,
                report,
                events,
            )?;
        }
        Ok(())
    })
}

/// Streams `src` into the job's temporary, hashing it, and settles it.
fn copy_one(src: &Path, job: &Fetch, cancel: &Cancel) -> Fetched {
    if let Err(e) = std::fs::create_dir_all(&job.folder) {
        return Fetched::Failed(format!("cannot create {}: {e}", job.folder.display()));
    }
    let part = fetch::part_path(job);
    match copy_hashing(src, &part, cancel) {
        Ok(Some((md5, bytes))) => fetch::settle(job, &part, md5, bytes),
        Ok(None) => {
            let _ = std::fs::remove_file(&part);
            Fetched::Cancelled
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Fetched::Failed(format!("copying {} from the archive: {e}", src.display()))
        }
    }
}

/// The MD5 and length of what was copied, fsynced; None when aborted.
fn copy_hashing(
    src: &Path,
    part: &Path,
    cancel: &Cancel,
) -> std::io::Result<Option<(String, u64)>> {
    let mut from = std::fs::File::open(src)?;
    let mut to = fetch::Part::create(part)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        if cancel.is_aborted() {
            return Ok(None);
        }
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        to.write(&buf[..n])?;
        bytes += n as u64;
    }
    Ok(Some((to.finish()?, bytes)))
}
