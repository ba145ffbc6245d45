//! Import: the inventory of old drives brought into the master library, each photo once.
//! Sources (old drives, folders of exports) are only read, never written; every file on
//! them is read once by the scanner's reader under a watchdog ([`read`], [`watch`]: a
//! read error, or a read that hangs, is that file's error and the run goes on). The
//! library is scanned through the catalog, and each source file is judged against it
//! ([`plan`]: new, already held, a byte-identical copy, the same photo in another form,
//! a smaller copy of a larger photo ([`smaller`], by the fingerprints of [`percept`]),
//! damaged (imported unless a fuller form of it is kept, [`whole`]), unreadable). The
//! new photos are copied into the library with the archive's layout and its checked
//! copy, and recorded in the catalog with their origin ([`copy`]), so that a second
//! import of the same drive copies nothing and the next sync backs the new photos up.
//! [`report`] holds the inventory per source.

mod copy;
mod decode;
mod folders;
mod looks;
pub mod percept;
mod plan;
mod preview;
mod read;
mod report;
mod smaller;
mod strips;
mod thumbs;
mod watch;
mod whole;

pub use plan::Verdict;
pub use read::{read_batch, read_watched, SourceFile};
pub use report::{ImportEvent, ImportReport, OtherForm, Phases, SmallerCopy, SourceReport};

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError};
use crate::destinations::archive::copy::Job;
use crate::destinations::archive::files::{Lock, LockMode};
use crate::destinations::archive::{Disk, Layout, LayoutError, Storage};
use crate::library::photo::Photo;
use crate::library::scan::{self, ScanError, ScanOptions};
use copy::Planned;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("library folder {path}: {source} (photosync does not create the library's folder)")]
    Library {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("source {path}: {source}")]
    Source {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("source {source_dir} and the library {library} overlap: import from a folder outside the library")]
    Overlap {
        source_dir: PathBuf,
        library: PathBuf,
    },
    #[error(
        "another photosync is writing into the library {path}; try again when it has finished"
    )]
    Busy { path: PathBuf },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    Layout(#[from] LayoutError),
    #[error("cannot start the import's threads: {0}")]
    Threads(String),
    #[error("import cancelled; finished copies are recorded")]
    Cancelled(Box<ImportReport>),
}

#[derive(Clone)]
pub struct ImportOptions {
    pub layout: Layout,
    /// Files read or copied at once.
    pub threads: usize,
    /// Plan and report; copy nothing, write nothing into the library.
    pub dry_run: bool,
    /// Import smaller copies too (they are still reported as such).
    pub keep_smaller: bool,
    /// A read or copy with no progress for this long is given up.
    pub timeout: Duration,
    /// Where the library's files are written: the disk, or a test's failing one.
    pub storage: Arc<dyn Storage>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            layout: Layout::default(),
            threads: 4,
            dry_run: false,
            keep_smaller: false,
            timeout: Duration::from_secs(30),
            storage: Arc::new(Disk),
        }
    }
}

