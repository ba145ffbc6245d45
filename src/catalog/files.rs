//! The scan's memory: one row per media file seen, keyed by its path bytes, so that
//! a file whose size and mtime did not change is never read again.

use super::{Catalog, CatalogError};
use crate::dates::{DateFacts, DateSource, TakenAt};
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use crate::library::walk::path_bytes;
use rusqlite::params;
use std::collections::HashMap;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

impl Catalog {
    /// Every recorded file below `root` (an absolute path), by path.
    pub fn files_under(&self, root: &Path) -> Result<HashMap<PathBuf, Photo>, CatalogError> {
        let rows = self.files_under_sorted(root)?;
        Ok(rows.into_iter().map(|p| (p.path.clone(), p)).collect())
    }

    /// Every recorded file below `root`, in the byte order of their paths: what a rescan
    /// walks side by side with the sorted listing, with no map to build.
    pub fn files_under_sorted(&self, root: &Path) -> Result<Vec<Photo>, CatalogError> {
        let (lo, hi) = prefix_range(root);
        let mut rows = self.sql(|c| {
            let count: i64 = c.query_row(
                "SELECT count(*) FROM files WHERE path >= ?1 AND path < ?2",
                params![lo, hi],
                |r| r.get(0),
            )?;
            // The primary key's index gives this order without a sort step.
            let mut stmt = c.prepare(
                "SELECT path, size, mtime_ns, inode, kind, md5, taken_secs, taken_nanos,
                        taken_offset, taken_source, make, model, width, height, orientation, error,
                        modify_secs, exif_version, serial, date_problem, imgmd5, damaged
                 FROM files WHERE path >= ?1 AND path < ?2 ORDER BY path",
            )?;
            let mut rows = Vec::with_capacity(count.max(0) as usize);
            rows.extend(
                stmt.query_map(params![lo, hi], row_to_photo)?
                    .flatten()
                    .flatten(),
            );
            Ok(rows)
        })?;
        // A row stored as TEXT by an old version sorts before every BLOB in SQLite: the
        // byte order is made sure of here (linear when the rows already are in it).
        rows.sort_unstable_by(|a, b| path_bytes(&a.path).cmp(path_bytes(&b.path)));
        Ok(rows)
    }

    /// Records (or updates) photos in one transaction. Photos without an MD5 (unreadable
    /// files) are not recorded, so the next scan tries them again.
    pub fn record(&mut self, photos: &[Photo]) -> Result<(), CatalogError> {
        // A read-only catalog (a report's scan) only serves what it remembers.
        if self.read_only {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, inode, kind, md5,
                   taken_secs, taken_nanos, taken_offset, taken_source, make, model, width,
                   height, orientation, error, modify_secs, exif_version, serial, date_problem,
                   imgmd5, damaged)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18, ?19, ?20, ?21, ?22)",
            )?;
            for p in photos {
                let Some(md5) = &p.md5 else { continue };
                stmt.execute(params![
                    p.path.as_os_str().as_bytes(),
                    p.size as i64,
                    p.mtime_ns,
                    p.inode as i64,
                    p.kind.as_str(),
                    md5,
                    p.taken.local.and_utc().timestamp(),
                    p.taken.local.and_utc().timestamp_subsec_nanos(),
                    p.taken.offset_seconds,
                    p.taken.source.as_str(),
                    p.make,
                    p.model,
                    p.width,
                    p.height,
                    p.orientation,
                    p.error,
                    p.date_facts.modify_date.map(|d| d.and_utc().timestamp()),
                    p.date_facts.exif_version,
                    p.date_facts.serial,
                    p.date_facts.problem,
                    p.imgmd5,
                    p.damaged,
                ])?;
            }
            Ok(())
        })
    }

    /// Forgets files that are gone from disk (deleted or moved away).
    pub fn forget(&mut self, paths: &[PathBuf]) -> Result<(), CatalogError> {
        if self.read_only {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached("DELETE FROM files WHERE path = ?1")?;
            for p in paths {
                stmt.execute([p.as_os_str().as_bytes()])?;
            }
            Ok(())
        })
    }

    pub fn file_count(&self) -> Result<u64, CatalogError> {
        self.sql(|c| c.query_row("SELECT count(*) FROM files", [], |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
    }
}

/// Byte range of paths strictly below `root`: `root/` up to (not including) `root0`,
/// since '0' follows '/' in byte order.
pub(super) fn prefix_range(root: &Path) -> (Vec<u8>, Vec<u8>) {
    let mut lo = path_bytes(root).to_vec();
    if lo.last() != Some(&b'/') {
        lo.push(b'/');
    }
    let mut hi = lo.clone();
    if let Some(last) = hi.last_mut() {
        *last = b'0';
    }
    (lo, hi)
}

/// A row that no longer parses (hand-edited, or an old format) is skipped: the file
/// is then simply scanned again.
fn row_to_photo(r: &rusqlite::Row) -> rusqlite::Result<Option<Photo>> {
    let path: Vec<u8> = r.get(0)?;
    // Borrowed, not copied: a rescan reads every row of the library.
    let kind = r.get_ref(4)?.as_str().ok().and_then(MediaKind::parse);
    let source = r.get_ref(9)?.as_str().ok().and_then(DateSource::parse);
    let local = chrono::DateTime::from_timestamp(r.get(6)?, r.get(7)?).map(|d| d.naive_utc());
    let (Some(kind), Some(local), Some(source)) = (kind, local, source) else {
        return Ok(None);
    };
    Ok(Some(Photo {
        path: PathBuf::from(std::ffi::OsString::from_vec(path)),
        size: r.get::<_, i64>(1)? as u64,
        mtime_ns: r.get(2)?,
        inode: r.get::<_, i64>(3)? as u64,
        kind,
        md5: Some(r.get(5)?),
        imgmd5: r.get(20)?,
        taken: TakenAt {
            local,
            offset_seconds: r.get(8)?,
            source,
        },
        make: r.get(10)?,
        model: r.get(11)?,
        width: r.get(12)?,
        height: r.get(13)?,
        orientation: r.get(14)?,
        error: r.get(15)?,
        damaged: r.get(21)?,
        date_facts: DateFacts {
            modify_date: r
                .get::<_, Option<i64>>(16)?
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map(|d| d.naive_utc()),
            exif_version: r.get(17)?,
            serial: r.get(18)?,
            problem: r.get(19)?,
        },
    }))
}
