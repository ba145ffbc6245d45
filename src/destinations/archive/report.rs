//! What an archive run and a verify tell their caller: live events and the reports.

use crate::engine::outcome::{Counts, Note, Word};
use crate::engine::report::{Extra, RunReport};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArchiveEvent {
    /// What will be copied, once the archive's index is known.
    Planned {
        to_copy: u64,
        already_there: u64,
        duplicates: u64,
        bytes: u64,
    },
    Started {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
    },
    /// Bytes copied so far in this run, about ten times a second.
    Progress {
        bytes_done: u64,
        bytes_total: u64,
    },
    /// `path` is now in the archive at `dest`, checked.
    Copied {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        #[serde(serialize_with = "crate::serial::paths")]
        dest: PathBuf,
        bytes: u64,
    },
    /// Not copied, on purpose: unreadable, or found in place (a killed run's copy).
    Skipped {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        reason: String,
    },
    Failed {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        error: String,
    },
    Finished,
}

impl ArchiveEvent {
    /// The event of a plan's note: a file not copied, and why.
    pub fn of_note(note: &Note) -> ArchiveEvent {
        let (path, reason) = (note.path.clone(), note.reason.clone());
        match note.word {
            Word::Failed => ArchiveEvent::Failed {
                path,
                error: reason,
            },
            _ => ArchiveEvent::Skipped { path, reason },
        }
    }
}

/// The report of an archive run: the engine's common part (an archive takes every kind
/// and size, and refuses nothing) and these figures.
pub type ArchiveReport = RunReport<ArchiveFigures>;

/// The archive's own figures in its report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArchiveFigures {
    /// Photos copied in this run (the counts' done).
    pub copied: u64,
    /// Photos whose MD5 the archive already held.
    pub already_there: u64,
    /// Files in an archive new to this catalog, read and recorded before planning.
    pub adopted: u64,
    /// Temporaries of an earlier, interrupted run that were removed.
    pub cleaned: u64,
    /// Copies that got a rule-corrected date written into them (`write_dates`).
    pub redated: u64,
    /// Copies whose bytes changed, moved under the archive's `.photosync/changed/`
    /// (relative paths): kept, never deleted, no longer counted as copies.
    #[serde(serialize_with = "crate::serial::paths")]
    pub moved_aside: Vec<PathBuf>,
    /// Copies the listing check of `sync --verify` found gone or of the wrong size.
    pub forgotten: u64,
    /// The catalog's copy was written into the archive (`.photosync/catalog.sqlite3`).
    pub catalog_copied: bool,
}

impl Extra for ArchiveFigures {
    fn settle(&mut self, counts: &Counts) {
        self.copied = counts.done;
        self.already_there = counts.already_there;
    }
}

/// A file whose bytes differ from what the catalog recorded when it was copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupted {
    pub path: PathBuf,
    pub expected: String,
    pub found: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Files read and hashed.
    pub checked: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Recorded in the catalog, gone from the archive.
    pub missing: Vec<PathBuf>,
    pub corrupted: Vec<Corrupted>,
    /// In the archive, unknown to the catalog.
    pub unknown: Vec<PathBuf>,
    pub unreadable: Vec<(PathBuf, String)>,
    /// Temporaries left by an interrupted run (harmless; the next run removes them).
    pub temporaries: Vec<PathBuf>,
    /// Copies this verify found gone or changed that the catalog forgot: the next sync
    /// makes them again.
    pub forgotten: u64,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty()
            && self.corrupted.is_empty()
            && self.unknown.is_empty()
            && self.unreadable.is_empty()
    }
}
