//! Copies whose bytes differ from the photo's on purpose (an archive copy with a
//! corrected date written into it): the photo's MD5 stays the copy's name in
//! `remote_copies`, so the photo is recognised and never copied again, and the copy's
//! own MD5 is kept here, so that verify can still tell a sound copy from a corrupted one.

use super::remote::insert_copy;
use super::{Catalog, CatalogError, RemoteCopy};
use rusqlite::params;
use std::collections::HashMap;

pub(super) const TABLES: &str = "
    CREATE TABLE IF NOT EXISTS altered_copies (
      backend TEXT NOT NULL, remote_id TEXT NOT NULL, stored_md5 TEXT NOT NULL,
      PRIMARY KEY (backend, remote_id)) WITHOUT ROWID;";

/// A remote copy and, when its bytes are not the photo's, the MD5 of its own bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCopy {
    pub copy: RemoteCopy,
    pub stored_md5: Option<String>,
}

impl Catalog {
    /// Records copies on `backend` with what they hold, each with its altered-bytes
    /// MD5 in the same transaction (a kill never leaves one without the other).
    pub fn record_stored(
        &mut self,
        backend: &str,
        copies: &[StoredCopy],
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            let mut altered = tx.prepare_cached(
                "INSERT OR REPLACE INTO altered_copies (backend, remote_id, stored_md5)
                 VALUES (?1, ?2, ?3)",
            )?;
            let mut plain = tx.prepare_cached(
                "DELETE FROM altered_copies WHERE backend = ?1 AND remote_id = ?2",
            )?;
            for StoredCopy { copy, stored_md5 } in copies {
                insert_copy(tx, backend, copy)?;
                match stored_md5 {
                    Some(md5) => altered.execute(params![backend, copy.remote_id, md5])?,
                    None => plain.execute(params![backend, copy.remote_id])?,
                };
            }
            Ok(())
        })
    }

    /// remote id -> the MD5 of its bytes, for the copies on `backend` that differ from
    /// their photo.
    pub fn altered_copies(&self, backend: &str) -> Result<HashMap<String, String>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT a.remote_id, a.stored_md5 FROM altered_copies a
                 JOIN remote_copies r ON r.backend = a.backend AND r.remote_id = a.remote_id
                 WHERE a.backend = ?1",
            )?;
            let rows = stmt.query_map([backend], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str, md5: &str, own: Option<&str>) -> StoredCopy {
        StoredCopy {
            copy: RemoteCopy {
                remote_id: id.into(),
                md5: md5.into(),
                uploaded_at: 1,
                imgmd5: None,
            },
            stored_md5: own.map(Into::into),
        }
    }

    #[test]
    fn the_photo_md5_names_the_copy_and_its_own_md5_is_kept_apart() {
        let mut cat = Catalog::in_memory().unwrap();
        cat.record_stored(
            "archive:/a",
            &[
                stored("x.jpg", "aa", Some("bb")),
                stored("y.jpg", "cc", None),
            ],
        )
        .unwrap();
        let index = cat.remote_index("archive:/a").unwrap();
        assert_eq!(index["aa"], vec!["x.jpg".to_string()]);
        assert_eq!(index["cc"], vec!["y.jpg".to_string()]);
        let altered = cat.altered_copies("archive:/a").unwrap();
        assert_eq!(altered.len(), 1);
        assert_eq!(altered["x.jpg"], "bb");
        // Recorded again as a plain copy, it is no longer altered.
        cat.record_stored("archive:/a", &[stored("x.jpg", "aa", None)])
            .unwrap();
        assert!(cat.altered_copies("archive:/a").unwrap().is_empty());
        assert!(cat.altered_copies("archive:/other").unwrap().is_empty());
    }
}
