//! What an import tells its caller: live events, and the inventory of each source
//! (new, already in the library, byte-identical copies, the same photo in another form,
//! smaller copies, damaged, unreadable) with the run's totals.

use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportEvent {
    /// The library is known (scanned, through the catalog's cache).
    LibraryScanned {
        photos: u64,
    },
    /// A source's files read so far, about ten times a second.
    Reading {
        #[serde(serialize_with = "crate::serial::paths")]
        source: PathBuf,
        files_done: u64,
        files_total: u64,
        bytes_done: u64,
        bytes_total: u64,
    },
    /// What will be copied, once every source is read.
    Planned {
        to_copy: u64,
        bytes: u64,
    },
    /// `path` is now in the library at `dest`, checked and recorded.
    Copied {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        #[serde(serialize_with = "crate::serial::paths")]
        dest: PathBuf,
        bytes: u64,
    },
    Failed {
        #[serde(serialize_with = "crate::serial::paths")]
        path: PathBuf,
        error: String,
    },
    Finished,
}

/// The inventory of one source folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    #[serde(serialize_with = "crate::serial::paths")]
    pub source: PathBuf,
    /// Media files found.
    pub files: u64,
    pub bytes: u64,
    /// Photos the library lacked: copied (planned, in a dry run).
    pub new: u64,
    /// Bytes the library already held before this run.
    pub in_library: u64,
    /// Byte-identical to a file this run imports from elsewhere (or from this source).
    pub copies: u64,
    /// The same image data as a photo kept (the library's, or another form with more
    /// complete EXIF), other bytes: not imported; listed in `other_forms`.
    pub other_form: u64,
    /// A resized or recompressed copy of a larger photo kept (the library's, or another
    /// file imported): listed in `smaller`; not imported unless `keep_smaller` was asked.
    pub smaller: u64,
    /// Readable, but not a whole photo (a truncated JPEG, not the format its name says):
    /// imported, flagged damaged, when no fuller form of it was found (it is the only
    /// copy of what is left of the photo), else left out; listed in `damaged` either way.
    pub damaged: u64,
    /// Could not be read (an I/O error, no answer within the timeout): listed in `errors`.
    pub unreadable: u64,
    /// New, but its copy failed (listed in `errors`); tried again by the next import.
    pub failed: u64,
}

/// A photo not imported because the same image is kept in another form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherForm {
    #[serde(serialize_with = "crate::serial::paths")]
    pub path: PathBuf,
    /// The form kept: a library file, or the source file imported instead.
    #[serde(serialize_with = "crate::serial::paths")]
    pub kept: PathBuf,
    pub kept_in_library: bool,
    /// Both taken-dates (`YYYY-MM-DD HH:MM:SS`), for the person to choose when they differ.
    pub taken: String,
    pub kept_taken: String,
    pub dates_differ: bool,
}

/// A smaller copy of a photo kept: its size, the kept one's, and how well their pictures
/// align at the copy's size (0: every edge in place; 1 or more: a moved scene), for a
/// person to check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmallerCopy {
    #[serde(serialize_with = "crate::serial::paths")]
    pub path: PathBuf,
    #[serde(serialize_with = "crate::serial::paths")]
    pub kept: PathBuf,
    pub kept_in_library: bool,
    /// `[width, height]` as displayed.
    pub size: [u32; 2],
    pub kept_size: [u32; 2],
    /// The alignment of the pixel look; None when the EXIF identified the shot.
    pub difference: Option<f64>,
    /// Imported all the same (`keep_smaller`).
    pub imported: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    #[serde(serialize_with = "crate::serial::paths")]
    pub library: PathBuf,
    pub dry_run: bool,
    /// Photos copied into the library (to copy, in a dry run).
    pub imported: u64,
    pub bytes: u64,
    /// Files unreadable or whose copy failed.
    pub failed: u64,
    pub sources: Vec<SourceReport>,
    pub other_forms: Vec<OtherForm>,
    pub smaller: Vec<SmallerCopy>,
    /// `[path, why]` of every damaged file; `why` ends with whether it was imported.
    #[serde(serialize_with = "crate::serial::paths")]
    pub damaged: Vec<(PathBuf, String)>,
    /// `[path, error]` of every file unreadable or not copied.
    #[serde(serialize_with = "crate::serial::paths")]
    pub errors: Vec<(PathBuf, String)>,
    /// Folders that could not be listed, symlink loops.
    pub notes: Vec<String>,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub elapsed: Duration,
    /// Where the time went.
    pub phases: Phases,
}

/// The run's time by phase, in seconds: reading the sources (hashes and EXIF), judging
/// the files (the smaller-copy search's decodes included), copying the new photos.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Phases {
    #[serde(serialize_with = "crate::serial::seconds")]
    pub reading: Duration,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub judging: Duration,
    #[serde(serialize_with = "crate::serial::seconds")]
    pub copying: Duration,
}
