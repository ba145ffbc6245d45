//! The words every destination's outcome is told in, and the counts behind them.
//!
//! - **done**: uploaded or copied in this run;
//! - **already there**: the destination holds these bytes;
//! - **duplicate**: another local path holds the same bytes and is backed up instead;
//! - **not taken**: a kind or size this destination never accepts (RAW on Flickr), listed
//!   with the reason; not an error, never sent;
//! - **refused**: the destination rejected these bytes in this run; recorded in the
//!   catalog with its reason and not sent again until the file changes;
//! - **refused before**: refused on an earlier run; shown with the reason, not sent;
//! - **failed**: transient or unknown; tried again on the next run;
//! - **unreadable**: the local file could not be read (the scan's error, the same for every
//!   destination).
//!
//! A run "failed" (exit 2) when something failed or was refused in this run: a refusal
//! is news once, in the run that met it; later runs show it and stay green.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// One word of the vocabulary, for a file the plan or the run decided about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Word {
    Done,
    AlreadyThere,
    Duplicate,
    NotTaken,
    Refused,
    RefusedBefore,
    Failed,
    Unreadable,
}

/// The counts every destination's report holds (each adds its own extras beside them).
/// Every local file is counted once under one word (Flickr's edited photos and the files
/// Google's daily quota left are their reports' extras).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub done: u64,
    pub already_there: u64,
    pub duplicates: u64,
    pub not_taken: u64,
    pub refused: u64,
    pub refused_before: u64,
    pub failed: u64,
    pub unreadable: u64,
}

impl Counts {
    /// Files not sent on purpose (the reports' `skipped`).
    pub fn skipped(&self) -> u64 {
        self.already_there
            + self.duplicates
            + self.not_taken
            + self.refused_before
            + self.unreadable
    }

    /// Files that failed in this run (the reports' `failed`; exit 2 when not zero).
    pub fn failed_in_run(&self) -> u64 {
        self.failed + self.refused
    }

    pub(crate) fn add(&mut self, word: Word) {
        let n = match word {
            Word::Done => &mut self.done,
            Word::AlreadyThere => &mut self.already_there,
            Word::Duplicate => &mut self.duplicates,
            Word::NotTaken => &mut self.not_taken,
            Word::Refused => &mut self.refused,
            Word::RefusedBefore => &mut self.refused_before,
            Word::Failed => &mut self.failed,
            Word::Unreadable => &mut self.unreadable,
        };
        *n += 1;
    }
}

/// A file and what became of it, with the reason when there is one to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub path: PathBuf,
    pub word: Word,
    pub reason: String,
}

/// The parts of a report a per-file outcome goes to: its counts, the lists of files not
/// taken and refused (earlier refusals too, their reason says so) and its errors.
pub struct Tally<'r> {
    pub counts: &'r mut Counts,
    pub not_taken: &'r mut Vec<(PathBuf, String)>,
    pub refused: &'r mut Vec<(PathBuf, String)>,
    pub errors: &'r mut Vec<(PathBuf, String)>,
}

impl Tally<'_> {
    /// Counts `word` for `path`, and lists it where the summary shows its reason.
    pub fn note(&mut self, path: &Path, word: Word, reason: &str) {
        self.counts.add(word);
        let list = match word {
            Word::NotTaken => &mut *self.not_taken,
            Word::Refused | Word::RefusedBefore => &mut *self.refused,
            Word::Failed | Word::Unreadable => &mut *self.errors,
            Word::Done | Word::AlreadyThere | Word::Duplicate => return,
        };
        list.push((path.to_path_buf(), reason.to_string()));
    }
}

/// Says a size the way limits are written: "200 MB", or bytes under a megabyte.
pub fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_lands_in_its_count_and_list() {
        let (mut counts, mut not_taken, mut refused, mut errors) =
            (Counts::default(), vec![], vec![], vec![]);
        let mut tally = Tally {
            counts: &mut counts,
            not_taken: &mut not_taken,
            refused: &mut refused,
            errors: &mut errors,
        };
        let p = Path::new("/a.cr2");
        for word in [
            Word::Done,
            Word::Duplicate,
            Word::NotTaken,
            Word::Refused,
            Word::RefusedBefore,
            Word::Failed,
        ] {
            tally.note(p, word, "why");
        }
        assert_eq!((not_taken.len(), refused.len(), errors.len()), (1, 2, 1));
        assert_eq!(counts.skipped(), 3);
        assert_eq!(counts.failed_in_run(), 2);
        assert_eq!(counts.done, 1);
        assert_eq!(size_text(200 * 1024 * 1024), "200 MB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
