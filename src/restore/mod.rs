//! Restore: the library back from Flickr, byte for byte. Every photo of the account is
//! listed in bulk (500 a call, with its original's URL, title, date and checksum tag);
//! the ones whose MD5 the destination already holds are skipped; the others are
//! downloaded concurrently, each checked against its tag before it gets a real name
//! ([`fetch`]), into a date layout or one folder per album, under names made safe
//! ([`names`]). Nothing in the destination is ever overwritten; an interrupted restore
//! goes on where it stopped, since what it wrote is found by MD5 on the next run.

mod fetch;
pub mod names;

pub use fetch::PART_SUFFIX;

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError};
use crate::flickr::{Client, FlickrError};
use crate::scan::{self, ScanError, ScanOptions};
use crate::sync::listing::{self, Listed, Query};
use crate::sync::remote::{Remote, Stop};
use crate::sync::{Pacing, SyncError};
use fetch::{Fetch, Fetched};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

#[derive(Debug, Clone)]
pub struct RestoreOptions {
    /// Downloads at once.
    pub concurrency: usize,
    /// One folder per album instead of `YYYY/MM/DD`.
    pub albums: bool,
    /// Only photos this folder held once (uploaded from it, or seen in it by a scan)
    /// and holds no longer.
    pub only_missing: Option<PathBuf>,
    pub pacing: Pacing,
}

impl Default for RestoreOptions {
    fn default() -> Self {
        RestoreOptions {
            concurrency: 4,
            albums: false,
            only_missing: None,
            pacing: Pacing::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreEvent {
    Planned {
        to_download: u64,
        already_there: u64,
    },
    Downloaded {
        path: PathBuf,
        photo_id: String,
        bytes: u64,
        verified: bool,
    },
    /// The bytes Flickr gave differ from the photo's checksum tag.
    Mismatch {
        path: PathBuf,
        photo_id: String,
        expected: String,
        actual: String,
    },
    Retried {
        photo_id: String,
        attempt: u32,
        error: String,
    },
    Failed {
        photo_id: String,
        error: String,
    },
    Finished,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreReport {
    pub downloaded: u64,
    /// Already in the destination (by MD5), or not asked for (`only_missing`).
    pub skipped: u64,
    pub failed: u64,
    pub mismatched: u64,
    /// Restored photos without a checksum tag: nothing to check them against.
    pub unverified: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    pub api_calls: u64,
    /// Photo id (or path) and what went wrong.
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error(transparent)]
    Flickr(#[from] SyncError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("scanning the destination: {0}")]
    Scan(#[from] ScanError),
    #[error("cannot use {path} as the restore folder: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("restore interrupted; what was downloaded is kept, run it again to go on")]
    Cancelled(Box<RestoreReport>),
}

/// Restores the Flickr account `client` reaches into `dest`.
pub fn restore_flickr(
    dest: &Path,
    catalog: &mut Catalog,
    client: &Client,
    opts: &RestoreOptions,
    cancel: &Cancel,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
) -> Result<RestoreReport, RestoreError> {
    let started = Instant::now();
    std::fs::create_dir_all(dest).map_err(|source| RestoreError::Folder {
        path: dest.to_path_buf(),
        source,
    })?;
    remove_parts(dest);
    let wanted = match &opts.only_missing {
        Some(dir) => Some(missing_from(catalog, dir)?),
        None => None,
    };
    let held: HashSet<String> =
        scan::scan(dest, catalog, &ScanOptions::default(), cancel, &mut |_| {})?
            .photos
            .into_iter()
            .filter_map(|p| p.md5)
            .collect();
    let (runtime, remote) = crate::sync::remote::connect(client, &opts.pacing, cancel)?;
    let remote = Arc::new(remote);
    let mut report = RestoreReport::default();
    let mut run = Run {
        remote: remote.clone(),
        catalog,
        dest,
        opts,
        events,
        held,
        wanted,
    };
    let result = runtime.block_on(run.run(&mut report));
    report.api_calls = remote.calls();
    report.elapsed = started.elapsed();
    match result {
        Err(RestoreError::Cancelled(_)) => Err(RestoreError::Cancelled(Box::new(report))),
        Err(RestoreError::Flickr(SyncError::Cancelled(_))) => {
            Err(RestoreError::Cancelled(Box::new(report)))
        }
        Err(e) => Err(e),
        Ok(()) if cancel.is_cancelled() => Err(RestoreError::Cancelled(Box::new(report))),
        Ok(()) => Ok(report),
    }
}

/// MD5s the folder held once and holds no longer, as the catalog knows them.
fn missing_from(catalog: &Catalog, dir: &Path) -> Result<HashSet<String>, RestoreError> {
    let mut once: HashMap<PathBuf, String> = catalog.uploads_under(dir)?;
    for (path, photo) in catalog.files_under(dir)? {
        if let Some(md5) = photo.md5 {
            once.insert(path, md5);
        }
    }
    let still: HashSet<&String> = once
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(_, md5)| md5)
        .collect();
    Ok(once
        .values()
        .filter(|m| !still.contains(m))
        .cloned()
        .collect())
}

/// Removes downloads a stopped restore left behind, in `dir` and below.
fn remove_parts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => remove_parts(&path),
            Ok(t) if t.is_file() && path.to_string_lossy().ends_with(PART_SUFFIX) => {
                let _ = std::fs::remove_file(&path);
            }
            _ => {}
        }
    }
}

struct Run<'a> {
    remote: Arc<Remote>,
    catalog: &'a mut Catalog,
    dest: &'a Path,
    opts: &'a RestoreOptions,
    events: &'a (dyn Fn(RestoreEvent) + Send + Sync),
    /// MD5s the destination holds.
    held: HashSet<String>,
    wanted: Option<HashSet<String>>,
}

