//! What every restore source starts from: the destination folder made ready (what a
//! stopped restore left removed, what it already holds read), the decision for each
//! photo of the source, and the record of each finished fetch.

use super::fetch::{Fetch, Fetched, PART_SUFFIX};
use super::names;
use super::places::Places;
use super::{RestoreError, RestoreEvent, RestoreOptions, RestoreReport};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::library::scan::{self, ScanOptions};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// What every source starts from: the destination, and which MD5s it already holds
/// and which are asked for (`None`: all).
pub(super) struct Target {
    pub(super) dest: PathBuf,
    pub(super) held: HashSet<String>,
    pub(super) wanted: Option<HashSet<String>>,
}

/// Creates `dest`, removes what a stopped restore left in it, and reads what it holds.
pub(super) fn prepare(
    dest: &Path,
    catalog: &mut Catalog,
    opts: &RestoreOptions,
    cancel: &Cancel,
) -> Result<Target, RestoreError> {
    std::fs::create_dir_all(dest).map_err(|source| RestoreError::Folder {
        path: dest.to_path_buf(),
        source,
    })?;
    remove_parts(dest);
    let wanted = match &opts.only_missing {
        Some(dir) => Some(missing_from(catalog, dir)?),
        None => None,
    };
    let held: HashSet<String> =
        scan::scan(dest, catalog, &ScanOptions::default(), cancel, &mut |_| {})?
            .photos
            .into_iter()
            .filter_map(|p| p.md5)
            .collect();
    Ok(Target {
        dest: dest.to_path_buf(),
        held,
        wanted,
    })
}

/// What to do with one photo of a source.
pub(super) enum Decision {
    Fetch,
    Skip,
    /// Its bytes differed from their record last time and are kept: reported again.
    KeptMismatch(String),
}

impl Target {
    /// `id` is the photo's id at the source, `md5` what the source records for it
    /// (checked against the bytes when `checked`), `restored` what earlier restores
    /// from this source wrote; `planned` collects the MD5s already chosen, so that each
    /// is fetched once.
    pub(super) fn decide(
        &self,
        id: &str,
        md5: Option<&String>,
        checked: bool,
        restored: &HashMap<String, (String, PathBuf)>,
        planned: &mut HashSet<String>,
    ) -> Decision {
        let before = restored.get(id);
        if let (true, Some(tag), Some((got, path))) = (checked, md5, before) {
            if got != tag && self.held.contains(got) {
                return Decision::KeptMismatch(format!(
                    "its bytes have MD5 {got}, not {tag} as recorded; kept as {}",
                    path.display()
                ));
            }
        }
        let held = md5.is_some_and(|m| self.held.contains(m))
            || before.is_some_and(|(m, _)| self.held.contains(m));
        let not_wanted = match (&self.wanted, md5) {
            (Some(wanted), Some(m)) => !wanted.contains(m),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let twice = md5.is_some_and(|m| !planned.insert(m.clone()));
        if held || not_wanted || twice {
            Decision::Skip
        } else {
            Decision::Fetch
        }
    }
}

/// The photos of a source that holds files at relative paths (an archive, a bucket),
/// each with its MD5: `checked` when the MD5s are the catalog's record of the source.
pub(super) struct Files<'a, R> {
    pub(super) files: &'a [(R, String)],
    pub(super) checked: bool,
    /// What earlier restores from this source wrote.
    pub(super) restored: &'a HashMap<String, (String, PathBuf)>,
}

impl Target {
    /// Decides each of `source`'s files, counts the skipped and the kept mismatches in
    /// `report`, tells `events` the plan, and gives the fetches: each at its original
    /// path when `places` knows its bytes, else at its relative path under `dest`.
    pub(super) fn plan_files<R: AsRef<Path>>(
        &self,
        source: Files<'_, R>,
        places: &Places,
        report: &mut RestoreReport,
        events: &(dyn Fn(RestoreEvent) + Send + Sync),
    ) -> Vec<Fetch> {
        let mut planned = HashSet::new();
        let mut jobs = Vec::new();
        for (rel, md5) in source.files {
            let rel = rel.as_ref();
            let id = rel.to_string_lossy().into_owned();
            match self.decide(
                &id,
                Some(md5),
                source.checked,
                source.restored,
                &mut planned,
            ) {
                Decision::KeptMismatch(message) => {
                    report.mismatched += 1;
                    report.errors.push((id, message));
                }
                Decision::Skip => report.skipped += 1,
                Decision::Fetch => {
                    let mut job = file_job(source.checked, &self.dest, rel, md5, id);
                    places.place(&mut job, Some(md5), &self.dest);
                    jobs.push(job);
                }
            }
        }
        events(RestoreEvent::Planned {
            to_download: jobs.len() as u64,
            already_there: report.skipped,
        });
        jobs
    }
}

