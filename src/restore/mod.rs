//! Restore: the library back from Flickr, byte for byte. Every photo of the account is
//! listed in bulk (500 a call, with its original's URL, title, date and checksum tag);
//! the ones whose MD5 the destination already holds are skipped; the others are
//! downloaded concurrently, each checked against its tag before it gets a real name
//! ([`fetch`]), into a date layout or one folder per album, under names made safe
//! ([`names`]). Nothing in the destination is ever overwritten; an interrupted restore
//! goes on where it stopped, since what it wrote is found by MD5 on the next run.
//! An archive folder ([`archive`]) and a bucket ([`s3`]) are restored the same way: the
//! same decisions
//! ([`Target::decide`]), the same checked placement ([`fetch::settle`]), the same
//! records ([`record`]).

mod archive;
mod fetch;
mod gphotos;
pub mod names;
mod places;
mod pool;
mod s3;
mod target;

pub use archive::restore_archive;
pub use fetch::PART_SUFFIX;
pub use gphotos::restore_gphotos;
pub use s3::restore_s3;

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError};
use crate::destinations::flickr::api::{Client, FlickrError};
use crate::destinations::flickr::sync::listing::{self, Listed, Query};
use crate::destinations::flickr::sync::remote::Remote;
use crate::destinations::flickr::sync::{Pacing, SyncError};
use crate::library::scan::ScanError;
use fetch::Fetch;
use places::Places;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use target::{prepare, record, Decision, Target};

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
    /// From a bucket: ask for the thaw of objects in a class that needs one (Glacier).
    pub thaw: bool,
}

impl Default for RestoreOptions {
    fn default() -> Self {
        RestoreOptions {
            concurrency: 4,
            albums: false,
            only_missing: None,
            pacing: Pacing::default(),
            thaw: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RestoreEvent {
    Planned {
        to_download: u64,
        already_there: u64,
    },
    Downloaded {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        photo_id: String,
        bytes: u64,
        verified: bool,
    },
    /// The bytes Flickr gave differ from the photo's checksum tag.
    Mismatch {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        photo_id: String,
        expected: String,
        actual: String,
    },
    /// From a bucket, before any download: objects that need a thaw, how many of them
    /// are thawing, and how many thaws this run asked for.
    Frozen {
        frozen: u64,
        thawing: u64,
        thaw_requested: u64,
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    pub downloaded: u64,
    /// Already in the destination (by MD5), or not asked for (`only_missing`).
    pub skipped: u64,
    pub failed: u64,
    pub mismatched: u64,
    /// Restored photos without a checksum tag: nothing to check them against.
    pub unverified: u64,
    /// Google Photos' copies restored (not originals; named `*.lossy.*`).
    pub lossy: u64,
    pub bytes: u64,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    pub api_calls: u64,
    /// From a bucket: objects that need a thaw before they can be read (GLACIER,
    /// DEEP_ARCHIVE), not fetched; `thawing`: of those, the ones with a thaw under way
    /// (asked for by this run: `thaw_requested`).
    pub frozen: u64,
    pub thawing: u64,
    pub thaw_requested: u64,
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
    #[error(transparent)]
    Archive(#[from] crate::destinations::archive::ArchiveError),
    #[error(transparent)]
    S3(#[from] crate::destinations::s3::S3Error),
    #[error("not supported: {0}")]
    Unsupported(String),
    #[error("Google Photos gives back recompressed copies without GPS data, not the originals; restore from flickr or archive:PATH, or pass --accept-lossy (accept_lossy: true) to take those copies, named *{lossy}.*", lossy = gphotos::LOSSY_INFIX)]
    Lossy,
    #[error("Google Photos: {0}")]
    Gphotos(String),
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
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let places = Places::read(catalog, dest)?;
    let target = prepare(dest, catalog, opts, cancel)?;
    let (runtime, remote) =
        crate::destinations::flickr::sync::remote::connect(client, &opts.pacing, cancel)?;
    let remote = Arc::new(remote);
    let mut report = RestoreReport::default();
    let mut run = Run {
        remote: remote.clone(),
        catalog,
        dest,
        opts,
        events,
        target,
        places,
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

struct Run<'a> {
    remote: Arc<Remote>,
    catalog: &'a mut Catalog,
    dest: &'a Path,
    opts: &'a RestoreOptions,
    events: &'a (dyn Fn(RestoreEvent) + Send + Sync),
    target: Target,
    places: Places,
}

impl Run<'_> {
    async fn run(&mut self, report: &mut RestoreReport) -> Result<(), RestoreError> {
        let quiet = |_: u32, _: &FlickrError| {};
        let backend = crate::destinations::flickr::sync::backend_name(&self.remote, &quiet).await?;
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
            self.album_of_each().await?
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
            let decision =
                self.target
                    .decide(&photo.id, md5.as_ref(), true, restored, &mut planned);
            match decision {
                Decision::KeptMismatch(message) => {
                    report.mismatched += 1;
                    report.errors.push((photo.id.clone(), message));
                }
                Decision::Skip => report.skipped += 1,
                Decision::Fetch => jobs.push(self.job(photo, md5, albums)),
            }
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
            Some(album) => self.dest.join(names::album_folder(album)),
            None if self.opts.albums => self.dest.join("Not in an album"),
            None => self
                .dest
                .join(date_folder(raw["datetaken"].as_str().unwrap_or(""))),
        };
        let title = raw["title"].as_str().unwrap_or("");
        let mut job = Fetch {
            name: names::component(title, &photo.id),
            ext: names::extension(raw["originalformat"].as_str().unwrap_or("jpg")),
            url: raw["url_o"]
                .as_str()
                .filter(|u| !u.is_empty())
                .map(String::from),
            folder,
            md5,
            key: photo.id.clone(),
            photo_id: photo.id,
            also: Vec::new(),
        };
        if !self.opts.albums {
            let md5 = job.md5.clone();
            self.places.place(&mut job, md5.as_ref(), self.dest);
        }
        job
    }

    async fn download(
        &mut self,
        jobs: Vec<Fetch>,
        backend: &str,
        report: &mut RestoreReport,
    ) -> Result<(), RestoreError> {
        let remote = self.remote.clone();
        let cancel = remote.cancel.clone();
        let fetch = |job: Fetch, tx: tokio::sync::mpsc::UnboundedSender<RestoreEvent>| {
            let remote = remote.clone();
            async move {
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
            }
        };
        let (catalog, events) = (&mut *self.catalog, self.events);
        pool::fetch_all(
            jobs,
            self.opts.concurrency,
            &cancel,
            fetch,
            events,
            &mut |job, fetched| record(catalog, backend, "Flickr", job, fetched, report, events),
        )
        .await
    }

    /// Photo id -> the title of the first album (photoset) that holds it.
    async fn album_of_each(&self) -> Result<HashMap<String, String>, RestoreError> {
        let mut album_of = HashMap::new();
        for set in crate::destinations::flickr::sync::photosets::photosets(&self.remote).await? {
            for id in crate::destinations::flickr::sync::photosets::photoset_members(
                &self.remote,
                &set.id,
            )
            .await?
            {
                album_of.entry(id).or_insert_with(|| set.title.clone());
            }
        }
        Ok(album_of)
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
