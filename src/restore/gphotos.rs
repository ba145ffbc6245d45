//! Restore from Google Photos, only when the user accepts lossy copies: the Library API
//! serves no originals (`baseUrl=d` is a recompressed copy without GPS), so nothing it
//! gives back can be checked against the photo's MD5, and each file is named
//! `<name>.lossy.<ext>` so that it is never taken for an original: at the original's
//! path when the catalog knows it ([`Places`]), else in the date layout. A photo whose
//! original the destination holds is not downloaded; a lossy copy restored before and
//! still there is not downloaded again.

use super::fetch::{self, Fetch, Fetched};
use super::places::Places;
use super::{
    date_folder, names, pool, prepare, record, Decision, RestoreError, RestoreEvent,
    RestoreOptions, RestoreReport,
};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::gphotos::api::{checksum_of, Client, GphotosError, ListedItem};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The infix that marks a file as Google's copy, not the original.
pub const LOSSY_INFIX: &str = ".lossy";

const SOURCE: &str = "Google Photos";

/// Restores the items the app uploaded to Google Photos into `dest`, as lossy copies.
/// Refused unless `accept_lossy`.
pub fn restore_gphotos(
    dest: &Path,
    catalog: &mut Catalog,
    client: &Client,
    opts: &RestoreOptions,
    accept_lossy: bool,
    cancel: &Cancel,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
) -> Result<RestoreReport, RestoreError> {
    if !accept_lossy {
        return Err(RestoreError::Lossy);
    }
    if opts.albums {
        return Err(RestoreError::Unsupported(
            "--albums from Google Photos: photos come back in the date layout".into(),
        ));
    }
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let backend = crate::destinations::gphotos::sync::backend_name(client);
    let api = |e: GphotosError| RestoreError::Gphotos(e.to_string());
    let client = Arc::new(client.renewed().map_err(api)?);
    let runtime = crate::engine::one::runtime()
        .map_err(|e| RestoreError::Gphotos(format!("cannot start the runtime: {e}")))?;
    let places = Places::read(catalog, dest)?;
    let target = prepare(dest, catalog, opts, cancel)?;
    let restored = catalog.restores(&backend)?;
    let quiet = |_: u32, _: &GphotosError| {};
    let items = runtime
        .block_on(client.list_all(cancel, &quiet))
        .map_err(|e| match e {
            GphotosError::Cancelled => RestoreError::Cancelled(Box::default()),
            e => api(e),
        })?;
    let mut report = RestoreReport::default();
    let mut planned = HashSet::new();
    let mut jobs = Vec::new();
    for item in items {
        let original = checksum_of(&item.description);
        match target.decide(&item.id, original.as_ref(), false, &restored, &mut planned) {
            Decision::Fetch => jobs.push(job(dest, &item, &places, original.as_ref())),
            Decision::Skip | Decision::KeptMismatch(_) => report.skipped += 1,
        }
    }
    events(RestoreEvent::Planned {
        to_download: jobs.len() as u64,
        already_there: report.skipped,
    });
    let fetch = |job: Fetch, _| {
        let (client, cancel) = (client.clone(), cancel.clone());
        async move {
            let fetched = download(&client, &job, &cancel).await;
            (job, fetched)
        }
    };
    let result = runtime.block_on(pool::fetch_all(
        jobs,
        opts.concurrency,
        cancel,
        fetch,
        events,
        &mut |job, fetched| {
            report.lossy += u64::from(matches!(fetched, Fetched::Done { .. }));
            record(catalog, &backend, SOURCE, job, fetched, &mut report, events)
        },
    ));
    report.api_calls = client.calls();
    report.elapsed = started.elapsed();
    result?;
    events(RestoreEvent::Finished);
    if cancel.is_cancelled() {
        return Err(RestoreError::Cancelled(Box::new(report)));
    }
    Ok(report)
}

/// `<original path>.lossy.<ext>` when the catalog knows the original (every path that
/// held it), else `dest/YYYY/MM/DD/<name>.lossy.<ext>` from the item's creation time
/// and file name.
fn job(dest: &Path, item: &ListedItem, places: &Places, original: Option<&String>) -> Fetch {
    let (name, ext) = names::split_file_name(&item.filename, &item.id);
    let key: String = names::component(&item.id, "item")
        .chars()
        .take(24)
        .collect();
    let mut job = Fetch {
        photo_id: item.id.clone(),
        md5: None,
        key,
        folder: dest.join(date_folder(&item.creation_time)),
        name,
        ext,
        url: Some(item.base_url.clone()),
        also: Vec::new(),
    };
    places.place(&mut job, original, dest);
    job.name.push_str(LOSSY_INFIX);
    job.also = job.also.iter().map(|p| lossy(p)).collect();
    job
}

/// `dir/name.ext` -> `dir/name.lossy.ext`.
fn lossy(path: &Path) -> PathBuf {
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    let file = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}{LOSSY_INFIX}.{ext}"),
        _ => format!("{file}{LOSSY_INFIX}"),
    };
    path.with_file_name(file)
}

/// Downloads one item into its temporary, retried as the client's policy says, and
/// settles it (nothing to check it against).
async fn download(client: &Client, job: &Fetch, cancel: &Cancel) -> Fetched {
    let Some(url) = &job.url else {
        return Fetched::Failed("no download address for it".into());
    };
    if let Err(e) = std::fs::create_dir_all(&job.folder) {
        return Fetched::Failed(format!("cannot create {}: {e}", job.folder.display()));
    }
    let part = fetch::part_path(job);
    let quiet = |_: u32, _: &GphotosError| {};
    let got = client
        .retrying(cancel, &quiet, || async {
            let mut file = fetch::Part::create(&part).map_err(|e| GphotosError::Transport {
                what: "writing a download",
                message: e.to_string(),
            })?;
            let bytes = client
                .download(url, &mut |chunk: &[u8]| file.write(chunk))
                .await?;
            let md5 = file.finish().map_err(|e| GphotosError::Transport {
                what: "writing a download",
                message: e.to_string(),
            })?;
            Ok((md5, bytes))
        })
        .await;
    match got {
        Ok((md5, bytes)) => fetch::settle(job, &part, md5, bytes),
        Err(GphotosError::Cancelled) => {
            let _ = std::fs::remove_file(&part);
            Fetched::Cancelled
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Fetched::Failed(e.to_string())
        }
    }
}
