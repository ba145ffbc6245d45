//! One run to several destinations: the library is scanned once, the date rules correct
//! the taken-dates once, then each destination (archive folders, Flickr, Google Photos) gets
//! the same photos in turn, sharing the catalog. A destination that cannot go on (a full disk, a revoked login, Flickr down)
//! ends with its error in its own outcome; the others still run and keep what they
//! recorded. Ctrl-C stops after the destination in progress has recorded its work.

use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::dates::{review, rules::Rules};
use crate::destinations::archive::{
    self, ArchiveError, ArchiveEvent, ArchiveOptions, ArchiveReport,
};
use crate::destinations::flickr::api as flickr;
use crate::destinations::flickr::sync::{self, SyncError, SyncEvent, SyncOptions, SyncReport};
use crate::destinations::gphotos::api as gphotos;
use crate::destinations::gphotos::sync::{
    self as gphotos_sync, GphotosReport, GphotosSyncError, GphotosSyncOptions,
};
use crate::library::scan::{self, ScanError, ScanOptions, ScanStats};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a run copies the library to.
pub enum Destination {
    Archive {
        root: PathBuf,
        opts: ArchiveOptions,
    },
    Flickr {
        client: flickr::Client,
        opts: SyncOptions,
    },
    Gphotos {
        client: Arc<gphotos::Client>,
        opts: GphotosSyncOptions,
    },
}

impl Destination {
    /// The name its report goes under: `archive:<path>`, `flickr`, `gphotos`.
    pub fn name(&self) -> String {
        match self {
            Destination::Archive { root, .. } => archive::open_root(root)
                .map(|r| archive::backend_name(&r))
                .unwrap_or_else(|_| archive::backend_name(root)),
            Destination::Flickr { .. } => "flickr".to_string(),
            Destination::Gphotos { .. } => "gphotos".to_string(),
        }
    }

    /// Local copies first (cheap, and they land before any network trouble), then the clouds.
    fn rank(&self) -> u8 {
        match self {
            Destination::Archive { .. } => 0,
            Destination::Flickr { .. } => 1,
            Destination::Gphotos { .. } => 2,
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
}

/// One destination's report, or why it could not go on.
#[derive(Debug)]
pub enum Outcome {
    Archive(Result<ArchiveReport, ArchiveError>),
    Flickr(Result<SyncReport, SyncError>),
    Gphotos(Result<GphotosReport, GphotosSyncError>),
}

impl Outcome {
    fn cancelled(&self) -> bool {
        matches!(
            self,
            Outcome::Archive(Err(ArchiveError::Cancelled(_)))
                | Outcome::Flickr(Err(SyncError::Cancelled(_)))
                | Outcome::Gphotos(Err(GphotosSyncError::Cancelled(_)))
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
    mut destinations: Vec<Destination>,
    rules: &Rules,
    cancel: &Cancel,
    events: &(dyn Fn(Event) + Send + Sync),
) -> Result<MultiReport, ScanError> {
    catalog.hold_run_lock(cancel)?;
    let mut scanned = scan::scan(dir, catalog, &ScanOptions::default(), cancel, &mut |_| {})?;
    let library = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    review::correct(&mut scanned.photos, &library, rules);
    events(Event::Scanned(scanned.stats.clone()));
    destinations.sort_by_key(Destination::rank);
    let mut outcomes = Vec::with_capacity(destinations.len());
    for dest in destinations {
        if cancel.is_cancelled() {
            break;
        }
        let name = dest.name();
        let photos = &scanned.photos;
        let outcome =
            match dest {
                Destination::Archive { root, opts } => {
                    let tag = name.clone();
                    let emit = move |e| events(Event::Archive(tag.clone(), e));
                    Outcome::Archive(archive::archive_photos(
                        photos, &root, catalog, &opts, cancel, &emit,
                    ))
                }
                Destination::Flickr { client, opts } => Outcome::Flickr(sync::sync_flickr(
                    photos,
                    catalog,
                    &client,
                    &opts,
                    cancel,
                    &|e| events(Event::Flickr(e)),
                )),
                Destination::Gphotos { client, opts } => Outcome::Gphotos(
                    gphotos_sync::sync_gphotos(photos, catalog, &client, &opts, cancel, &|e| {
                        events(Event::Gphotos(e))
                    }),
                ),
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
