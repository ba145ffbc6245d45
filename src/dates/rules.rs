//! The user's date corrections, as rules in a YAML file they can read and version
//! (`~/.config/photosync/dates.yml` by default). Rules never touch a file: they decide the
//! date photosync gives Flickr. The first rule that matches a photo and yields a date wins.
//!
//! ```yaml
//! checks:                      # optional: tune the bogus-date checks
//!   floor: 1995-01-01          # nothing earlier (default 1990-01-01)
//!   cameras: { ION230: 2008-01-01 }   # first day a model could take a photo
//!   reset_dates: ["2000-01-01 00:00:00"]
//! rules:
//!   - camera: SR6              # model, or "make model"; optional make, serial, between
//!     between: [1998-01-01, 1998-12-31]
//!     shift: "+2y10m3d 4:05:06"
//!   - folder: Scans/1987       # relative to the library, or absolute
//!     date: 1987-07            # a moment, a day, a month, a year, or [from, to]
//!   - folder: WhatsApp
//!     date: from_file_name
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};

mod file;
pub use file::span;

use super::filename;
use super::offset::Offset;
use crate::library::photo::Photo;

/// Flickr's `date_taken_granularity`: how exact a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Granularity {
    Exact,
    Month,
    Year,
    Circa,
}

impl Granularity {
    /// For `serialize_with`: Flickr's number for it.
    fn serialize_flickr<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.flickr_value())
    }

    pub fn flickr_value(self) -> u8 {
        match self {
            Granularity::Exact => 0,
            Granularity::Month => 4,
            Granularity::Year => 6,
            Granularity::Circa => 8,
        }
    }
}

/// A span of time a folder's photos were taken in, as the user wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub granularity: Granularity,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Shift(Offset),
    Date(Span),
    FromFileName,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matcher {
    pub camera: Option<String>,
    pub make: Option<String>,
    pub serial: Option<String>,
    /// Relative to the library root, or absolute.
    pub folder: Option<PathBuf>,
    /// Only photos whose current date lies within.
    pub between: Option<(NaiveDateTime, NaiveDateTime)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// 1-based, as the user counts them in the file.
    pub number: usize,
    pub matcher: Matcher,
    pub action: Action,
}

/// What the bogus-date checks take as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Checks {
    /// Before this, no digital photo (default 1990-01-01: the first consumer cameras).
    pub floor: NaiveDate,
    /// Model (lowercase) -> the first day it could have taken a photo.
    pub camera_floors: BTreeMap<String, NaiveDate>,
    /// Dates cameras fall back to after losing power, besides any 1 January 00:00:00.
    pub reset_dates: Vec<NaiveDateTime>,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            floor: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default(),
            camera_floors: BTreeMap::new(),
            reset_dates: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rules {
    pub checks: Checks,
    pub rules: Vec<Rule>,
}

/// A correction a rule makes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    #[serde(serialize_with = "super::serialize_flickr")]
    pub date: NaiveDateTime,
    #[serde(serialize_with = "Granularity::serialize_flickr")]
    pub granularity: Granularity,
    /// Which rule, for the user: "rule 2 (camera SR6: shift +2y0m0d 0:00:00)".
    pub by: String,
}

impl Rules {
    /// The correction for `photo` (in the library at `root`), from the first rule that
    /// matches it and yields a date.
    pub fn fix(&self, photo: &Photo, root: &Path) -> Option<Fix> {
        self.rules.iter().find_map(|rule| {
            if !rule.matcher.matches(photo, root) {
                return None;
            }
            let (date, granularity) = rule.action.date_for(photo)?;
            Some(Fix {
                date,
                granularity,
                by: rule.describe(),
            })
        })
    }
}

impl Matcher {
    pub fn matches(&self, photo: &Photo, root: &Path) -> bool {
        let same = |want: &str, have: Option<&str>| {
            have.is_some_and(|h| h.trim().eq_ignore_ascii_case(want.trim()))
        };
        let wanted = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| same(w, have))
        };
        let camera_ok = self.camera.as_deref().is_none_or(|want| {
            let full = photo
                .make
                .as_deref()
                .zip(photo.model.as_deref())
                .map(|(make, model)| format!("{} {}", make.trim(), model.trim()));
            same(want, photo.model.as_deref()) || same(want, full.as_deref())
        });
        let folder_ok = self
            .folder
            .as_ref()
            .is_none_or(|f| photo.path.starts_with(root.join(f)));
        let between_ok = self
            .between
            .is_none_or(|(from, to)| (from..=to).contains(&photo.taken.local));
        camera_ok
            && wanted(&self.make, photo.make.as_deref())
            && wanted(&self.serial, photo.date_facts.serial.as_deref())
            && folder_ok
            && between_ok
    }
}

impl Action {
    /// The corrected date; None when the action has nothing to say for this photo (no date
    /// in its name, or its date already lies in the folder's span).
    fn date_for(&self, photo: &Photo) -> Option<(NaiveDateTime, Granularity)> {
        match self {
            Action::Shift(offset) => Some((offset.apply(photo.taken.local)?, Granularity::Exact)),
            Action::FromFileName => {
                let name = photo.path.file_name()?.to_string_lossy();
                Some((filename::from_file_name(&name)?, Granularity::Exact))
            }
            Action::Date(span) => {
                let inside = (span.start..=span.end).contains(&photo.taken.local);
                (!inside || photo.taken.source == super::DateSource::Mtime)
                    .then_some((span.start, span.granularity))
            }
        }
    }
}

impl Rule {
    fn describe(&self) -> String {
        let m = &self.matcher;
        let mut what = Vec::new();
        if let Some(c) = &m.camera {
            what.push(format!("camera {c}"));
        }
        if let Some(s) = &m.serial {
            what.push(format!("serial {s}"));
        }
        if let Some(f) = &m.folder {
            what.push(format!("folder {}", f.display()));
        }
        let action = match &self.action {
            Action::Shift(o) => format!("shift {o}"),
            Action::FromFileName => "date from file name".to_string(),
            Action::Date(s) => format!("date {}", super::flickr_format(&s.start)),
        };
        format!("rule {} ({}: {action})", self.number, what.join(", "))
    }
}

#[cfg(test)]
mod tests;