/// Imports every photo of `sources` the `library` lacks. `events` may be called from
/// any of the run's threads. Per-file problems end in the report; an `Err` means the run
/// could not start or go on.
pub fn import(
    sources: &[PathBuf],
    library: &Path,
    catalog: &mut Catalog,
    opts: &ImportOptions,
    cancel: &Cancel,
    events: &(dyn Fn(ImportEvent) + Send + Sync),
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let (root, sources) = folders::check(library, sources)?;
    catalog.hold_run_lock(cancel)?;
    let _lock = match opts.dry_run {
        true => None,
        false => Some(
            Lock::try_take(&root, LockMode::Write)
                .map_err(|source| ImportError::Library {
                    path: root.clone(),
                    source,
                })?
                .ok_or_else(|| ImportError::Busy { path: root.clone() })?,
        ),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .thread_name(|i| format!("photosync-import-{i}"))
        .build()
        .map_err(|e| ImportError::Threads(e.to_string()))?;
    let held = scan::scan(&root, catalog, &ScanOptions::default(), cancel, &mut |_| {})?;
    events(ImportEvent::LibraryScanned {
        photos: held.photos.len() as u64,
    });
    let mut report = ImportReport {
        library: root.clone(),
        dry_run: opts.dry_run,
        ..ImportReport::default()
    };
    let mut files = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let (read, notes) = read::read_source(i, source, &pool, opts.timeout, cancel, events);
        report.sources.push(SourceReport {
            source: source.clone(),
            files: read.len() as u64,
            bytes: read.iter().map(|f| f.size).sum(),
            ..SourceReport::default()
        });
        report.notes.extend(notes);
        files.extend(read);
    }
    if cancel.is_cancelled() {
        return Err(ImportError::Cancelled(Box::new(report)));
    }
    report.phases.reading = started.elapsed();
    let (verdicts, pictures) = judge(
        &root,
        opts,
        &held.photos,
        &files,
        catalog,
        &pool,
        cancel,
        &mut report,
    )?;
    report.phases.judging = started.elapsed() - report.phases.reading;
    let jobs = inventory(&mut report, &files, &verdicts);
    report.imported = jobs.len() as u64;
    report.bytes = jobs.iter().map(|p| p.job.size).sum();
    events(ImportEvent::Planned {
        to_copy: report.imported,
        bytes: report.bytes,
    });
    if !opts.dry_run {
        run_copies(
            &root,
            jobs,
            &files,
            &pool,
            opts,
            cancel,
            catalog,
            &mut report,
            events,
        )?;
    }
    report.phases.copying = started.elapsed() - report.phases.reading - report.phases.judging;
    if cancel.is_cancelled() {
        report.elapsed = started.elapsed();
        events(ImportEvent::Finished);
        return Err(ImportError::Cancelled(Box::new(report)));
    }
    let photos = files
        .iter()
        .filter_map(|f| f.read.as_ref().ok())
        .chain(&held.photos)
        .map(|p| (p.path.as_path(), p))
        .collect();
    thumbs::record(catalog, &report, &pictures, &photos)?;
    report.elapsed = started.elapsed();
    events(ImportEvent::Finished);
    Ok(report)
}

/// Each file's verdict ([`plan`]): smaller copies and the damaged files' fuller forms
/// looked for on `pool`; smaller copies imported all the same (`keep_smaller`) listed.
#[allow(clippy::too_many_arguments)]
fn judge(
    root: &Path,
    opts: &ImportOptions,
    library: &[Photo],
    files: &[SourceFile],
    catalog: &mut Catalog,
    pool: &rayon::ThreadPool,
    cancel: &Cancel,
    report: &mut ImportReport,
) -> Result<(Vec<Verdict>, looks::Pictures), ImportError> {
    let mut looked = Ok(looks::Found::default());
    let mut fuller = |damaged: &[usize]| {
        whole::fuller_copies(damaged, files, library, pool, opts.timeout, cancel)
    };
    let verdicts = plan::plan(
        root,
        &opts.layout,
        library,
        files,
        &mut fuller,
        &mut |new| {
            let new: Vec<_> = new
                .iter()
                .filter_map(|&i| files[i].read.as_ref().ok().map(|p| (i, p)))
                .collect();
            looked = looks::smaller_copies(&new, library, catalog, pool, opts.timeout, cancel);
            match (&mut looked, opts.keep_smaller) {
                (Ok(found), false) => std::mem::take(&mut found.copies),
                _ => Vec::new(),
            }
        },
    );
    let looks::Found { copies, pictures } = looked?;
    // Kept all the same: imported as new photos, and listed so the person knows.
    report
        .smaller
        .extend(copies.into_iter().map(|(_, s)| SmallerCopy {
            imported: true,
            ..s
        }));
    Ok((verdicts, pictures))
}

