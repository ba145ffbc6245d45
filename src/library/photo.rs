//! One media file as photosync knows it: where it is, its identity (the MD5 of its
//! bytes, as in the `checksum:md5=` machine tag) and the metadata that sync needs.

use crate::dates::{DateFacts, TakenAt};
use crate::library::kind::MediaKind;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
    pub inode: u64,
    pub kind: MediaKind,
    /// Lowercase hex; None only when the file could not be read.
    pub md5: Option<String>,
    /// The image-data MD5 ([`crate::library::imghash`]), lowercase hex: unchanged by metadata
    /// edits. None for files other than JPEG, malformed JPEGs, and rows a catalog
    /// older than schema 3 recorded (until the file changes and is read again).
    pub imgmd5: Option<String>,
    pub taken: TakenAt,
    /// The file's other dates and clues, for the bogus-date checks.
    pub date_facts: DateFacts,
    pub make: Option<String>,
    pub model: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub orientation: Option<u16>,
    /// Why the file could not be read or parsed; the MD5 is still set when it was readable.
    pub error: Option<String>,
    /// Why the file's own format says it is incomplete ([`crate::library::damage`]); a
    /// damaged file is still backed up.
    pub damaged: Option<String>,
}
