//! Bogus taken-dates, each with the reason a person can check: unreadable date fields, no
//! date at all, a camera's factory-reset date, a date before the camera (or digital
//! photography) existed, a date in the future, a capture after the file's own ModifyDate,
//! and a date that disagrees with the file name or with the photos around it.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

use super::rules::Checks;
use super::{filename, flickr_format, DateSource};
use crate::library::photo::Photo;

/// Zones put up to 26 hours between two clocks that both tell the truth.
const CLOCK_SLACK_HOURS: i64 = 26;
/// Photos of one camera sharing a midnight date this often are a reset, not a party.
const SHARED_MIDNIGHT: usize = 3;
/// Neighbours closer together than this agree on when the photos around them were taken.
const NEIGHBOURS_AGREE_DAYS: i64 = 2;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suspicion {
    /// Stable name: unreadable, missing, factory_reset, before_camera, before_floor, future,
    /// after_modify_date, file_name, neighbours.
    pub code: &'static str,
    pub message: String,
    /// A likely right date, when the check saw one (a finding's `suggestion` carries
    /// the one that counts).
    #[serde(skip)]
    pub proposal: Option<Proposal>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Proposal {
    #[serde(serialize_with = "super::serialize_flickr")]
    pub date: NaiveDateTime,
    /// Where it comes from, e.g. "the file's ModifyDate".
    pub from: String,
}

fn suspicion(code: &'static str, message: String) -> Suspicion {
    Suspicion {
        code,
        message,
        proposal: None,
    }
}

/// The checks that need only the photo itself.
pub fn check_one(photo: &Photo, checks: &Checks, now: NaiveDateTime) -> Vec<Suspicion> {
    let taken = &photo.taken;
    let facts = &photo.date_facts;
    let mut found = Vec::new();
    let from_capture_field = matches!(
        taken.source,
        DateSource::ExifOriginal | DateSource::ExifDigitized
    );
    if let Some(problem) = facts.problem.as_ref().filter(|_| !from_capture_field) {
        found.push(suspicion("unreadable", problem.clone()));
    }
    match taken.source {
        DateSource::Rule => return found,
        DateSource::Mtime => {
            found.push(suspicion(
                "missing",
                "no date in the file; its modification time is a guess".into(),
            ));
            return found;
        }
        _ => {}
    }
    let date = taken.local;
    let shown = flickr_format(&date);
    if taken.source.is_exif() && is_reset_date(date, checks) {
        found.push(suspicion(
            "factory_reset",
            format!("{shown} is a camera clock's reset value: the clock was never set"),
        ));
    }
    if let Some(s) = before_camera(photo, checks) {
        found.push(s);
    } else if date.date() < checks.floor {
        found.push(suspicion(
            "before_floor",
            format!(
                "{shown} is before digital photography (floor {})",
                checks.floor
            ),
        ));
    }
    if date > now + Duration::hours(CLOCK_SLACK_HOURS) {
        found.push(suspicion("future", format!("{shown} is in the future")));
    }
    if let Some(modified) = facts.modify_date.filter(|_| from_capture_field) {
        if date > modified + Duration::hours(CLOCK_SLACK_HOURS) {
            found.push(Suspicion {
                code: "after_modify_date",
                message: format!(
                    "taken {shown}, after the file was last written (ModifyDate {})",
                    flickr_format(&modified)
                ),
                proposal: Some(Proposal {
                    date: modified,
                    from: "the file's ModifyDate".into(),
                }),
            });
        }
    }
    if taken.source != DateSource::FileName {
        if let Some(s) = name_disagrees(&photo.path, date) {
            found.push(s);
        }
    }
    found
}

fn is_reset_date(date: NaiveDateTime, checks: &Checks) -> bool {
    let new_year_midnight =
        date.month() == 1 && date.day() == 1 && date.time() == chrono::NaiveTime::MIN;
    new_year_midnight || checks.reset_dates.contains(&date)
}

/// EXIF versions and when each was published: a camera that writes one was built after.
const EXIF_VERSIONS: [(&str, &str, i32, u32); 7] = [
    ("0210", "2.1", 1997, 12),
    ("0220", "2.2", 2002, 4),
    ("0221", "2.21", 2003, 9),
    ("0230", "2.3", 2010, 4),
    ("0231", "2.31", 2016, 7),
    ("0232", "2.32", 2019, 5),
    ("0300", "3.0", 2023, 5),
];

fn before_camera(photo: &Photo, checks: &Checks) -> Option<Suspicion> {
    let date = photo.taken.local.date();
    let shown = date.to_string();
    let model = photo.model.as_deref().map(|m| m.trim().to_lowercase());
    let full = photo
        .make
        .as_deref()
        .zip(model.as_deref())
        .map(|(make, model)| format!("{} {model}", make.trim().to_lowercase()));
    let configured = [model.as_ref(), full.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|m| checks.camera_floors.get(m));
    if let Some(first) = configured.filter(|first| date < **first) {
        return Some(suspicion(
            "before_camera",
            format!(
                "{shown} is before the {} existed ({first}, from the checks' cameras)",
                photo.model.as_deref().unwrap_or("camera")
            ),
        ));
    }
    let version = photo.date_facts.exif_version.as_deref()?;
    let (_, name, year, month) = EXIF_VERSIONS.iter().find(|v| v.0 == version)?;
    // A year of slack: cameras shipped drafts of a version before it was published.
    let earliest = NaiveDate::from_ymd_opt(year - 1, *month, 1)?;
    (date < earliest).then(|| {
        suspicion(
            "before_camera",
            format!(
                "{shown} is before the camera could exist: it writes EXIF {name}, published {year}-{month:02}"
            ),
        )
    })
}

fn name_disagrees(path: &Path, date: NaiveDateTime) -> Option<Suspicion> {
    let name = path.file_name()?.to_string_lossy();
    let in_name = filename::from_file_name(&name)?;
    // A name with a day only (midnight) may mean any time of that day.
    let day_only = if in_name.time() == chrono::NaiveTime::MIN {
        24
    } else {
        0
    };
    let slack = Duration::hours(CLOCK_SLACK_HOURS + day_only);
    let off = (date - in_name).abs() > slack;
    off.then(|| Suspicion {
        code: "file_name",
        message: format!(
            "the file name says {}, the file {}",
            flickr_format(&in_name),
            flickr_format(&date)
        ),
        proposal: Some(Proposal {
            date: in_name,
            from: "the file name".into(),
        }),
    })
}

/// The checks that compare photos: many photos of one camera on the same midnight, and a
/// photo whose date is far from its neighbours' (same folder and camera, in name order,
/// which is the camera's counter) while they agree with each other. `photos[i]` pairs with
/// the `i` in the result.
pub fn check_groups(photos: &[Photo]) -> Vec<(usize, Suspicion)> {
    let mut found = shared_midnights(photos);
    found.extend(odd_neighbours(photos));
    found
}

type Camera<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

fn camera(p: &Photo) -> Option<Camera<'_>> {
    p.model.as_deref().map(|model| {
        (
            p.make.as_deref(),
            Some(model),
            p.date_facts.serial.as_deref(),
        )
    })
}

