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

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use serde_yaml::Value;

use super::offset::Offset;
use super::{filename, xmp, DatesError};
use crate::photo::Photo;

/// Flickr's `date_taken_granularity`: how exact a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Granularity {
    Exact,
    Month,
    Year,
    Circa,
}

impl Granularity {
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
    #[serde(serialize_with = "super::serialize_naive")]
    pub date: NaiveDateTime,
    pub granularity: Granularity,
    /// Which rule, for the user: "rule 2 (camera SR6: shift +2y0m0d 0:00:00)".
    pub by: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    #[serde(default)]
    checks: ChecksForm,
    #[serde(default)]
    rules: Vec<RuleForm>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ChecksForm {
    floor: Option<Value>,
    #[serde(default)]
    cameras: BTreeMap<String, Value>,
    #[serde(default)]
    reset_dates: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleForm {
    camera: Option<String>,
    make: Option<String>,
    serial: Option<Value>,
    folder: Option<PathBuf>,
    between: Option<Vec<Value>>,
    shift: Option<String>,
    date: Option<Value>,
}

impl Rules {
    /// `$XDG_CONFIG_HOME/photosync/dates.yml`, else `~/.config/photosync/dates.yml`.
    pub fn default_path() -> PathBuf {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .unwrap_or_else(|| PathBuf::from("."))
            .join("photosync")
            .join("dates.yml")
    }

    /// Reads a rules file. With `required` false a missing file is no rules at all (the
    /// default file need not exist); a file that is there but wrong is always an error.
    pub fn load(path: &Path, required: bool) -> Result<Rules, DatesError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Rules::parse(&text, &path.display().to_string()),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(Rules::default()),
            Err(source) => Err(DatesError::RulesIo {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses rules from YAML text; `name` names it in errors.
    pub fn parse(text: &str, name: &str) -> Result<Rules, DatesError> {
        let bad = |message: String| DatesError::Rules {
            path: name.to_owned(),
            message,
        };
        if text.trim().is_empty() {
            return Ok(Rules::default());
        }
        let form: FileForm = serde_yaml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut checks = Checks::default();
        if let Some(floor) = &form.checks.floor {
            checks.floor = span(floor).map_err(&bad)?.start.date();
        }
        for (model, day) in &form.checks.cameras {
            let day = span(day).map_err(|m| bad(format!("cameras: {model}: {m}")))?;
            checks
                .camera_floors
                .insert(model.trim().to_lowercase(), day.start.date());
        }
        for reset in &form.checks.reset_dates {
            checks.reset_dates.push(
                span(reset)
                    .map_err(|m| bad(format!("reset_dates: {m}")))?
                    .start,
            );
        }
        let rules = form
            .rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| rule(i + 1, r).map_err(|m| bad(format!("rule {}: {m}", i + 1))))
            .collect::<Result<_, _>>()?;
        Ok(Rules { checks, rules })
    }

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

fn rule(number: usize, r: RuleForm) -> Result<Rule, String> {
    let between = match &r.between {
        None => None,
        Some(pair) => match &pair[..] {
            [from, to] => Some((span(from)?.start, span(to)?.end)),
            _ => return Err("between takes two dates: [from, to]".into()),
        },
    };
    let matcher = Matcher {
        camera: r.camera,
        make: r.make,
        serial: r.serial.as_ref().map(scalar).transpose()?,
        folder: r.folder,
        between,
    };
    if matcher == Matcher::default() {
        return Err("say which photos: camera, make, serial, folder or between".into());
    }
    let action = match (&r.shift, &r.date) {
        (Some(shift), None) => Action::Shift(Offset::parse(shift).map_err(|e| e.to_string())?),
        (None, Some(Value::String(s))) if s == "from_file_name" => Action::FromFileName,
        (None, Some(Value::Sequence(pair))) => match &pair[..] {
            [from, to] => {
                let (from, to) = (span(from)?, span(to)?);
                if from.start > to.end {
                    return Err("date range ends before it starts".into());
                }
                Action::Date(Span {
                    start: from.start,
                    end: to.end,
                    granularity: range_granularity(from.start, to.end),
                })
            }
            _ => return Err("a date range is [from, to]".into()),
        },
        (None, Some(date)) => Action::Date(span(date)?),
        _ => return Err("give exactly one of shift or date".into()),
    };
    Ok(Rule {
        number,
        matcher,
        action,
    })
}

/// A range within one month is that month; within one year, that year; longer, circa.
fn range_granularity(start: NaiveDateTime, end: NaiveDateTime) -> Granularity {
    match (start.year() == end.year(), start.month() == end.month()) {
        (true, true) => Granularity::Month,
        (true, false) => Granularity::Year,
        _ => Granularity::Circa,
    }
}

fn scalar(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("expected text, found {other:?}")),
    }
}

/// A date as the user writes it: `2003`, `2003-07`, `2003-07-14`, `2003-07-14 12:30[:00]`
/// (also with `T`, or EXIF's `2003:07:14`): the span it covers and how exact it is.
pub fn span(v: &Value) -> Result<Span, String> {
    let text = scalar(v)?;
    let mut s = text.trim().to_owned();
    if s.len() >= 10 && s.as_bytes()[4] == b':' && s.as_bytes()[7] == b':' {
        s.replace_range(4..5, "-");
        s.replace_range(7..8, "-");
    }
    if s.len() > 10 && s.as_bytes()[10] == b' ' {
        s.replace_range(10..11, "T");
    }
    let bad =
        || format!("{text:?} is not a date (use 2003, 2003-07, 2003-07-14 or 2003-07-14 12:30:00)");
    let parsed = xmp::parse_date(&s).ok_or_else(bad)?;
    let start = parsed.local;
    let day_end =
        |d: NaiveDate| d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    let date_len = s.split('T').next().map_or(0, str::len);
    let (end, granularity) = match (s.contains('T'), date_len) {
        (true, _) => (start, Granularity::Exact),
        (false, 10) => (day_end(start.date()), Granularity::Exact),
        (false, 7) => {
            let next = start
                .date()
                .checked_add_months(chrono::Months::new(1))
                .ok_or_else(bad)?;
            (
                day_end(next.pred_opt().ok_or_else(bad)?),
                Granularity::Month,
            )
        }
        _ => {
            let last = NaiveDate::from_ymd_opt(start.year(), 12, 31).ok_or_else(bad)?;
            (day_end(last), Granularity::Year)
        }
    };
    Ok(Span {
        start,
        end,
        granularity,
    })
}

#[cfg(test)]
mod tests;
