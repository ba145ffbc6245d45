//! The catalog: one SQLite file that remembers every media file seen (path, size,
//! mtime, inode, MD5, metadata), so that a file whose size and mtime did not change is
//! never read again. Later modules add remote copies and the upload journal here.

use crate::dates::{DateSource, TakenAt};
use crate::kind::MediaKind;
use crate::photo::Photo;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot create the catalog's folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("catalog {path} was written by a newer photosync (schema {found}, this one knows {SCHEMA_VERSION}); upgrade photosync")]
    TooNew { path: String, found: i64 },
}

pub struct Catalog {
    conn: Connection,
    name: String,
}

impl Catalog {
    /// The default catalog file: `$XDG_DATA_HOME/photosync/catalog.sqlite3`, else
    /// `~/.local/share/photosync/catalog.sqlite3`.
    pub fn default_path() -> PathBuf {
        let base = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        base.join("photosync").join("catalog.sqlite3")
    }

    pub fn open(path: &Path) -> Result<Self, CatalogError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| CatalogError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        })?;
        Self::init(conn, name)
    }

    /// A catalog that lives for one call only (`catalog: nil` in Ruby).
    pub fn in_memory() -> Result<Self, CatalogError> {
        let conn = Connection::open_in_memory().map_err(|source| CatalogError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, name: String) -> Result<Self, CatalogError> {
        let cat = Catalog { conn, name };
        cat.sql(|c| {
            // WAL: readers (a status command) never block a running scan, and a crash
            // mid-transaction leaves the last committed state.
            c.pragma_update(None, "journal_mode", "WAL")?;
            c.pragma_update(None, "synchronous", "NORMAL")?;
            c.busy_timeout(std::time::Duration::from_secs(10))?;
            c.execute_batch(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
                 CREATE TABLE IF NOT EXISTS files (
                   path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                   inode INTEGER NOT NULL, kind TEXT NOT NULL, md5 TEXT NOT NULL,
                   taken_secs INTEGER NOT NULL, taken_nanos INTEGER NOT NULL,
                   taken_offset INTEGER, taken_source TEXT NOT NULL,
                   make TEXT, model TEXT, width INTEGER, height INTEGER, orientation INTEGER,
                   error TEXT);
                 CREATE INDEX IF NOT EXISTS files_md5 ON files (md5);",
            )
        })?;
        let found: Option<i64> = cat.sql(|c| {
            c.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
        })?;
        match found {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(CatalogError::TooNew {
                    path: cat.name.clone(),
                    found: v,
                })
            }
            Some(_) => {}
            None => cat.sql(|c| {
                c.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                    [SCHEMA_VERSION],
                )
                .map(|_| ())
            })?,
        }
        Ok(cat)
    }

    fn sql<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, CatalogError> {
        f(&self.conn).map_err(|source| CatalogError::Sqlite {
            path: self.name.clone(),
            source,
        })
    }

    /// Every recorded file below `root` (an absolute path), by path.
    pub fn files_under(&self, root: &Path) -> Result<HashMap<PathBuf, Photo>, CatalogError> {
        let (lo, hi) = prefix_range(root);
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT path, size, mtime_ns, inode, kind, md5, taken_secs, taken_nanos,
                        taken_offset, taken_source, make, model, width, height, orientation, error
                 FROM files WHERE path >= ?1 AND path < ?2",
            )?;
            let count: i64 = c.query_row(
                "SELECT count(*) FROM files WHERE path >= ?1 AND path < ?2",
                params![lo, hi],
                |r| r.get(0),
            )?;
            let rows = stmt.query_map(params![lo, hi], row_to_photo)?;
            let mut map = HashMap::with_capacity(count.max(0) as usize);
            for photo in rows.flatten().flatten() {
                map.insert(photo.path.clone(), photo);
            }
            Ok(map)
        })
    }

    /// Records (or updates) photos in one transaction. Photos without an MD5 (unreadable
    /// files) are not recorded, so the next scan tries them again.
    pub fn record(&mut self, photos: &[Photo]) -> Result<(), CatalogError> {
        let name = self.name.clone();
        let wrap = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO files (path, size, mtime_ns, inode, kind, md5,
                       taken_secs, taken_nanos, taken_offset, taken_source, make, model, width,
                       height, orientation, error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                )
                .map_err(wrap)?;
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
                ])
                .map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)
    }

    /// Forgets files that are gone from disk (deleted or moved away).
    pub fn forget(&mut self, paths: &[PathBuf]) -> Result<(), CatalogError> {
        let name = self.name.clone();
        let wrap = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        {
            let mut stmt = tx
                .prepare_cached("DELETE FROM files WHERE path = ?1")
                .map_err(wrap)?;
            for p in paths {
                stmt.execute([p.as_os_str().as_bytes()]).map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)
    }

    pub fn file_count(&self) -> Result<u64, CatalogError> {
        self.sql(|c| c.query_row("SELECT count(*) FROM files", [], |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
    }
}

/// Byte range of paths strictly below `root`: `root/` up to (not including) `root0`,
/// since '0' follows '/' in byte order.
fn prefix_range(root: &Path) -> (Vec<u8>, Vec<u8>) {
    let mut lo = root.as_os_str().as_bytes().to_vec();
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
    let kind: String = r.get(4)?;
    let source: String = r.get(9)?;
    let local = chrono::DateTime::from_timestamp(r.get(6)?, r.get(7)?).map(|d| d.naive_utc());
    let (Some(kind), Some(local), Some(source)) =
        (MediaKind::parse(&kind), local, DateSource::parse(&source))
    else {
        return Ok(None);
    };
    Ok(Some(Photo {
        path: PathBuf::from(std::ffi::OsString::from_vec(path)),
        size: r.get::<_, i64>(1)? as u64,
        mtime_ns: r.get(2)?,
        inode: r.get::<_, i64>(3)? as u64,
        kind,
        md5: Some(r.get(5)?),
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
    }))
}
