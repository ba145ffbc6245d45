//! Which corrected taken-dates were pushed to which remote copy, so a second
//! `photosync dates --apply` makes no call for a date already set.

use super::{now_secs, Catalog, CatalogError};
use rusqlite::{params, OptionalExtension};

pub(super) const TABLES: &str = "
    CREATE TABLE IF NOT EXISTS date_fixes (
      backend TEXT NOT NULL, remote_id TEXT NOT NULL, date_taken TEXT NOT NULL,
      granularity INTEGER NOT NULL, applied_at INTEGER NOT NULL,
      PRIMARY KEY (backend, remote_id)) WITHOUT ROWID;";

/// A taken-date as sent with flickr.photos.setDates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedDate {
    pub date_taken: String,
    pub granularity: u8,
}

impl Catalog {
    /// The date last applied to `remote_id` on `backend`, if any.
    pub fn applied_date(
        &self,
        backend: &str,
        remote_id: &str,
    ) -> Result<Option<AppliedDate>, CatalogError> {
        self.sql(|c| {
            c.query_row(
                "SELECT date_taken, granularity FROM date_fixes
                 WHERE backend = ?1 AND remote_id = ?2",
                params![backend, remote_id],
                |r| {
                    Ok(AppliedDate {
                        date_taken: r.get(0)?,
                        granularity: r.get(1)?,
                    })
                },
            )
            .optional()
        })
    }

    pub fn record_applied_date(
        &mut self,
        backend: &str,
        remote_id: &str,
        date: &AppliedDate,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO date_fixes
                   (backend, remote_id, date_taken, granularity, applied_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    backend,
                    remote_id,
                    date.date_taken,
                    date.granularity,
                    now_secs()
                ],
            )
            .map(|_| ())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::DateFacts;
    use crate::library::photo::Photo;
    use std::path::{Path, PathBuf};

    #[test]
    fn applied_dates_are_remembered_per_copy() {
        let mut cat = Catalog::in_memory().unwrap();
        assert_eq!(cat.applied_date("flickr:me", "1").unwrap(), None);
        let date = AppliedDate {
            date_taken: "2001-02-03 04:05:06".into(),
            granularity: 4,
        };
        cat.record_applied_date("flickr:me", "1", &date).unwrap();
        assert_eq!(cat.applied_date("flickr:me", "1").unwrap(), Some(date));
        assert_eq!(cat.applied_date("flickr:me", "2").unwrap(), None);
        assert_eq!(cat.applied_date("other", "1").unwrap(), None);
    }

    /// A catalog as photosync with schema 1 wrote it, with one file in it.
    fn schema_1_catalog(path: &Path) {
        let c = rusqlite::Connection::open(path).unwrap();
        c.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
             INSERT INTO meta VALUES ('schema', 1);
             CREATE TABLE files (
               path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
               inode INTEGER NOT NULL, kind TEXT NOT NULL, md5 TEXT NOT NULL,
               taken_secs INTEGER NOT NULL, taken_nanos INTEGER NOT NULL,
               taken_offset INTEGER, taken_source TEXT NOT NULL,
               make TEXT, model TEXT, width INTEGER, height INTEGER, orientation INTEGER,
               error TEXT);
             INSERT INTO files VALUES (X'2F6C69622F612E6A7067', 10, 5, 1, 'jpeg',
               'aa', 915148800, 0, NULL, 'exif', 'SANYO', 'SR6', NULL, NULL, NULL, NULL);",
        )
        .unwrap();
    }

    #[test]
    fn a_schema_1_catalog_gains_the_date_imgmd5_and_damage_columns_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        schema_1_catalog(&path);
        let mut cat = Catalog::open(&path).unwrap();
        let files = cat.files_under(Path::new("/lib")).unwrap();
        let old = &files[Path::new("/lib/a.jpg")];
        assert_eq!(old.model.as_deref(), Some("SR6"));
        assert_eq!(old.date_facts, DateFacts::default());
        assert_eq!(old.imgmd5, None);
        assert_eq!(
            old.mtime_ns,
            i64::MIN,
            "a JPEG without imgmd5 is read again"
        );

        let facts = DateFacts {
            modify_date: chrono::DateTime::from_timestamp(915_000_000, 0).map(|d| d.naive_utc()),
            exif_version: Some("0200".into()),
            serial: Some("S1".into()),
            problem: Some("DateTimeOriginal is blank".into()),
        };
        cat.record(&[Photo {
            path: PathBuf::from("/lib/b.jpg"),
            date_facts: facts.clone(),
            imgmd5: Some("bb".into()),
            damaged: Some("cut short".into()),
            ..old.clone()
        }])
        .unwrap();
        drop(cat);
        let again = Catalog::open(&path).unwrap();
        let files = again.files_under(Path::new("/lib")).unwrap();
        assert_eq!(files[Path::new("/lib/b.jpg")].date_facts, facts);
        assert_eq!(files[Path::new("/lib/b.jpg")].imgmd5.as_deref(), Some("bb"));
        let damaged = files[Path::new("/lib/b.jpg")].damaged.as_deref();
        assert_eq!(damaged, Some("cut short"));
        let version: i64 = again
            .sql(|c| {
                c.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                    r.get(0)
                })
            })
            .unwrap();
        assert_eq!(version, 4);
    }
}
