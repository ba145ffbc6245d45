//! What Google Photos sync keeps besides the remote copies: the journal of upload tokens
//! (a token lives a day, so a run that died reuses young ones instead of sending the bytes
//! again, and a token sent in a batchCreate whose answer was lost is resolved before its
//! photo is tried again), and the requests spent per Pacific day against the daily quota.

use super::{Catalog, CatalogError};
use rusqlite::params;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

pub(super) const GPHOTOS_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS gphotos_tokens (
      backend TEXT NOT NULL, md5 TEXT NOT NULL, token TEXT NOT NULL, path BLOB NOT NULL,
      created_at INTEGER NOT NULL, sent_at INTEGER,
      PRIMARY KEY (backend, md5)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS gphotos_quota (
      backend TEXT NOT NULL, day INTEGER NOT NULL, used INTEGER NOT NULL,
      PRIMARY KEY (backend, day)) WITHOUT ROWID;";

/// An upload token not yet turned into a media item (as far as the catalog knows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadTokenEntry {
    pub md5: String,
    pub token: String,
    pub path: PathBuf,
    /// Unix seconds on Google's clock.
    pub created_at: i64,
    /// Set when a batchCreate carrying the token was sent: its outcome may be unknown.
    pub sent_at: Option<i64>,
}

impl Catalog {
    pub fn gphotos_token_record(
        &mut self,
        backend: &str,
        md5: &str,
        token: &str,
        path: &Path,
        created_at: i64,
    ) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO gphotos_tokens (backend, md5, token, path, created_at, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
                params![backend, md5, token, path.as_os_str().as_bytes(), created_at],
            )
            .map(|_| ())
        })
    }

    pub fn gphotos_tokens(&self, backend: &str) -> Result<Vec<UploadTokenEntry>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT md5, token, path, created_at, sent_at FROM gphotos_tokens
                 WHERE backend = ?1 ORDER BY created_at, md5",
            )?;
            let rows = stmt.query_map([backend], |r| {
                Ok(UploadTokenEntry {
                    md5: r.get(0)?,
                    token: r.get(1)?,
                    path: PathBuf::from(std::ffi::OsString::from_vec(r.get(2)?)),
                    created_at: r.get(3)?,
                    sent_at: r.get(4)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Marks tokens as sent in a batchCreate, before it is sent.
    pub fn gphotos_tokens_sent(
        &mut self,
        backend: &str,
        md5s: &[String],
        at: i64,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE gphotos_tokens SET sent_at = ?3 WHERE backend = ?1 AND md5 = ?2",
            )?;
            for md5 in md5s {
                stmt.execute(params![backend, md5, at])?;
            }
            Ok(())
        })
    }

    /// Records the media item made from `md5` and closes its token, together.
    pub fn gphotos_created(
        &mut self,
        backend: &str,
        md5: &str,
        item_id: &str,
        at: i64,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO remote_copies (backend, remote_id, md5, uploaded_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![backend, item_id, md5, at],
            )?;
            tx.execute(
                "DELETE FROM gphotos_tokens WHERE backend = ?1 AND md5 = ?2",
                params![backend, md5],
            )?;
            Ok(())
        })
    }

    pub fn gphotos_token_forget(&mut self, backend: &str, md5: &str) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "DELETE FROM gphotos_tokens WHERE backend = ?1 AND md5 = ?2",
                params![backend, md5],
            )
            .map(|_| ())
        })
    }

    /// Requests spent on `day` (days since the epoch, Pacific).
    pub fn gphotos_quota_used(&self, backend: &str, day: i64) -> Result<u64, CatalogError> {
        self.sql(|c| {
            let used: Option<i64> = c
                .query_row(
                    "SELECT used FROM gphotos_quota WHERE backend = ?1 AND day = ?2",
                    params![backend, day],
                    |r| r.get(0),
                )
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
            Ok(used.unwrap_or(0).max(0) as u64)
        })
    }

    /// Sets the requests spent on `day` to at least `used`; older days are dropped.
    pub fn gphotos_quota_set(
        &mut self,
        backend: &str,
        day: i64,
        used: u64,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO gphotos_quota (backend, day, used) VALUES (?1, ?2, ?3)
                 ON CONFLICT (backend, day) DO UPDATE SET used = max(used, excluded.used)",
                params![backend, day, used as i64],
            )?;
            tx.execute(
                "DELETE FROM gphotos_quota WHERE backend = ?1 AND day < ?2",
                params![backend, day - 1],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_live_until_their_item_is_recorded_and_the_quota_counts_per_day() {
        let mut cat = Catalog::in_memory().unwrap();
        cat.gphotos_token_record("g", "aa", "T1", Path::new("/a.jpg"), 100)
            .unwrap();
        cat.gphotos_token_record("g", "bb", "T2", Path::new("/b.jpg"), 101)
            .unwrap();
        cat.gphotos_tokens_sent("g", &["aa".into()], 150).unwrap();
        let tokens = cat.gphotos_tokens("g").unwrap();
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[0].sent_at, Some(150));
        assert_eq!(tokens[1].sent_at, None);
        cat.gphotos_created("g", "aa", "ITEM", 160).unwrap();
        cat.gphotos_token_forget("g", "bb").unwrap();
        assert!(cat.gphotos_tokens("g").unwrap().is_empty());
        assert_eq!(cat.remote_index("g").unwrap()["aa"], vec!["ITEM"]);

        cat.gphotos_quota_set("g", 10, 40).unwrap();
        cat.gphotos_quota_set("g", 10, 30).unwrap();
        assert_eq!(cat.gphotos_quota_used("g", 10).unwrap(), 40);
        assert_eq!(cat.gphotos_quota_used("g", 11).unwrap(), 0);
        assert_eq!(cat.gphotos_quota_used("other", 10).unwrap(), 0);
    }
}
