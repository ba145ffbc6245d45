//! The last inventory of each import source, for the HTML report: its counts, and each
//! smaller-copy decision with a small picture of both sides (made at import time, while
//! the old drive is mounted: the report may be written long after it is gone).

use super::{now_secs, Catalog, CatalogError};
use rusqlite::params;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

/// Added with `IF NOT EXISTS`, as every feature's tables. A source's rows are replaced by
/// its next import.
pub(super) const INVENTORY_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS import_sources (
      source BLOB PRIMARY KEY, library BLOB NOT NULL, run_at INTEGER NOT NULL,
      dry_run INTEGER NOT NULL, counts TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS import_smaller (
      source BLOB NOT NULL, path BLOB NOT NULL, kept BLOB NOT NULL,
      kept_in_library INTEGER NOT NULL, size TEXT NOT NULL, kept_size TEXT NOT NULL,
      imported INTEGER NOT NULL, thumb BLOB, kept_thumb BLOB,
      PRIMARY KEY (source, path)) WITHOUT ROWID;";

/// One source's last inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInventory {
    pub source: PathBuf,
    pub library: PathBuf,
    pub run_at: i64,
    pub dry_run: bool,
    /// `[(name, count)]` in the report's order (files, new, in_library, ...).
    pub counts: Vec<(String, u64)>,
    pub smaller: Vec<SmallerShown>,
}

/// A smaller-copy decision as the report shows it: both pictures, small (JPEG bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallerShown {
    pub path: PathBuf,
    pub kept: PathBuf,
    pub kept_in_library: bool,
    pub size: String,
    pub kept_size: String,
    pub imported: bool,
    pub thumb: Option<Vec<u8>>,
    pub kept_thumb: Option<Vec<u8>>,
}

fn path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(OsString::from_vec(b))
}

impl Catalog {
    /// Replaces the inventory of `inv.source` (`run_at` is set here).
    pub fn record_inventory(&mut self, inv: &SourceInventory) -> Result<(), CatalogError> {
        let counts = serde_json::to_string(&inv.counts).unwrap_or_default();
        self.write(|tx| {
            let source = inv.source.as_os_str().as_bytes();
            tx.execute("DELETE FROM import_smaller WHERE source = ?1", [source])?;
            tx.execute(
                "INSERT OR REPLACE INTO import_sources (source, library, run_at, dry_run, counts)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![source, inv.library.as_os_str().as_bytes(), now_secs(), inv.dry_run, counts],
            )?;
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO import_smaller (source, path, kept, kept_in_library, size,
                 kept_size, imported, thumb, kept_thumb) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for s in &inv.smaller {
                stmt.execute(params![
                    source,
                    s.path.as_os_str().as_bytes(),
                    s.kept.as_os_str().as_bytes(),
                    s.kept_in_library,
                    s.size,
                    s.kept_size,
                    s.imported,
                    s.thumb,
                    s.kept_thumb
                ])?;
            }
            Ok(())
        })
    }

    /// The last inventory of every source, newest first.
    pub fn inventories(&self) -> Result<Vec<SourceInventory>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT source, library, run_at, dry_run, counts FROM import_sources
                 ORDER BY run_at DESC, source",
            )?;
            let mut small = c.prepare(
                "SELECT path, kept, kept_in_library, size, kept_size, imported, thumb, kept_thumb
                 FROM import_smaller WHERE source = ?1 ORDER BY path",
            )?;
            let rows = stmt.query_map([], |r| {
                let counts: String = r.get(4)?;
                Ok(SourceInventory {
                    source: path(r.get(0)?),
                    library: path(r.get(1)?),
                    run_at: r.get(2)?,
                    dry_run: r.get(3)?,
                    counts: serde_json::from_str(&counts).unwrap_or_default(),
                    smaller: Vec::new(),
                })
            })?;
            let mut out: Vec<SourceInventory> = rows.collect::<Result<_, _>>()?;
            for inv in &mut out {
                let rows = small.query_map([inv.source.as_os_str().as_bytes()], |r| {
                    Ok(SmallerShown {
                        path: path(r.get(0)?),
                        kept: path(r.get(1)?),
                        kept_in_library: r.get(2)?,
                        size: r.get(3)?,
                        kept_size: r.get(4)?,
                        imported: r.get(5)?,
                        thumb: r.get(6)?,
                        kept_thumb: r.get(7)?,
                    })
                })?;
                inv.smaller = rows.collect::<Result<_, _>>()?;
            }
            Ok(out)
        })
    }
}