/// Where `rel` goes in `dest`: the same folders and name, each part made safe; `checked`:
/// whether `md5` is a record to check the bytes against (else only what was just read).
fn file_job(checked: bool, dest: &Path, rel: &Path, md5: &str, id: String) -> Fetch {
    // The id is the relative path: the archive's copy and the bucket's GET read it.
    let mut folder = dest.to_path_buf();
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let (file, dirs) = parts
        .split_last()
        .map_or(("", &[][..]), |(f, d)| (f.as_str(), d));
    for dir in dirs {
        folder.push(names::component(dir, "folder"));
    }
    let (name, ext) = names::split_file_name(file, "photo");
    Fetch {
        photo_id: id,
        // An archive the catalog never recorded has no MD5 to check against but the
        // one just read from it.
        md5: checked.then(|| md5.to_string()),
        key: md5.chars().take(8).collect(),
        folder,
        name,
        ext,
        url: None,
        also: Vec::new(),
    }
}

fn mismatch_message(source: &str, actual: &str, expected: &str, kept: &Path) -> String {
    format!(
        "{source}'s bytes have MD5 {actual}, not {expected} as recorded; kept as {}",
        kept.display()
    )
}

/// Records one finished fetch in the catalog (under the source's `backend` name) and
/// the report, and tells `events`.
pub(super) fn record(
    catalog: &mut Catalog,
    backend: &str,
    source: &str,
    job: Fetch,
    fetched: Fetched,
    report: &mut RestoreReport,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
) -> Result<(), RestoreError> {
    match fetched {
        Fetched::Done {
            path,
            md5,
            bytes,
            verified,
        } => {
            catalog.record_restore(backend, &job.photo_id, &md5, &path)?;
            for error in super::places::copy_to(&path, &job.also) {
                report.errors.push((job.photo_id.clone(), error));
            }
            report.downloaded += 1;
            report.bytes += bytes;
            report.unverified += u64::from(!verified);
            events(RestoreEvent::Downloaded {
                path,
                photo_id: job.photo_id,
                bytes,
                verified,
            });
        }
        Fetched::Mismatch {
            path,
            expected,
            actual,
        } => {
            catalog.record_restore(backend, &job.photo_id, &actual, &path)?;
            report.mismatched += 1;
            report.errors.push((
                job.photo_id.clone(),
                mismatch_message(source, &actual, &expected, &path),
            ));
            events(RestoreEvent::Mismatch {
                path,
                photo_id: job.photo_id,
                expected,
                actual,
            });
        }
        Fetched::Failed(error) => {
            report.failed += 1;
            report.errors.push((job.photo_id.clone(), error.clone()));
            events(RestoreEvent::Failed {
                photo_id: job.photo_id,
                error,
            });
        }
        Fetched::Cancelled => {}
    }
    Ok(())
}

/// MD5s the folder held once and holds no longer, as the catalog knows them.
pub(super) fn missing_from(catalog: &Catalog, dir: &Path) -> Result<HashSet<String>, RestoreError> {
    let mut once: HashMap<PathBuf, String> = catalog.uploads_under(dir)?;
    for (path, photo) in catalog.files_under(dir)? {
        if let Some(md5) = photo.md5 {
            once.insert(path, md5);
        }
    }
    let still: HashSet<&String> = once
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(_, md5)| md5)
        .collect();
    Ok(once
        .values()
        .filter(|m| !still.contains(m))
        .cloned()
        .collect())
}

/// Removes downloads a stopped restore left behind, in `dir` and below.
pub(super) fn remove_parts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => remove_parts(&path),
            Ok(t) if t.is_file() && path.to_string_lossy().ends_with(PART_SUFFIX) => {
                let _ = std::fs::remove_file(&path);
            }
            _ => {}
        }
    }
}
