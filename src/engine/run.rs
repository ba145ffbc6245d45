//! One run to several destinations: the library is scanned once, the date rules correct
//! the taken-dates once, then each destination (archive folders, buckets, Flickr, Google
//! Photos) gets the same photos in turn through the engine ([`super::one`]), on one
//! runtime, sharing the catalog. A destination that cannot go on (a full disk, a revoked login,
//! Flickr down) ends with its error in its own outcome; the others still run and keep
//! what they recorded. Ctrl-C stops after the destination in progress has recorded its
//! work.

use super::destination::Destination;
use super::one;
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::dates::{review, rules::Rules};
use crate::destinations::archive::{Archive, ArchiveError, ArchiveEvent, ArchiveReport};
use crate::destinations::flickr::sync::{Flickr, SyncError, SyncEvent, SyncReport};
use crate::destinations::gphotos::sync::{Gphotos, GphotosReport, GphotosSyncError};
use crate::destinations::s3::{S3Error, S3Report, S3};
use crate::library::photo::Photo;
use crate::library::scan::{self, ScanError, ScanOptions, ScanStats};
use std::path::Path;

/// Where a run copies the library to: each is a [`Destination`].
// A run holds a handful, once: their size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Target {
    Archive(Archive),
    Flickr(Flickr),
    Gphotos(Gphotos),
    S3(S3),
}

impl Target {
    /// The name its report goes under: `archive:<path>`, `flickr`, `gphotos`.
    pub fn name(&self) -> String {
        match self {
            Target::Archive(d) => d.name(),
            Target::Flickr(d) => d.name(),
            Target::Gphotos(d) => d.name(),
            Target::S3(d) => d.name(),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Target::Archive(d) => d.rank(),
            Target::Flickr(d) => d.rank(),
            Target::Gphotos(d) => d.rank(),
            Target::S3(d) => d.rank(),
        }
    }
}

/// What a run tells as it goes; each destination's events carry its name.
#[derive(Debug)]
pub enum Event {
    /// The one scan is done.
    Scanned(ScanStats),
    Archive(String, ArchiveEvent),
    Flickr(SyncEvent),
    Gphotos(SyncEvent),
    /// An S3 destination's, with its name (`s3://bucket/prefix`).
    S3(String, SyncEvent),
}

/// One destination's report, or why it could not go on.
#[derive(Debug)]
pub enum Outcome {
    Archive(Result<ArchiveReport, ArchiveError>),
    Flickr(Result<SyncReport, SyncError>),
    Gphotos(Result<GphotosReport, GphotosSyncError>),
    S3(Result<S3Report, S3Error>),
}

impl Outcome {
    fn cancelled(&self) -> bool {
        matches!(
            self,
            Outcome::Archive(Err(ArchiveError::Cancelled(_)))
                | Outcome::Flickr(Err(SyncError::Cancelled(_)))
                | Outcome::Gphotos(Err(GphotosSyncError::Cancelled(_)))
                | Outcome::S3(Err(S3Error::Cancelled(_)))
        )
    }
}

/// The scan and every destination's outcome, by name, in the order they ran.
#[derive(Debug)]
pub struct MultiReport {
    pub scan: ScanStats,
    pub outcomes: Vec<(String, Outcome)>,
}

/// Scans `dir` once and feeds the photos to every destination.
///
/// Only the scan failing fails the run; each destination's own failure is its outcome.
/// `rules` decide every destination's taken-dates (the archive's folders included).
pub fn sync_all(
    dir: &Path,
    catalog: &mut Catalog,
    mut targets: Vec<Target>,
    rules: &Rules,
    cancel: &Cancel,
    events: &(dyn Fn(Event) + Send + Sync),
) -> Result<MultiReport, ScanError> {
    catalog.hold_run_lock(cancel)?;
    let runtime = one::runtime().map_err(ScanError::Runtime)?;
    let mut scanned = scan::scan(dir, catalog, &ScanOptions::default(), cancel, &mut |_| {})?;
    let library = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    // A restore puts each photo back at its path under the folders that were synced.
    catalog.record_library(&library)?;
    review::correct(&mut scanned.photos, &library, rules);
    events(Event::Scanned(scanned.stats.clone()));
    targets.sort_by_key(Target::rank);
    let mut outcomes = Vec::with_capacity(targets.len());
    for target in targets {
        if cancel.is_cancelled() {
            break;
        }
        let name = target.name();
        let run = Run {
            runtime: &runtime,
            photos: &scanned.photos,
            catalog: &mut *catalog,
            cancel,
        };
        let outcome = match target {
            Target::Archive(mut d) => {
                let tag = name.clone();
                Outcome::Archive(run.go(&mut d, &move |e| events(Event::Archive(tag.clone(), e))))
            }
            Target::Flickr(mut d) => Outcome::Flickr(run.go(&mut d, &|e| events(Event::Flickr(e)))),
            Target::Gphotos(mut d) => {
                Outcome::Gphotos(run.go(&mut d, &|e| events(Event::Gphotos(e))))
            }
            Target::S3(mut d) => {
                let tag = name.clone();
                Outcome::S3(run.go(&mut d, &move |e| events(Event::S3(tag.clone(), e))))
            }
        };
        let stop = outcome.cancelled();
        outcomes.push((name, outcome));
        if stop {
            break;
        }
    }
    Ok(MultiReport {
        scan: scanned.stats,
        outcomes,
    })
}

/// What every destination of a run shares.
struct Run<'r> {
    runtime: &'r tokio::runtime::Runtime,
    photos: &'r [Photo],
    catalog: &'r mut Catalog,
    cancel: &'r Cancel,
}

impl Run<'_> {
    fn go<D: Destination>(
        self,
        dest: &mut D,
        events: &(dyn Fn(D::Event) + Send + Sync),
    ) -> Result<super::report::RunReport<D::Extra>, D::Error> {
        one::run_alone(
            self.runtime,
            dest,
            self.photos,
            self.catalog,
            self.cancel,
            events,
        )
    }
}
