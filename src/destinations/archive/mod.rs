//! The archive destination: a folder (an external drive) that holds one checked copy
//! of every photo, in a date layout ([`layout`]), never overwritten or pruned.
//!
//! A run takes the archive's lock ([`files`]), reads the archive once if the catalog
//! has never seen it ([`survey`]), decides what to copy and under which name
//! ([`plan`]), removes the temporaries an interrupted run left in the folders it will
//! write to, and copies on several threads ([`destination`], [`copy`], through [`storage`]); each copy
//! is recorded in the catalog as `archive:<root>` with its relative path. [`verify`]
//! reads everything back and compares it with the catalog; [`source`] opens it for a
//! restore. With `write_dates`, a copy of a photo whose date a rule corrected gets that
//! date in its EXIF ([`redate`]).

// `copy` and `files` are shared with `crate::import`, which copies into the library the
// same checked way.
pub(crate) mod copy;
mod destination;
pub(crate) mod files;
mod heal;
mod layout;
mod plan;
mod redate;
mod report;
mod source;
mod sparse;
mod storage;
mod survey;
mod verify;

pub use copy::CopyError;
pub use destination::Archive;
pub use layout::{with_hash_suffix, Layout, LayoutError, DEFAULT_LAYOUT};
pub use report::{ArchiveEvent, ArchiveReport, Corrupted, VerifyReport};
pub use source::{open_source, ArchiveSource};
pub use storage::{Disk, Sink, Storage};
pub use verify::verify;

/// Where in an archive the catalog's copy is kept, relative to its root.
pub const CATALOG_COPY: &str = ".photosync/catalog.sqlite3";

use crate::cancel::Cancel;
use crate::catalog::{Catalog, CatalogError, RemoteCopy};
use crate::engine::one;
use crate::library::photo::Photo;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive folder {path}: {source}; is the drive mounted? (photosync does not create an archive's root folder)")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("archive {path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("another photosync is using the archive {path}; try again when it has finished")]
    Busy { path: PathBuf },
    #[error("archive {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Layout(#[from] LayoutError),
    #[error("cannot start the archive's copy threads: {0}")]
    Threads(String),
    #[error("archive run cancelled; finished copies are recorded")]
    Cancelled(Box<ArchiveReport>),
}

impl ArchiveError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[derive(Clone)]
pub struct ArchiveOptions {
    pub layout: Layout,
    /// Copies at once.
    pub threads: usize,
    /// Plan and report, copy nothing.
    pub dry_run: bool,
    /// Write a rule-corrected taken-date (a photo whose `taken.source` is
    /// [`crate::dates::DateSource::Rule`]) into its copy's EXIF; the original is never touched.
    pub write_dates: bool,
    /// Where file contents are written: the disk, or a test's failing one.
    pub storage: Arc<dyn Storage>,
    /// Check every recorded copy against the folder listing first (present, right size)
    /// and make again what is lost, without a separate verify.
    pub verify: bool,
}

impl Default for ArchiveOptions {
    fn default() -> Self {
        ArchiveOptions {
            layout: Layout::default(),
            threads: 4,
            dry_run: false,
            write_dates: false,
            storage: Arc::new(Disk),
            verify: false,
        }
    }
}

/// The catalog's name for the archive at `root` (canonical): `archive:<root>`.
pub fn backend_name(root: &Path) -> String {
    format!("archive:{}", root.display())
}

/// How a relative path is stored in the catalog (as a remote id).
pub(crate) fn rel_key(rel: &Path) -> String {
    rel.to_string_lossy().into_owned()
}

/// The archive's root, canonical; it must exist (an unmounted drive must not turn
/// into a folder on the system disk).
pub fn open_root(root: &Path) -> Result<PathBuf, ArchiveError> {
    let canonical = std::fs::canonicalize(root).map_err(|source| ArchiveError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !canonical.is_dir() {
        return Err(ArchiveError::NotAFolder { path: canonical });
    }
    Ok(canonical)
}

/// Copies into the archive at `root` every photo whose MD5 it does not hold yet, through
/// the engine ([`Archive`] is the destination). `events` is called on the calling thread.
/// Per-file problems end in the report; an `Err` means the run could not go on. When
/// `cancel` is set no new copy starts, the ones in flight finish and are recorded, and
/// the run returns [`ArchiveError::Cancelled`] with the partial report; aborted, copies
/// in flight stop too (their temporaries are removed, or cleaned by the next run).
pub fn archive_photos(
    photos: &[Photo],
    root: &Path,
    catalog: &mut Catalog,
    opts: &ArchiveOptions,
    cancel: &Cancel,
    events: &(dyn Fn(ArchiveEvent) + Send + Sync),
) -> Result<ArchiveReport, ArchiveError> {
    let runtime = one::runtime().map_err(|e| ArchiveError::Threads(e.to_string()))?;
    let mut archive = Archive::new(root, opts.clone(), cancel);
    one::run_alone(&runtime, &mut archive, photos, catalog, cancel, events)
}

/// Records what an archive the catalog has never seen already holds, so that those
/// photos are not copied again, and removes stale temporaries found on the way.
fn adopt(
    root: &Path,
    backend: &str,
    catalog: &mut Catalog,
    opts: &ArchiveOptions,
    cancel: &Cancel,
    report: &mut ArchiveReport,
) -> Result<(), ArchiveError> {
    let found = survey::survey(root, opts.threads, cancel, &mut |_| {})
        .ok_or_else(|| ArchiveError::Cancelled(Box::default()))?;
    for temp in found.temporaries.iter().filter(|_| !opts.dry_run) {
        let path = root.join(temp);
        std::fs::remove_file(&path).map_err(|source| ArchiveError::io(&path, source))?;
        report.cleaned += 1;
    }
    let now = chrono::Utc::now().timestamp();
    let copies: Vec<RemoteCopy> = found
        .files
        .iter()
        .filter_map(|(rel, md5)| {
            md5.as_ref().ok().map(|md5| RemoteCopy {
                remote_id: rel_key(rel),
                md5: md5.clone(),
                uploaded_at: now,
                imgmd5: None,
            })
        })
        .collect();
    report.adopted = copies.len() as u64;
    catalog.record_remote(backend, &copies, None)?;
    let seen: HashSet<String> = copies.into_iter().map(|c| c.remote_id).collect();
    catalog.finish_full_index(backend, &seen, 0)?;
    Ok(())
}
