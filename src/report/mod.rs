//! `photosync report`: one page a person reads instead of a long listing. This module
//! gathers what the page shows (copies per photo, the photos with a single copy, per-file
//! errors, the date review with a thumbnail of each photo a person must look at);
//! [`html`] renders it as one self-contained HTML file.
//!
//! It stays light for a 100k-photo library: counts come from the catalog in one pass, and
//! only the listed photos (capped by [`Limits`]) cost more than a row; files are opened
//! only for the thumbnails of the date review.

pub mod html;
mod imports;
pub mod thumbnail;

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError, SourceInventory};
use crate::dates::review::{self, Finding};
use crate::dates::rules::Rules;
use crate::dates::{flickr_format, DateSource};
use crate::library::photo::Photo;
use crate::library::scan::{self, Progress, ScanError, ScanOptions};
use crate::status::{self, PhotoStatus};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("report cancelled before it was written")]
    Cancelled,
    #[error("cannot write the report {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How much the page lists; beyond these it gives counts (`photosync status --json` and
/// `photosync dates` list everything).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub single_copies: usize,
    pub errors: usize,
    /// Photos of the date review shown (each with its thumbnail).
    pub review: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            single_copies: 500,
            errors: 500,
            review: 400,
        }
    }
}

/// Where a photo with a single copy is: its local path, else `backend id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleCopy {
    pub md5: String,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub path: PathBuf,
    pub message: String,
}

/// One photo of the date review, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub path: PathBuf,
    pub date: String,
    pub source: DateSource,
    pub reasons: Vec<String>,
    /// The date it will get (a rule's fix) or likely should (a check's suggestion).
    pub proposed: Option<String>,
    /// Which rule, where the suggestion comes from, or what to do.
    pub proposed_by: String,
    /// Whether a rule gives it `proposed` (else it is only a suggestion).
    pub by_rule: bool,
    /// EXIF orientation of the photo, to turn its thumbnail (stored unrotated) upright.
    pub orientation: Option<u16>,
    /// The embedded EXIF thumbnail (JPEG bytes), when the file has one.
    pub thumbnail: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraGroup {
    pub camera: String,
    pub photos: Vec<Reviewed>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The library reported on; None for the whole catalog.
    pub root: Option<PathBuf>,
    pub generated_at: String,
    pub photos: u64,
    /// Copy count -> photos with that many copies.
    pub by_copies: BTreeMap<usize, u64>,
    pub single: Vec<SingleCopy>,
    pub single_total: u64,
    pub errors: Vec<FileProblem>,
    pub errors_total: u64,
    /// Files whose format says they are cut short ([`crate::library::damage`]).
    pub damaged: Vec<FileProblem>,
    pub damaged_total: u64,
    /// The date review by camera (photos naming no camera last).
    pub cameras: Vec<CameraGroup>,
    pub review_total: u64,
    pub suspicious_total: u64,
    /// The last import of each source into this library (of every library, for the
    /// whole catalog).
    pub imports: Vec<SourceInventory>,
}

impl Report {
    pub fn review_shown(&self) -> usize {
        self.cameras.iter().map(|g| g.photos.len()).sum()
    }

    pub fn thumbnails(&self) -> usize {
        self.cameras
            .iter()
            .flat_map(|g| &g.photos)
            .filter(|p| p.thumbnail.is_some())
            .count()
    }
}

/// Builds the report of the library at `dir` (scanned first, through the catalog, so its
/// dates and errors are current), or of the whole catalog without `dir` (no file is read
/// but the thumbnails). `progress` sees the scan.
pub fn run(
    dir: Option<&Path>,
    catalog: &mut Catalog,
    rules: &Rules,
    limits: &Limits,
    cancel: &Cancel,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Report, ReportError> {
    let now = chrono::Local::now().naive_local();
    let (root, photos) = match dir {
        Some(dir) => {
            let scanned = scan::scan(dir, catalog, &ScanOptions::default(), cancel, progress)?;
            // Photo paths are canonical; rule folders are relative to the same root.
            let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            (Some(root), scanned.photos)
        }
        None => {
            let mut photos: Vec<Photo> =
                catalog.files_under(Path::new("/"))?.into_values().collect();
            // The review's neighbour checks compare photos in path order.
            photos.sort_by(|a, b| a.path.cmp(&b.path));
            (None, photos)
        }
    };
    let status = status::status(catalog, root.as_deref())?;
    let findings = review::review(
        &photos,
        root.as_deref().unwrap_or(Path::new("/")),
        rules,
        now,
    );
    let refusals = catalog.all_refusals()?;
    let mut imports = catalog.inventories()?;
    if let Some(root) = &root {
        imports.retain(|i| i.library.starts_with(root));
    }
    build(
        Gathered {
            root,
            now,
            status,
            photos: &photos,
            findings,
            refusals,
            imports,
        },
        limits,
        cancel,
    )
}

/// What [`run`] read, for [`build`].
pub struct Gathered<'a> {
    pub root: Option<PathBuf>,
    pub now: NaiveDateTime,
    pub status: status::Status,
    /// The photos reviewed (their `error` is listed).
    pub photos: &'a [Photo],
    pub findings: Vec<Finding>,
    /// (backend, MD5, message) of every refused file.
    pub refusals: Vec<(String, String, String)>,
    pub imports: Vec<SourceInventory>,
}

