//! Where each photo an import copied into the library came from: the source file (an
//! old drive's path), the library file it became, and when. The library file itself is
//! recorded like any scanned file (`files`), so the next sync backs it up without
//! reading it again; this table keeps the provenance a person may ask about later.

use super::{now_secs, Catalog, CatalogError};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

/// Added with `IF NOT EXISTS`, as every feature's tables: an older catalog gains it on
/// open, and an older photosync ignores it.
pub(super) const IMPORT_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS imports (
      md5 TEXT NOT NULL, source BLOB NOT NULL, library_path BLOB NOT NULL,
      size INTEGER NOT NULL, imported_at INTEGER NOT NULL,
      PRIMARY KEY (md5, source)) WITHOUT ROWID;
    DROP TABLE IF EXISTS percepts;
    CREATE TABLE IF NOT EXISTS fingerprints (
      md5 TEXT PRIMARY KEY, width INTEGER NOT NULL, height INTEGER NOT NULL,
      hash BLOB NOT NULL, grid BLOB NOT NULL, preview BLOB) WITHOUT ROWID;";

/// What a picture looks like, small ([`crate::import`]'s fingerprint), kept by the MD5
/// of the file's bytes: the same bytes always look the same, so a library photo is
/// decoded once, not at every import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Percept {
    /// The displayed size (EXIF orientation applied), in pixels.
    pub width: u32,
    pub height: u32,
    pub hash: Vec<u8>,
    pub grid: Vec<u8>,
    /// The MD5 of the EXIF preview the fingerprint was taken from; None when it was
    /// taken from the picture itself. A preview is trusted only while no file with other
    /// image data carries the same one (a copied EXIF block carries a stale preview).
    pub preview: Option<Vec<u8>>,
}

/// One imported photo: `source` was copied to `library_path` (both absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub md5: String,
    pub source: PathBuf,
    pub library_path: PathBuf,
    pub size: u64,
    pub imported_at: i64,
}

impl Catalog {
    /// Records one imported photo (`imported_at` is set here).
    pub fn record_import(&mut self, i: &Imported) -> Result<(), CatalogError> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO imports (md5, source, library_path, size, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    i.md5,
                    i.source.as_os_str().as_bytes(),
                    i.library_path.as_os_str().as_bytes(),
                    i.size as i64,
                    now_secs()
                ],
            )
            .map(|_| ())
        })
    }

    /// The fingerprints known for these MD5s.
    pub fn percepts(&self, md5s: &[&str]) -> Result<HashMap<String, Percept>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT width, height, hash, grid, preview FROM fingerprints WHERE md5 = ?1",
            )?;
            let mut out = HashMap::new();
            for md5 in md5s {
                let row = stmt
                    .query_row([md5], |r| {
                        Ok(Percept {
                            width: r.get(0)?,
                            height: r.get(1)?,
                            hash: r.get(2)?,
                            grid: r.get(3)?,
                            preview: r.get(4)?,
                        })
                    })
                    .optional()?;
                if let Some(p) = row {
                    out.insert(md5.to_string(), p);
                }
            }
            Ok(out)
        })
    }

    /// Keeps fingerprints by MD5, in one transaction.
    pub fn record_percepts(&mut self, rows: &[(String, Percept)]) -> Result<(), CatalogError> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO fingerprints (md5, width, height, hash, grid, preview)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (md5, p) in rows {
                stmt.execute(params![md5, p.width, p.height, p.hash, p.grid, p.preview])?;
            }
            Ok(())
        })
    }

    /// Every imported photo, oldest first.
    pub fn imports(&self) -> Result<Vec<Imported>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT md5, source, library_path, size, imported_at FROM imports
                 ORDER BY imported_at, source",
            )?;
            let rows = stmt.query_map([], |r| {
                let path = |b: Vec<u8>| PathBuf::from(OsString::from_vec(b));
                Ok(Imported {
                    md5: r.get(0)?,
                    source: path(r.get(1)?),
                    library_path: path(r.get(2)?),
                    size: r.get::<_, i64>(3)? as u64,
                    imported_at: r.get(4)?,
                })
            })?;
            rows.collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_is_remembered_with_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        let source = PathBuf::from(OsString::from_vec(b"/old/caf\xe9.jpg".to_vec()));
        Catalog::open(&path)
            .unwrap()
            .record_import(&Imported {
                md5: "aa".into(),
                source: source.clone(),
                library_path: "/lib/2019/caf.jpg".into(),
                size: 3,
                imported_at: 0,
            })
            .unwrap();
        let all = Catalog::open(&path).unwrap().imports().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].source, source);
        assert_eq!(all[0].size, 3);
        assert!(all[0].imported_at > 0);
    }
}
