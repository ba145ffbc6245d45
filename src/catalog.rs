//! The catalog: one SQLite file that remembers every media file seen (path, size,
//! mtime, inode, MD5, metadata), so that a file whose size and mtime did not change is
//! never read again. For sync it also keeps every known remote copy (backend, remote
//! id, MD5), how far each backend's index was read, the journal of started uploads,
//! and the files a backend refused.

use crate::dates::{DateSource, TakenAt};
use crate::kind::MediaKind;
use crate::photo::Photo;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};
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
        cat.sql(|c| c.execute_batch(SYNC_TABLES))?;
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

/// Tables of the sync engine. Added with `IF NOT EXISTS`: an older catalog gains them
/// on open, and an older photosync simply ignores them.
const SYNC_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS remote_copies (
      backend TEXT NOT NULL, remote_id TEXT NOT NULL, md5 TEXT NOT NULL,
      uploaded_at INTEGER NOT NULL, PRIMARY KEY (backend, remote_id)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS remote_copies_md5 ON remote_copies (backend, md5);
    CREATE TABLE IF NOT EXISTS remote_index (
      backend TEXT PRIMARY KEY, newest_upload INTEGER NOT NULL,
      refreshed_at INTEGER NOT NULL, full_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS upload_journal (
      backend TEXT NOT NULL, md5 TEXT NOT NULL, path BLOB NOT NULL,
      started_at INTEGER NOT NULL, finished_at INTEGER, remote_id TEXT,
      date_taken TEXT, PRIMARY KEY (backend, md5)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS refusals (
      backend TEXT NOT NULL, md5 TEXT NOT NULL, message TEXT NOT NULL,
      refused_at INTEGER NOT NULL, PRIMARY KEY (backend, md5)) WITHOUT ROWID;";

/// One photo on a backend, as its index or an upload told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCopy {
    pub remote_id: String,
    pub md5: String,
    /// Unix seconds: the backend's upload date when known, else when we uploaded it.
    pub uploaded_at: i64,
}

/// How far a backend's index has been read (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexState {
    /// The newest upload date read: the next refresh starts a margin before it.
    pub newest_upload: i64,
    /// When the whole index was last read (0: never).
    pub full_at: i64,
}

/// An upload that was started and never recorded as finished: it may or may not have
/// reached the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedUpload {
    pub md5: String,
    pub path: PathBuf,
    pub started_at: i64,
    /// The taken date the upload was to set after it (`YYYY-MM-DD HH:MM:SS`).
    pub date_taken: Option<String>,
    /// Known when the upload is done but what follows it (the date) is not.
    pub remote_id: Option<String>,
}

