//! The catalog: one SQLite file that remembers every media file seen (path, size,
//! mtime, inode, MD5, metadata), so that a file whose size and mtime did not change is
//! never read again. For sync it also keeps every known remote copy (backend, remote
//! id, MD5), how far each backend's index was read, the journal of started uploads,
//! and the files a backend refused.
//!
//! This module owns the connection, the schema and the error mapping; the queries
//! live by concern in `files`, `remote` and `journal`.

mod albums;
mod altered;
mod backup;
mod date_fixes;
mod error;
mod existing;
mod files;
mod gphotos;
mod imports;
mod inventory;
mod journal;
mod lost;
mod remote;
mod restores;
mod run;
mod schema;
mod status;

pub use albums::AlbumPart;
pub use altered::StoredCopy;
pub use date_fixes::AppliedDate;
pub use error::CatalogError;
pub use gphotos::UploadTokenEntry;
pub use imports::{Imported, Percept};
pub use inventory::{SmallerShown, SourceInventory};
pub use journal::UnfinishedUpload;
pub use lost::LostCopy;
pub use remote::{IndexState, RemoteCopy};
pub use status::CopyState;

use rusqlite::Connection;
use schema::SCHEMA_VERSION;
use std::path::{Path, PathBuf};

pub struct Catalog {
    conn: Connection,
    name: String,
    /// The file; None in memory.
    path: Option<PathBuf>,
    /// Held by a run that writes (see `run`); declared last so the connection closes
    /// before the lock is released.
    run_lock: Option<crate::engine::RunLock>,
    /// Opened by [`Catalog::open_existing`]: the scan cache is not written.
    read_only: bool,
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
        let mut cat = Self::init(conn, name)?;
        cat.path = Some(path.to_path_buf());
        Ok(cat)
    }

    /// The catalog at `path`, or one that lives for this call only when there is none.
    pub fn open_or_memory(path: Option<&Path>) -> Result<Self, CatalogError> {
        match path {
            Some(p) => Self::open(p),
            None => Self::in_memory(),
        }
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
        let mut cat = Catalog {
            conn,
            name,
            path: None,
            run_lock: None,
            read_only: false,
        };
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
                   error TEXT, modify_secs INTEGER, exif_version TEXT, serial TEXT,
                   date_problem TEXT, imgmd5 TEXT, damaged TEXT);
                 CREATE INDEX IF NOT EXISTS files_md5 ON files (md5);",
            )
        })?;
        cat.sql(|c| c.execute_batch(SYNC_TABLES))?;
        cat.sql(|c| c.execute_batch(date_fixes::TABLES))?;
        cat.sql(|c| c.execute_batch(altered::TABLES))?;
        cat.sql(|c| c.execute_batch(albums::ALBUM_TABLES))?;
        cat.sql(|c| c.execute_batch(gphotos::GPHOTOS_TABLES))?;
        cat.sql(|c| c.execute_batch(restores::RESTORE_TABLES))?;
        cat.sql(|c| c.execute_batch(status::CHECK_TABLES))?;
        cat.sql(|c| c.execute_batch(lost::LOST_TABLES))?;
        cat.sql(|c| c.execute_batch(imports::IMPORT_TABLES))?;
        cat.sql(|c| c.execute_batch(inventory::INVENTORY_TABLES))?;
        cat.migrate()?;
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

    /// Runs `f` in one committed transaction: a failure anywhere (including the
    /// commit) drops the transaction, which rolls it back, so a write is all or nothing.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, CatalogError> {
        let Catalog { conn, name, .. } = self;
        let run = || {
            let tx = conn.transaction()?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        })
    }
}

/// Tables of the sync engine. Added with `IF NOT EXISTS`: an older catalog gains them
/// on open, and an older photosync simply ignores them.
const SYNC_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS remote_copies (
      backend TEXT NOT NULL, remote_id TEXT NOT NULL, md5 TEXT NOT NULL,
      uploaded_at INTEGER NOT NULL, imgmd5 TEXT,
      PRIMARY KEY (backend, remote_id)) WITHOUT ROWID;
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

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod sync_table_tests {
    use super::*;
    use std::collections::HashSet;

    fn copy(id: &str, md5: &str, at: i64) -> RemoteCopy {
        RemoteCopy {
            remote_id: id.into(),
            md5: md5.into(),
            uploaded_at: at,
            imgmd5: None,
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
