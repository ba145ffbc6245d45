//! The one report type of every destination's run: the engine's common part (the counts
//! under the outcome words, the files not taken, refused and failed with why, bytes, time,
//! copies healed) and the destination's own figures beside it (`X`: Flickr's API calls and
//! albums, Google's quota, the archive's adopted files). Both serialize as one flat record,
//! so a caller reads `report.uploaded` and `report.api_calls` alike; in Rust the extras are
//! reached through `Deref` the same way.

use super::outcome::{Counts, Tally};
use serde::Serialize;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::time::Duration;

/// A destination's own figures in its report.
pub trait Extra: Default + Serialize {
    /// Fills its fields made from the counts when the run ends (the done field under the
    /// destination's own word: `uploaded`, `copied`).
    fn settle(&mut self, counts: &Counts);
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunReport<X> {
    /// Every local file under one word of [`super::outcome`]; `skipped` and `failed` (and
    /// the extras' done field) are made from it when the run ends.
    pub counts: Counts,
    /// Files this destination never takes, and files it refused (in this run or before),
    /// with why.
    #[serde(serialize_with = "crate::serial::paths")]
    pub not_taken: Vec<(PathBuf, String)>,
    #[serde(serialize_with = "crate::serial::paths")]
    pub refused: Vec<(PathBuf, String)>,
    /// Files not sent on purpose: already there, local duplicates, not taken, refused
    /// before, unreadable.
    pub skipped: u64,
    /// Failed or refused in this run.
    pub failed: u64,
    /// Bytes of the photos sent.
    pub bytes: u64,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    /// Per-file problems; a problem of the run itself (an index that may be incomplete, a
    /// full drive) has the destination's path or an empty one.
    #[serde(serialize_with = "crate::serial::paths")]
    pub errors: Vec<(PathBuf, String)>,
    /// Photos whose copy was found lost (by verify or a full index read) and was made
    /// again by this run.
    pub healed: u64,
    #[serde(flatten)]
    pub extra: X,
}

impl<X: Extra> RunReport<X> {
    /// Where a per-file outcome goes in this report.
    pub fn tally(&mut self) -> Tally<'_> {
        Tally {
            counts: &mut self.counts,
            not_taken: &mut self.not_taken,
            refused: &mut self.refused,
            errors: &mut self.errors,
        }
    }

    /// Makes `skipped`, `failed` and the extras' figures from the counts.
    pub fn settle(&mut self) {
        self.skipped = self.counts.skipped();
        self.failed = self.counts.failed_in_run();
        self.extra.settle(&self.counts);
    }
}

impl<X> Deref for RunReport<X> {
    type Target = X;
    fn deref(&self) -> &X {
        &self.extra
    }
}

impl<X> DerefMut for RunReport<X> {
    fn deref_mut(&mut self) -> &mut X {
        &mut self.extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::outcome::Word;
    use std::path::Path;

    #[derive(Debug, Default, Serialize)]
    struct Mine {
        sent: u64,
    }

    impl Extra for Mine {
        fn settle(&mut self, counts: &Counts) {
            self.sent = counts.done;
        }
    }

    #[test]
    fn settles_and_serializes_flat() {
        let mut r = RunReport::<Mine>::default();
        r.tally().note(Path::new("/a.cr2"), Word::NotTaken, "RAW");
        r.tally().note(Path::new("/b.jpg"), Word::Done, "");
        r.tally().note(Path::new("/c.jpg"), Word::Failed, "timeout");
        r.settle();
        assert_eq!((r.sent, r.skipped, r.failed), (1, 1, 1));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["sent"], 1);
        assert_eq!(json["counts"]["not_taken"], 1);
        assert_eq!(json["errors"][0][1], "timeout");
    }
}
