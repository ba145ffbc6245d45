//! Reading the rules file: YAML a person writes, into [`Rules`]. Every mistake is an
//! error naming the file and the rule, never a rule silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use serde_yaml::Value;

use super::{Action, Checks, Granularity, Matcher, Rule, Rules, Span};
use crate::dates::offset::Offset;
use crate::dates::{xmp, DatesError};

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
pub(super) fn range_granularity(start: NaiveDateTime, end: NaiveDateTime) -> Granularity {
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
