//! What restore needs from the catalog: which photos were restored where (so a photo
//! without a checksum tag is not downloaded again), which photos a folder once
//! held (for `--only-missing`: uploads from it and files seen in it), and the library
//! folders that were synced (so a restore puts each photo back at its path in them).

use super::{now_secs, Catalog, CatalogError};
use rusqlite::params;
use std::collections::HashMap;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

pub(super) const RESTORE_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS restores (
      backend TEXT NOT NULL, remote_id TEXT NOT NULL, md5 TEXT NOT NULL, path BLOB NOT NULL,
      restored_at INTEGER NOT NULL, PRIMARY KEY (backend, remote_id)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS libraries (
      root BLOB PRIMARY KEY, synced_at INTEGER NOT NULL) WITHOUT ROWID;";

impl Catalog {
    /// Records `root` (canonical) as a library folder that a sync backed up.
    pub fn record_library(&mut self, root: &Path) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO libraries (root, synced_at) VALUES (?1, ?2)",
                params![root.as_os_str().as_bytes(), now_secs()],
            )
            .map(|_| ())
        })
    }

    /// The library folders syncs backed up, in path order.
    pub fn libraries(&self) -> Result<Vec<PathBuf>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare("SELECT root FROM libraries ORDER BY root")?;
            let rows = stmt.query_map([], |r| {
                let root: Vec<u8> = r.get(0)?;
                Ok(PathBuf::from(std::ffi::OsString::from_vec(root)))
            })?;
            rows.collect()
        })
    }

    pub fn record_restore(
        &mut self,
        backend: &str,
        remote_id: &str,
        md5: &str,
        path: &Path,
    ) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO restores (backend, remote_id, md5, path, restored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    backend,
                    remote_id,
                    md5,
                    path.as_os_str().as_bytes(),
                    now_secs()
                ],
            )
            .map(|_| ())
        })
    }

    /// Remote id -> (MD5, path) of every photo restored from `backend`.
    pub fn restores(
        &self,
        backend: &str,
    ) -> Result<HashMap<String, (String, PathBuf)>, CatalogError> {
        self.sql(|c| {
            let mut stmt =
                c.prepare("SELECT remote_id, md5, path FROM restores WHERE backend = ?1")?;
            let rows = stmt.query_map([backend], |r| {
                let path: Vec<u8> = r.get(2)?;
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, String>(1)?,
                        PathBuf::from(std::ffi::OsString::from_vec(path)),
                    ),
                ))
            })?;
            rows.collect()
        })
    }

    /// Path -> MD5 of every finished upload whose file was under `root`.
    pub fn uploads_under(&self, root: &Path) -> Result<HashMap<PathBuf, String>, CatalogError> {
        self.sql(|c| {
            let mut stmt =
                c.prepare("SELECT path, md5 FROM upload_journal WHERE finished_at IS NOT NULL")?;
            let rows = stmt.query_map([], |r| {
                let path: Vec<u8> = r.get(0)?;
                Ok((
                    PathBuf::from(std::ffi::OsString::from_vec(path)),
                    r.get::<_, String>(1)?,
                ))
            })?;
            let mut out = HashMap::new();
            for row in rows {
                let (path, md5) = row?;
                if path.starts_with(root) {
                    out.insert(path, md5);
                }
            }
            Ok(out)
        })
    }
}