/// Remote copies, the index state and the upload journal. Every write is its own
/// committed transaction, so a process killed at any moment leaves a consistent record.
impl Catalog {
    /// Every known remote copy on `backend`: MD5 -> remote ids.
    pub fn remote_index(
        &self,
        backend: &str,
    ) -> Result<HashMap<String, Vec<String>>, CatalogError> {
        self.sql(|c| {
            let mut stmt =
                c.prepare("SELECT md5, remote_id FROM remote_copies WHERE backend = ?1")?;
            let rows = stmt.query_map([backend], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut map: HashMap<String, Vec<String>> = HashMap::new();
            for row in rows {
                let (md5, id): (String, String) = row?;
                map.entry(md5).or_default().push(id);
            }
            Ok(map)
        })
    }

    /// Records remote copies seen on `backend` and, when given, the newest upload date
    /// the index has read, in one transaction.
    pub fn record_remote(
        &mut self,
        backend: &str,
        copies: &[RemoteCopy],
        newest_upload: Option<i64>,
    ) -> Result<(), CatalogError> {
        let name = self.name.clone();
        let wrap = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO remote_copies (backend, remote_id, md5, uploaded_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(wrap)?;
            for copy in copies {
                stmt.execute(params![backend, copy.remote_id, copy.md5, copy.uploaded_at])
                    .map_err(wrap)?;
            }
            if let Some(newest) = newest_upload {
                tx.execute(
                    "INSERT INTO remote_index (backend, newest_upload, refreshed_at)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT (backend) DO UPDATE SET
                       newest_upload = max(newest_upload, excluded.newest_upload),
                       refreshed_at = excluded.refreshed_at",
                    params![backend, newest, now_secs()],
                )
                .map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)
    }

    /// How far the index of `backend` has been read, if it ever was.
    pub fn index_state(&self, backend: &str) -> Result<Option<IndexState>, CatalogError> {
        self.sql(|c| {
            c.query_row(
                "SELECT newest_upload, full_at FROM remote_index WHERE backend = ?1",
                [backend],
                |r| {
                    Ok(IndexState {
                        newest_upload: r.get(0)?,
                        full_at: r.get(1)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Ends a full read of the index of `backend`: forgets the copies it did not see
    /// (deleted on the backend, or their tag removed) that were uploaded before
    /// `keep_after` (younger ones may just not be searchable yet), and notes the time.
    /// Returns how many copies were forgotten.
    pub fn finish_full_index(
        &mut self,
        backend: &str,
        seen: &HashSet<String>,
        keep_after: i64,
    ) -> Result<u64, CatalogError> {
        let name = self.name.clone();
        let wrap = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        let gone: Vec<String> = {
            let mut stmt = tx
                .prepare(
                    "SELECT remote_id FROM remote_copies WHERE backend = ?1 AND uploaded_at < ?2",
                )
                .map_err(wrap)?;
            let ids = stmt
                .query_map(params![backend, keep_after], |r| r.get::<_, String>(0))
                .map_err(wrap)?
                .collect::<rusqlite::Result<Vec<String>>>()
                .map_err(wrap)?;
            ids.into_iter().filter(|id| !seen.contains(id)).collect()
        };
        for id in &gone {
            tx.execute(
                "DELETE FROM remote_copies WHERE backend = ?1 AND remote_id = ?2",
                params![backend, id],
            )
            .map_err(wrap)?;
        }
        let now = now_secs();
        tx.execute(
            "INSERT INTO remote_index (backend, newest_upload, refreshed_at, full_at)
             VALUES (?1, 0, ?2, ?2)
             ON CONFLICT (backend) DO UPDATE SET full_at = excluded.full_at",
            params![backend, now],
        )
        .map_err(wrap)?;
        tx.commit().map_err(wrap)?;
        Ok(gone.len() as u64)
    }

    /// Journals an upload as started; call it before the upload is sent. `date_taken`
    /// is the date to set after it, so a recovery can still set it.
    pub fn journal_start(
        &mut self,
        backend: &str,
        md5: &str,
        path: &Path,
        date_taken: Option<&str>,
    ) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO upload_journal
                   (backend, md5, path, started_at, finished_at, remote_id, date_taken)
                 VALUES (?1, ?2, ?3, ?4, NULL, NULL, ?5)",
                params![
                    backend,
                    md5,
                    path.as_os_str().as_bytes(),
                    now_secs(),
                    date_taken
                ],
            )
            .map(|_| ())
        })
    }

    /// Journals an upload as finished and records its remote copy, in one transaction.
    pub fn journal_finish(&mut self, backend: &str, copy: &RemoteCopy) -> Result<(), CatalogError> {
        let name = self.name.clone();
        let wrap = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        tx.execute(
            "INSERT OR REPLACE INTO remote_copies (backend, remote_id, md5, uploaded_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![backend, copy.remote_id, copy.md5, copy.uploaded_at],
        )
        .map_err(wrap)?;
        tx.execute(
            "UPDATE upload_journal SET finished_at = ?3, remote_id = ?4
             WHERE backend = ?1 AND md5 = ?2",
            params![backend, copy.md5, now_secs(), copy.remote_id],
        )
        .map_err(wrap)?;
        tx.commit().map_err(wrap)
    }

    /// Records an upload that reached the backend but still has work to do after it
    /// (setting its taken date): its remote copy is known, its journal entry stays open.
    pub fn journal_uploaded(
        &mut self,
        backend: &str,
        copy: &RemoteCopy,
    ) -> Result<(), CatalogError> {
        let name = self.name.clone();
        let wrap = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        tx.execute(
            "INSERT OR REPLACE INTO remote_copies (backend, remote_id, md5, uploaded_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![backend, copy.remote_id, copy.md5, copy.uploaded_at],
        )
        .map_err(wrap)?;
        tx.execute(
            "UPDATE upload_journal SET remote_id = ?3 WHERE backend = ?1 AND md5 = ?2",
            params![backend, copy.md5, copy.remote_id],
        )
        .map_err(wrap)?;
        tx.commit().map_err(wrap)
    }

    /// Drops a journal entry for an upload known not to have reached the backend.
    pub fn journal_forget(&mut self, backend: &str, md5: &str) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "DELETE FROM upload_journal WHERE backend = ?1 AND md5 = ?2 AND finished_at IS NULL",
                params![backend, md5],
            )
            .map(|_| ())
        })
    }

    /// Remembers that `backend` refused these bytes (file type, size), with its message.
    pub fn record_refusal(
        &mut self,
        backend: &str,
        md5: &str,
        message: &str,
    ) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO refusals (backend, md5, message, refused_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![backend, md5, message, now_secs()],
            )
            .map(|_| ())
        })
    }

    /// What `backend` refused before: MD5 -> its message.
    pub fn refusals(&self, backend: &str) -> Result<HashMap<String, String>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare("SELECT md5, message FROM refusals WHERE backend = ?1")?;
            let rows = stmt.query_map([backend], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
    }

    /// Uploads to `backend` started and never finished (a crash, a kill, a lost answer).
    pub fn journal_unfinished(&self, backend: &str) -> Result<Vec<UnfinishedUpload>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT md5, path, started_at, date_taken, remote_id FROM upload_journal
                 WHERE backend = ?1 AND finished_at IS NULL ORDER BY started_at",
            )?;
            let rows = stmt.query_map([backend], |r| {
                let path: Vec<u8> = r.get(1)?;
                Ok(UnfinishedUpload {
                    md5: r.get(0)?,
                    path: PathBuf::from(std::ffi::OsString::from_vec(path)),
                    started_at: r.get(2)?,
                    date_taken: r.get(3)?,
                    remote_id: r.get(4)?,
                })
            })?;
            rows.collect()
        })
    }
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod sync_table_tests {
    use super::*;

    fn copy(id: &str, md5: &str, at: i64) -> RemoteCopy {
        RemoteCopy {
            remote_id: id.into(),
            md5: md5.into(),
            uploaded_at: at,
        }
    }

    #[test]
    fn remote_copies_and_the_newest_upload_read() {
        let mut cat = Catalog::in_memory().unwrap();
        assert_eq!(cat.index_state("flickr:me").unwrap(), None);
        cat.record_remote(
            "flickr:me",
            &[copy("1", "aa", 10), copy("2", "aa", 20)],
            Some(20),
        )
        .unwrap();
        cat.record_remote("flickr:me", &[copy("3", "bb", 5)], Some(5))
            .unwrap();
        cat.record_remote("other", &[copy("9", "cc", 1)], None)
            .unwrap();
        let index = cat.remote_index("flickr:me").unwrap();
        let mut aa = index["aa"].clone();
        aa.sort();
        assert_eq!(aa, vec!["1", "2"]);
        assert_eq!(index["bb"], vec!["3"]);
        assert!(!index.contains_key("cc"));
        // Never moves back: an incremental refresh may read older photos again.
        let state = cat.index_state("flickr:me").unwrap().unwrap();
        assert_eq!((state.newest_upload, state.full_at), (20, 0));
    }

    #[test]
    fn a_full_index_forgets_old_copies_it_did_not_see() {
        let mut cat = Catalog::in_memory().unwrap();
        cat.record_remote(
            "f",
            &[
                copy("1", "aa", 10),
                copy("2", "bb", 10),
                copy("3", "cc", 99),
            ],
            Some(99),
        )
        .unwrap();
        let seen = HashSet::from(["1".to_string()]);
        assert_eq!(cat.finish_full_index("f", &seen, 50).unwrap(), 1);
        let index = cat.remote_index("f").unwrap();
        assert!(index.contains_key("aa") && index.contains_key("cc"));
        assert!(!index.contains_key("bb"));
        assert!(cat.index_state("f").unwrap().unwrap().full_at > 0);
    }

    #[test]
    fn the_journal_keeps_unfinished_uploads_until_resolved() {
        let mut cat = Catalog::in_memory().unwrap();
        cat.journal_start(
            "f",
            "aa",
            Path::new("/p/a.jpg"),
            Some("2019-05-12 14:30:15"),
        )
        .unwrap();
        cat.journal_start("f", "bb", Path::new("/p/b.jpg"), None)
            .unwrap();
        let unfinished = cat.journal_unfinished("f").unwrap();
        assert_eq!(unfinished.len(), 2);
        assert_eq!(unfinished[0].path, PathBuf::from("/p/a.jpg"));
        assert_eq!(
            unfinished[0].date_taken.as_deref(),
            Some("2019-05-12 14:30:15")
        );

        // Up, but its date not set yet: still open, with its remote id.
        cat.journal_uploaded("f", &copy("7", "aa", 1)).unwrap();
        let open = cat.journal_unfinished("f").unwrap();
        assert_eq!(open[0].remote_id.as_deref(), Some("7"));
        assert_eq!(cat.remote_index("f").unwrap()["aa"], vec!["7"]);

        cat.journal_finish("f", &copy("7", "aa", 1)).unwrap();
        cat.journal_forget("f", "bb").unwrap();
        cat.record_refusal("f", "bb", "Filetype was not recognised")
            .unwrap();
        assert_eq!(
            cat.refusals("f").unwrap()["bb"],
            "Filetype was not recognised"
        );
        assert!(cat.refusals("other").unwrap().is_empty());
        assert!(cat.journal_unfinished("f").unwrap().is_empty());
        assert_eq!(cat.remote_index("f").unwrap()["aa"], vec!["7"]);
    }

    #[test]
    fn a_catalog_file_gains_the_sync_tables_and_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        Catalog::open(&path)
            .unwrap()
            .journal_start("f", "aa", Path::new("/a.jpg"), None)
            .unwrap();
        let again = Catalog::open(&path).unwrap();
        assert_eq!(again.journal_unfinished("f").unwrap().len(), 1);
    }
}
