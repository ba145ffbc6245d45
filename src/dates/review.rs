//! A library's taken-dates under review: for every photo that looks wrong or that a rule
//! corrects, why, and what its date will be. Also the hook that gives sync the corrected
//! dates for new uploads.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::rules::{Fix, Rules};
use super::suspect::{self, Proposal, Suspicion};
use super::{Confidence, DateSource, TakenAt};
use crate::library::photo::Photo;

/// Serialized (see [`Form`]) with the date in [`super::flickr_format`] and its source beside
/// it, as Ruby and `--json` show a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub path: PathBuf,
    pub md5: Option<String>,
    /// "Make Model", for grouping; None when the file names no camera.
    pub camera: Option<String>,
    /// The date as the file gives it.
    pub taken: TakenAt,
    pub confidence: Confidence,
    /// Empty when the date looks right and a rule corrects it all the same.
    pub reasons: Vec<Suspicion>,
    /// What a rule makes of it; only this is ever applied.
    pub fix: Option<Fix>,
    /// Without a rule: the likeliest right date the checks saw, to write a rule from.
    pub suggestion: Option<Proposal>,
}

/// A finding's serde form.
#[derive(serde::Serialize)]
struct Form<'a> {
    #[serde(serialize_with = "crate::serial::paths")]
    path: &'a Path,
    md5: &'a Option<String>,
    camera: &'a Option<String>,
    date: String,
    source: DateSource,
    confidence: Confidence,
    reasons: &'a [Suspicion],
    fix: &'a Option<Fix>,
    suggestion: &'a Option<Proposal>,
}

impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Form {
            path: &self.path,
            md5: &self.md5,
            camera: &self.camera,
            date: super::flickr_format(&self.taken.local),
            source: self.taken.source,
            confidence: self.confidence,
            reasons: &self.reasons,
            fix: &self.fix,
            suggestion: &self.suggestion,
        }
        .serialize(s)
    }
}

/// Reviews `photos` (as scanned from `root`) against the checks and rules.
pub fn review(photos: &[Photo], root: &Path, rules: &Rules, now: NaiveDateTime) -> Vec<Finding> {
    let mut reasons: Vec<Vec<Suspicion>> = photos
        .iter()
        .map(|p| suspect::check_one(p, &rules.checks, now))
        .collect();
    for (i, s) in suspect::check_groups(photos) {
        if let Some(list) = reasons.get_mut(i) {
            if !list.iter().any(|have| have.code == s.code) {
                list.push(s);
            }
        }
    }
    photos
        .iter()
        .zip(reasons)
        .filter_map(|(photo, reasons)| {
            let fix = rules.fix(photo, root);
            if reasons.is_empty() && fix.is_none() {
                return None;
            }
            let suggestion = match fix {
                Some(_) => None,
                None => reasons.iter().find_map(|r| r.proposal.clone()),
            };
            let confidence = match reasons.is_empty() {
                true => photo.taken.source.confidence(),
                false => Confidence::Low,
            };
            Some(Finding {
                path: photo.path.clone(),
                md5: photo.md5.clone(),
                camera: camera_label(photo),
                taken: photo.taken,
                confidence,
                reasons,
                fix,
                suggestion,
            })
        })
        .collect()
}

/// "Make Model", without the make twice when the model repeats it ("Canon Canon EOS 40D").
pub fn camera_label(photo: &Photo) -> Option<String> {
    let model = photo.model.as_deref()?.trim();
    match photo.make.as_deref().map(str::trim) {
        Some(make) if !model.to_lowercase().starts_with(&make.to_lowercase()) => {
            Some(format!("{make} {model}"))
        }
        _ => Some(model.to_owned()),
    }
}

/// Gives every photo a rule corrects its corrected date (source [`DateSource::Rule`]), so
/// that sync uploads it with that date. Returns how many changed.
pub fn correct(photos: &mut [Photo], root: &Path, rules: &Rules) -> usize {
    if rules.rules.is_empty() {
        return 0;
    }
    let mut changed = 0;
    for photo in photos.iter_mut() {
        if let Some(fix) = rules.fix(photo, root) {
            photo.taken = TakenAt {
                local: fix.date,
                offset_seconds: None,
                source: DateSource::Rule,
            };
            changed += 1;
        }
    }
    changed
}

#[cfg(test)]
mod tests;