fn shared_midnights(photos: &[Photo]) -> Vec<(usize, Suspicion)> {
    let mut by_date: HashMap<(Camera, NaiveDateTime), Vec<usize>> = HashMap::new();
    for (i, p) in photos.iter().enumerate() {
        let at_midnight = p.taken.local.num_seconds_from_midnight() == 0;
        if let (Some(cam), true, true) = (camera(p), at_midnight, p.taken.source.is_exif()) {
            by_date.entry((cam, p.taken.local)).or_default().push(i);
        }
    }
    let mut found = Vec::new();
    for ((_, date), members) in by_date {
        if members.len() < SHARED_MIDNIGHT {
            continue;
        }
        for &i in &members {
            let message = format!(
                "{} photos of this camera say exactly {}: a camera clock's reset value",
                members.len(),
                flickr_format(&date)
            );
            found.push((i, suspicion("factory_reset", message)));
        }
    }
    found
}

fn odd_neighbours(photos: &[Photo]) -> Vec<(usize, Suspicion)> {
    let mut groups: HashMap<(Option<&Path>, Camera), Vec<usize>> = HashMap::new();
    for (i, p) in photos.iter().enumerate() {
        let guessed = matches!(p.taken.source, DateSource::Mtime | DateSource::Rule);
        if let (Some(cam), false) = (camera(p), guessed) {
            groups.entry((p.path.parent(), cam)).or_default().push(i);
        }
    }
    let agree = Duration::days(NEIGHBOURS_AGREE_DAYS);
    let slack = Duration::hours(CLOCK_SLACK_HOURS);
    let mut found = Vec::new();
    for mut members in groups.into_values() {
        members.sort_by(|&a, &b| photos[a].path.file_name().cmp(&photos[b].path.file_name()));
        for w in members.windows(3) {
            let [before, i, after] = [w[0], w[1], w[2]].map(|k| &photos[k]);
            let (a, b) = (before.taken.local, after.taken.local);
            let (lo, hi) = (a.min(b), a.max(b));
            let date = i.taken.local;
            if hi - lo > agree || (date >= lo - slack && date <= hi + slack) {
                continue;
            }
            let name = |p: &Photo| {
                p.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let message = format!(
                "its neighbours {} and {} (same camera and folder) were taken {}, this one {}",
                name(before),
                name(after),
                lo.date(),
                flickr_format(&date)
            );
            found.push((
                w[1],
                Suspicion {
                    code: "neighbours",
                    message,
                    proposal: Some(Proposal {
                        date: a,
                        from: format!("its neighbour {}", name(before)),
                    }),
                },
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests;