impl Run<'_> {
    async fn run(&mut self, report: &mut RestoreReport) -> Result<(), RestoreError> {
        let quiet = |_: u32, _: &FlickrError| {};
        let backend = crate::sync::backend_name(&self.remote, &quiet).await?;
        let mut listed: Vec<Listed> = Vec::new();
        let query = Query {
            filters: &[],
            extras: "date_taken,url_o,original_format",
            doing: "listing the Flickr account",
        };
        let notes = listing::list_all(
            &self.remote,
            &query,
            None,
            &mut |page| {
                listed.extend(page);
                Ok(())
            },
            &quiet,
        )
        .await?;
        for note in notes {
            report.errors.push((String::new(), note));
        }
        let albums = if self.opts.albums {
            self.album_of_each(&quiet).await?
        } else {
            HashMap::new()
        };
        let restored = self.catalog.restores(&backend)?;
        let jobs = self.plan(listed, &albums, &restored, report);
        self.download(jobs, &backend, report).await?;
        (self.events)(RestoreEvent::Finished);
        Ok(())
    }

    /// One fetch per MD5 not held (and per untagged photo not restored before).
    fn plan(
        &mut self,
        listed: Vec<Listed>,
        albums: &HashMap<String, String>,
        restored: &HashMap<String, (String, PathBuf)>,
        report: &mut RestoreReport,
    ) -> Vec<Fetch> {
        let mut jobs = Vec::new();
        let mut planned: HashSet<String> = HashSet::new();
        for photo in listed {
            let md5 = photo.md5s.first().cloned();
            let known = md5
                .clone()
                .or_else(|| restored.get(&photo.id).map(|(m, _)| m.clone()));
            let held = known.as_ref().is_some_and(|m| self.held.contains(m));
            let not_wanted = match (&self.wanted, &md5) {
                (Some(wanted), Some(m)) => !wanted.contains(m),
                (Some(_), None) => true,
                (None, _) => false,
            };
            let twice = md5.as_ref().is_some_and(|m| !planned.insert(m.clone()));
            // Bytes that differed from the tag last time, and are kept: reported again,
            // not downloaded again.
            if let (Some(tag), Some((got, path))) = (&md5, restored.get(&photo.id)) {
                if got != tag && self.held.contains(got) {
                    report.mismatched += 1;
                    report.errors.push((
                        photo.id.clone(),
                        format!("Flickr's bytes have MD5 {got}, not {tag} as the checksum tag says; kept as {}", path.display()),
                    ));
                    continue;
                }
            }
            if held || not_wanted || twice {
                report.skipped += 1;
                continue;
            }
            jobs.push(self.job(photo, md5, albums));
        }
        (self.events)(RestoreEvent::Planned {
            to_download: jobs.len() as u64,
            already_there: report.skipped,
        });
        jobs
    }

    fn job(&self, photo: Listed, md5: Option<String>, albums: &HashMap<String, String>) -> Fetch {
        let raw = &photo.raw;
        let folder = match albums.get(&photo.id) {
            Some(album) => self.dest.join(names::component(album, "Album")),
            None if self.opts.albums => self.dest.join("Not in an album"),
            None => self
                .dest
                .join(date_folder(raw["datetaken"].as_str().unwrap_or(""))),
        };
        let title = raw["title"].as_str().unwrap_or("");
        Fetch {
            name: names::component(title, &photo.id),
            ext: names::extension(raw["originalformat"].as_str().unwrap_or("jpg")),
            url: raw["url_o"]
                .as_str()
                .filter(|u| !u.is_empty())
                .map(String::from),
            folder,
            md5,
            photo_id: photo.id,
        }
    }

    async fn download(
        &mut self,
        jobs: Vec<Fetch>,
        backend: &str,
        report: &mut RestoreReport,
    ) -> Result<(), RestoreError> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<RestoreEvent>();
        let mut tasks = JoinSet::new();
        let mut queue = jobs.into_iter();
        let cancel = self.remote.cancel.clone();
        loop {
            while tasks.len() < self.opts.concurrency.max(1) && !cancel.is_cancelled() {
                let Some(job) = queue.next() else { break };
                let remote = self.remote.clone();
                let tx = tx.clone();
                tasks.spawn(async move {
                    let id = job.photo_id.clone();
                    let retried = move |attempt: u32, e: &FlickrError| {
                        let _ = tx.send(RestoreEvent::Retried {
                            photo_id: id.clone(),
                            attempt,
                            error: e.to_string(),
                        });
                    };
                    let fetched = fetch::fetch(&remote, &job, &retried).await;
                    (job, fetched)
                });
            }
            if tasks.is_empty() {
                break;
            }
            if cancel.is_aborted() {
                tasks.abort_all();
            }
            tokio::select! {
                Some(event) = rx.recv() => (self.events)(event),
                Some(joined) = tasks.join_next() => {
                    if let Ok((job, fetched)) = joined {
                        self.done(job, fetched, backend, report)?;
                    }
                }
                _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            }
        }
        while let Ok(event) = rx.try_recv() {
            (self.events)(event);
        }
        Ok(())
    }

    fn done(
        &mut self,
        job: Fetch,
        fetched: Fetched,
        backend: &str,
        report: &mut RestoreReport,
    ) -> Result<(), RestoreError> {
        match fetched {
            Fetched::Done {
                path,
                md5,
                bytes,
                verified,
            } => {
                self.catalog
                    .record_restore(backend, &job.photo_id, &md5, &path)?;
                report.downloaded += 1;
                report.bytes += bytes;
                report.unverified += u64::from(!verified);
                (self.events)(RestoreEvent::Downloaded {
                    path,
                    photo_id: job.photo_id,
                    bytes,
                    verified,
                });
            }
            Fetched::Mismatch {
                path,
                expected,
                actual,
            } => {
                self.catalog
                    .record_restore(backend, &job.photo_id, &actual, &path)?;
                report.mismatched += 1;
                report.errors.push((
                    job.photo_id.clone(),
                    format!(
                        "Flickr's bytes have MD5 {actual}, not {expected} as the photo's checksum tag says; kept as {}",
                        path.display()
                    ),
                ));
                (self.events)(RestoreEvent::Mismatch {
                    path,
                    photo_id: job.photo_id,
                    expected,
                    actual,
                });
            }
            Fetched::Failed(error) => {
                report.failed += 1;
                report.errors.push((job.photo_id.clone(), error.clone()));
                (self.events)(RestoreEvent::Failed {
                    photo_id: job.photo_id,
                    error,
                });
            }
            Fetched::Cancelled => {}
        }
        Ok(())
    }

    /// Photo id -> the title of the first album (photoset) that holds it.
    async fn album_of_each(
        &self,
        quiet: &(dyn Fn(u32, &FlickrError) + Send + Sync),
    ) -> Result<HashMap<String, String>, RestoreError> {
        let sets = crate::sync::albums::photosets(&self.remote).await?;
        let mut album_of = HashMap::new();
        for crate::sync::albums::Photoset {
            id: set_id, title, ..
        } in sets
        {
            let mut page = 1;
            loop {
                let p = page.to_string();
                let params = [
                    ("photoset_id", set_id.as_str()),
                    ("per_page", "500"),
                    ("page", &p),
                ];
                let answer = self
                    .rest("flickr.photosets.getPhotos", &params, quiet)
                    .await?;
                for photo in answer["photoset"]["photo"].as_array().into_iter().flatten() {
                    let id = match &photo["id"] {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    album_of.entry(id).or_insert_with(|| title.clone());
                }
                let pages = listing::number(&answer["photoset"]["pages"]).unwrap_or(1);
                if page >= pages {
                    break;
                }
                page += 1;
            }
        }
        Ok(album_of)
    }

    async fn rest(
        &self,
        method: &'static str,
        params: &[(&str, &str)],
        quiet: &(dyn Fn(u32, &FlickrError) + Send + Sync),
    ) -> Result<serde_json::Value, RestoreError> {
        match self.remote.rest(method, params, quiet).await {
            Ok(v) => Ok(v),
            Err(Stop::Cancelled) => Err(RestoreError::Cancelled(Box::default())),
            Err(Stop::Flickr(e)) => Err(SyncError::flickr("reading the albums", e).into()),
        }
    }
}

/// `YYYY/MM/DD` from Flickr's `datetaken` (`2019-07-14 10:00:00`), or `undated`.
fn date_folder(taken: &str) -> PathBuf {
    let date = taken.get(..10).unwrap_or("");
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && date.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            PathBuf::from(y).join(m).join(d)
        }
        _ => PathBuf::from("undated"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_folders_come_from_the_taken_date_or_say_undated() {
        assert_eq!(
            date_folder("2019-07-14 10:00:00"),
            PathBuf::from("2019/07/14")
        );
        assert_eq!(
            date_folder("0000-00-00 00:00:00"),
            PathBuf::from("0000/00/00")
        );
        assert_eq!(date_folder("../../etc"), PathBuf::from("undated"));
        assert_eq!(date_folder(""), PathBuf::from("undated"));
    }
}
