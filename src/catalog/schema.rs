//! The catalog's schema version and the migrations from older ones: each version
//! adds columns to tables an older photosync created.

use super::{Catalog, CatalogError};
use rusqlite::OptionalExtension;

/// 2: the files table gained the date facts (modify date, EXIF version, serial, problem).
/// 3: files and remote_copies gained the image-data MD5 (`imgmd5`).
/// 4: files gained `damaged`, why a file's format says it is cut short.
pub(super) const SCHEMA_VERSION: i64 = 4;
/// The mtime of a row whose file must be read again by the next scan.
pub(super) const STALE_MTIME: i64 = i64::MIN;

impl Catalog {
    /// Brings a catalog of an older schema up to this one, or records the schema of a
    /// new one; refuses one written by a newer photosync.
    pub(super) fn migrate(&mut self) -> Result<(), CatalogError> {
        let found: Option<i64> = self.sql(|c| {
            c.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
        })?;
        match found {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(CatalogError::TooNew {
                    path: self.name.clone(),
                    found: v,
                })
            }
            Some(v) => {
                if v < 2 {
                    self.migrate_1_to_2()?;
                }
                if v < 3 {
                    self.migrate_2_to_3()?;
                }
                if v < 4 {
                    self.migrate_3_to_4()?;
                }
            }
            None => self.sql(|c| {
                c.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                    [SCHEMA_VERSION],
                )
                .map(|_| ())
            })?,
        }
        Ok(())
    }

    /// Schema 1 to 2: the date facts' columns. Rows written before stay NULL there (the
    /// checks that need them skip such photos) until their file changes and is read again:
    /// re-reading a whole library for them would cost a full re-hash.
    fn migrate_1_to_2(&self) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute_batch(
                "BEGIN;
                 ALTER TABLE files ADD COLUMN modify_secs INTEGER;
                 ALTER TABLE files ADD COLUMN exif_version TEXT;
                 ALTER TABLE files ADD COLUMN serial TEXT;
                 ALTER TABLE files ADD COLUMN date_problem TEXT;
                 UPDATE meta SET value = 2 WHERE key = 'schema';
                 COMMIT;",
            )
        })
    }

    /// Schema 2 to 3: the image-data MD5 of files and of remote copies. Unlike the date
    /// facts of 1 to 2, a JPEG without one cannot wait until it changes: an exiftool edit
    /// is exactly such a change, and its upload would then not be recognised (its copy on
    /// Flickr never got the image-data tag). So the JPEGs recorded before are marked
    /// stale (an mtime no file has) and the next scan reads them once more. Remote copies
    /// gain theirs on the next full index read (a month) or when sync tags them.
    fn migrate_2_to_3(&mut self) -> Result<(), CatalogError> {
        self.write(|tx| {
            // A table this open created (a catalog older than sync) has the column already.
            for table in ["files", "remote_copies"] {
                let has: bool = tx.query_row(
                    "SELECT count(*) FROM pragma_table_info(?1) WHERE name = 'imgmd5'",
                    [table],
                    |r| r.get::<_, i64>(0).map(|n| n > 0),
                )?;
                if !has {
                    tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN imgmd5 TEXT"))?;
                }
            }
            tx.execute(
                "UPDATE files SET mtime_ns = ?1 WHERE kind = 'jpeg' AND imgmd5 IS NULL",
                [STALE_MTIME],
            )?;
            tx.execute("UPDATE meta SET value = 3 WHERE key = 'schema'", [])
                .map(|_| ())
        })
    }

    /// Schema 3 to 4: the damage flag. JPEGs without an image-data MD5 (a cut JPEG has
    /// none) and PNGs are read again by the next scan: they are few and small. Videos
    /// recorded before are checked when they change, as re-reading every video of a
    /// library would cost hours.
    fn migrate_3_to_4(&mut self) -> Result<(), CatalogError> {
        self.write(|tx| {
            let has: bool = tx.query_row(
                "SELECT count(*) FROM pragma_table_info('files') WHERE name = 'damaged'",
                [],
                |r| r.get::<_, i64>(0).map(|n| n > 0),
            )?;
            if !has {
                tx.execute_batch("ALTER TABLE files ADD COLUMN damaged TEXT")?;
            }
            tx.execute(
                "UPDATE files SET mtime_ns = ?1
                 WHERE (kind = 'jpeg' AND imgmd5 IS NULL) OR kind = 'png'",
                [STALE_MTIME],
            )?;
            tx.execute("UPDATE meta SET value = 4 WHERE key = 'schema'", [])
                .map(|_| ())
        })
    }
}