/// Puts the page's content together; reads the thumbnails of the photos it shows.
pub fn build(g: Gathered<'_>, limits: &Limits, cancel: &Cancel) -> Result<Report, ReportError> {
    let singles: Vec<&PhotoStatus> = g.status.photos.iter().filter(|p| p.copies() <= 1).collect();
    let single = singles
        .iter()
        .take(limits.single_copies)
        .map(|p| SingleCopy {
            md5: p.md5.clone(),
            place: match (p.local.first(), p.remote.first()) {
                (Some(path), _) => path.display().to_string(),
                (None, Some(c)) => format!("{} {}", c.backend, c.remote_id),
                (None, None) => String::new(),
            },
        })
        .collect();

    let (errors, errors_total) = file_problems(g.photos, &g.refusals, limits.errors);
    let damaged = g.photos.iter().filter_map(|p| {
        p.damaged.as_ref().map(|why| FileProblem {
            path: p.path.clone(),
            message: why.clone(),
        })
    });
    let (damaged, damaged_total) = capped(damaged, limits.errors);
    let suspicious_total = g.findings.iter().filter(|f| !f.reasons.is_empty()).count() as u64;
    let review_total = g.findings.len() as u64;
    let cameras = review_groups(g.findings, g.photos, limits.review, cancel)?;
    Ok(Report {
        root: g.root,
        generated_at: flickr_format(&g.now),
        photos: g.status.photos.len() as u64,
        by_copies: g.status.by_copies,
        single,
        single_total: singles.len() as u64,
        errors,
        errors_total,
        damaged,
        damaged_total,
        cameras,
        review_total,
        suspicious_total,
        imports: g.imports,
    })
}

/// The files that could not be read or parsed, then the ones a backend refused.
fn file_problems(
    photos: &[Photo],
    refusals: &[(String, String, String)],
    limit: usize,
) -> (Vec<FileProblem>, u64) {
    let mut by_md5: HashMap<&str, &Path> = HashMap::new();
    for p in photos {
        if let Some(md5) = &p.md5 {
            by_md5.entry(md5).or_insert(&p.path);
        }
    }
    let read = photos.iter().filter_map(|p| {
        p.error.as_ref().map(|e| FileProblem {
            path: p.path.clone(),
            message: e.clone(),
        })
    });
    // A refusal of a photo outside the reported library is not this report's business.
    let refused = refusals.iter().filter_map(|(backend, md5, message)| {
        by_md5.get(md5.as_str()).map(|path| FileProblem {
            path: path.to_path_buf(),
            message: format!("refused by {backend}: {message}"),
        })
    });
    capped(read.chain(refused), limit)
}

/// The first `limit` items, and how many there were.
fn capped<T>(items: impl Iterator<Item = T>, limit: usize) -> (Vec<T>, u64) {
    let mut total = 0u64;
    let mut shown = Vec::new();
    for item in items {
        total += 1;
        if shown.len() < limit {
            shown.push(item);
        }
    }
    (shown, total)
}

/// The findings a person must judge first (a wrong-looking date or a rule's fix, before
/// photos that merely carry no date), capped, with their thumbnails, by camera.
fn review_groups(
    mut findings: Vec<Finding>,
    photos: &[Photo],
    limit: usize,
    cancel: &Cancel,
) -> Result<Vec<CameraGroup>, ReportError> {
    let only_undated =
        |f: &Finding| f.fix.is_none() && f.reasons.iter().all(|r| r.code == "missing");
    findings.sort_by(|a, b| {
        (only_undated(a), a.camera.is_none(), &a.camera, &a.path).cmp(&(
            only_undated(b),
            b.camera.is_none(),
            &b.camera,
            &b.path,
        ))
    });
    findings.truncate(limit);
    let orientation: HashMap<&Path, Option<u16>> = photos
        .iter()
        .map(|p| (p.path.as_path(), p.orientation))
        .collect();
    let mut groups: BTreeMap<(bool, String), Vec<Reviewed>> = BTreeMap::new();
    for f in findings {
        if cancel.is_cancelled() {
            return Err(ReportError::Cancelled);
        }
        let (proposed, proposed_by) = proposal(&f);
        let camera = f.camera.clone();
        let reviewed = Reviewed {
            thumbnail: thumbnail::embedded(&f.path),
            orientation: orientation.get(f.path.as_path()).copied().flatten(),
            date: flickr_format(&f.taken.local),
            source: f.taken.source,
            reasons: f.reasons.iter().map(|r| r.message.clone()).collect(),
            by_rule: f.fix.is_some(),
            proposed,
            proposed_by,
            path: f.path,
        };
        let key = (
            camera.is_none(),
            camera.unwrap_or_else(|| "unknown camera".into()),
        );
        groups.entry(key).or_default().push(reviewed);
    }
    Ok(groups
        .into_iter()
        .map(|((_, camera), photos)| CameraGroup { camera, photos })
        .collect())
}

/// The rule's correction, else the checks' suggestion, else what to do about it (as
/// `photosync dates` says it).
fn proposal(f: &Finding) -> (Option<String>, String) {
    if let Some(fix) = &f.fix {
        return (Some(flickr_format(&fix.date)), fix.by.clone());
    }
    if let Some(s) = &f.suggestion {
        return (
            Some(flickr_format(&s.date)),
            format!("{}; add a rule to use it", s.from),
        );
    }
    let camera_clock = ["factory_reset", "before_camera", "before_floor", "future"];
    let advice = match &f.camera {
        Some(camera) if f.reasons.iter().any(|r| camera_clock.contains(&r.code)) => {
            format!("add a shift rule for camera {camera}")
        }
        _ => "add a date rule for its folder".to_owned(),
    };
    (None, advice)
}

/// Renders `report` and writes the page to `path`.
pub fn save(report: &Report, path: &Path) -> Result<(), ReportError> {
    write(path, &html::render(report))
}

/// Writes `html` to `path` whole or not at all: a temporary file beside it, renamed over it.
fn write(path: &Path, html: &str) -> Result<(), ReportError> {
    let failed = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, html).map_err(failed)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })
}

#[cfg(test)]
mod tests;