/// Counts every verdict into its source's inventory; gives the copies to make.
fn inventory(
    report: &mut ImportReport,
    files: &[SourceFile],
    verdicts: &[Verdict],
) -> Vec<Planned> {
    let mut jobs = Vec::new();
    for (i, (f, v)) in files.iter().zip(verdicts).enumerate() {
        let counts = &mut report.sources[f.source];
        let mut copy = |dest: &Path, damaged: bool| {
            if let Ok(p) = &f.read {
                jobs.push(Planned {
                    file: i,
                    damaged,
                    job: Job {
                        source: f.path.clone(),
                        md5: p.md5.clone().unwrap_or_default(),
                        size: f.size,
                        dest: dest.to_path_buf(),
                        redate: None,
                    },
                });
            }
        };
        match v {
            Verdict::New { dest } => {
                counts.new += 1;
                copy(dest, false);
            }
            Verdict::NewDamaged { dest, why } => {
                counts.damaged += 1;
                copy(dest, true);
                let done = match report.dry_run {
                    true => "would be imported all the same",
                    false => "imported all the same",
                };
                report.damaged.push((
                    f.path.clone(),
                    format!("{why}; {done}, flagged damaged: no fuller copy of it was found"),
                ));
            }
            Verdict::InLibrary => counts.in_library += 1,
            Verdict::Copy => counts.copies += 1,
            Verdict::OtherForm(o) => {
                counts.other_form += 1;
                report.other_forms.push(o.clone());
            }
            Verdict::Smaller(s) => {
                counts.smaller += 1;
                report.smaller.push(s.clone());
            }
            Verdict::Damaged(why) => {
                counts.damaged += 1;
                report.damaged.push((f.path.clone(), why.clone()));
            }
            Verdict::Unreadable(e) => {
                counts.unreadable += 1;
                report.failed += 1;
                report.errors.push((f.path.clone(), e.clone()));
            }
            Verdict::Failed(e) => {
                counts.failed += 1;
                report.failed += 1;
                report.errors.push((f.path.clone(), e.clone()));
            }
        }
    }
    jobs
}

/// Makes the copies; a failed copy moves its file from `new` to `failed`.
#[allow(clippy::too_many_arguments)]
fn run_copies(
    root: &Path,
    jobs: Vec<Planned>,
    files: &[SourceFile],
    pool: &rayon::ThreadPool,
    opts: &ImportOptions,
    cancel: &Cancel,
    catalog: &mut Catalog,
    report: &mut ImportReport,
    events: &(dyn Fn(ImportEvent) + Send + Sync),
) -> Result<(), ImportError> {
    copy::clean_temporaries(root, &jobs);
    let planned = jobs.len() as u64;
    let damaged: HashSet<usize> = jobs.iter().filter(|p| p.damaged).map(|p| p.file).collect();
    let (mut copied, mut failed, mut bytes) = (0u64, 0u64, 0u64);
    copy::copy_all(
        root,
        jobs,
        files,
        pool,
        opts,
        cancel,
        catalog,
        &mut |i, result| {
            let f = &files[i];
            match result {
                Ok(dest) => {
                    copied += 1;
                    bytes += f.size;
                    events(ImportEvent::Copied {
                        path: f.path.clone(),
                        dest,
                        bytes: f.size,
                    });
                }
                Err(error) => {
                    let counts = &mut report.sources[f.source];
                    match damaged.contains(&i) {
                        true => counts.damaged -= 1,
                        false => counts.new -= 1,
                    }
                    counts.failed += 1;
                    failed += 1;
                    report.failed += 1;
                    report.errors.push((f.path.clone(), error.clone()));
                    events(ImportEvent::Failed {
                        path: f.path.clone(),
                        error,
                    });
                }
            }
        },
    )?;
    // Copies never started (cancelled) are not imported: the next run makes them.
    let left = planned.saturating_sub(copied + failed);
    if left > 0 {
        report.notes.push(format!(
            "{left} photos not copied: the run was stopped; the next import copies them"
        ));
    }
    report.imported = copied;
    report.bytes = bytes;
    Ok(())
}
