//! Copies found lost: a remote copy that verify or a full index read no longer finds
//! (deleted on Flickr or in Google Photos, removed from the archive) or whose bytes
//! changed. Forgetting one takes it out of every table that counts it as a copy, in the
//! same transaction that records what was lost and when; the record stays, so the run
//! that makes the copy again can say "healed" once, and a user can see what happened.

use super::{now_secs, Catalog, CatalogError};
use rusqlite::{params, Transaction};

pub(super) const LOST_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS lost_copies (
      backend TEXT NOT NULL, remote_id TEXT NOT NULL, md5 TEXT NOT NULL,
      why TEXT NOT NULL, lost_at INTEGER NOT NULL, healed_at INTEGER,
      PRIMARY KEY (backend, remote_id, lost_at)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS lost_copies_open ON lost_copies (backend, healed_at);";

/// A copy the catalog forgot, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostCopy {
    pub remote_id: String,
    /// The photo's MD5 (what the copy should have held).
    pub md5: String,
    /// `missing`, or `changed` (its bytes are not the photo's any more).
    pub why: String,
    /// Unix seconds.
    pub lost_at: i64,
}

impl Catalog {
    /// Forgets these copies of `backend` and records them as lost, all or nothing.
    /// Returns how many the catalog still held.
    pub fn forget_lost(
        &mut self,
        backend: &str,
        lost: &[(String, String, &str)],
    ) -> Result<u64, CatalogError> {
        self.write(|tx| {
            let mut n = 0;
            for (remote_id, md5, why) in lost {
                n += forget_in(tx, backend, remote_id, md5, why)?;
            }
            Ok(n)
        })
    }

    /// Copies of `backend` forgotten and not made again yet, oldest first.
    pub fn lost_open(&self, backend: &str) -> Result<Vec<LostCopy>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT remote_id, md5, why, lost_at FROM lost_copies
                 WHERE backend = ?1 AND healed_at IS NULL ORDER BY lost_at, remote_id",
            )?;
            let rows = stmt.query_map([backend], |r| {
                Ok(LostCopy {
                    remote_id: r.get(0)?,
                    md5: r.get(1)?,
                    why: r.get(2)?,
                    lost_at: r.get(3)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Marks as healed the open losses of `backend` whose photo has a copy there again;
    /// returns how many photos that makes (each counted once, on the run that healed it).
    pub fn settle_lost(&mut self, backend: &str) -> Result<u64, CatalogError> {
        self.write(|tx| {
            let healed = tx.query_row(
                "SELECT count(DISTINCT md5) FROM lost_copies l WHERE backend = ?1
                   AND healed_at IS NULL AND EXISTS (SELECT 1 FROM remote_copies r
                   WHERE r.backend = l.backend AND r.md5 = l.md5)",
                [backend],
                |r| r.get::<_, i64>(0),
            )?;
            tx.execute(
                "UPDATE lost_copies SET healed_at = ?2 WHERE backend = ?1 AND healed_at IS NULL
                   AND EXISTS (SELECT 1 FROM remote_copies r
                   WHERE r.backend = lost_copies.backend AND r.md5 = lost_copies.md5)",
                params![backend, now_secs()],
            )?;
            Ok(healed as u64)
        })
    }

    /// A loss that was not one (the copy turned up: a search lagged behind an upload):
    /// its open record goes, and the copy is counted again by whoever records it.
    pub fn lost_withdraw(&mut self, backend: &str, md5: &str) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "DELETE FROM lost_copies WHERE backend = ?1 AND md5 = ?2 AND healed_at IS NULL",
                params![backend, md5],
            )
            .map(|_| ())
        })
    }

    /// Open losses of every backend: (backend, MD5), for status.
    pub fn all_lost_open(&self) -> Result<Vec<(String, String)>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT DISTINCT backend, md5 FROM lost_copies WHERE healed_at IS NULL
                 ORDER BY backend, md5",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
    }
}

/// Forgets one copy inside `tx`: out of the copies, their checks, altered bytes and album
/// memberships, and into the lost record. 0 when the catalog did not hold it.
pub(super) fn forget_in(
    tx: &Transaction<'_>,
    backend: &str,
    remote_id: &str,
    md5: &str,
    why: &str,
) -> rusqlite::Result<u64> {
    let held = tx.execute(
        "DELETE FROM remote_copies WHERE backend = ?1 AND remote_id = ?2",
        params![backend, remote_id],
    )?;
    if held == 0 {
        return Ok(0);
    }
    for table in ["checks", "altered_copies", "album_members"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE backend = ?1 AND remote_id = ?2"),
            params![backend, remote_id],
        )?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO lost_copies (backend, remote_id, md5, why, lost_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![backend, remote_id, md5, why, now_secs()],
    )?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RemoteCopy;

    fn copy(id: &str, md5: &str) -> RemoteCopy {
        RemoteCopy {
            remote_id: id.into(),
            md5: md5.into(),
            uploaded_at: 1,
            imgmd5: None,
        }
    }

    #[test]
    fn a_lost_copy_is_forgotten_recorded_and_healed_once() {
        let mut cat = Catalog::in_memory().unwrap();
        cat.record_remote("f", &[copy("1", "aa"), copy("2", "bb")], None)
            .unwrap();
        cat.record_check("f", "1", "read-data").unwrap();
        let lost = [
            ("1".to_string(), "aa".to_string(), "missing"),
            ("9".to_string(), "zz".to_string(), "missing"),
        ];
        assert_eq!(cat.forget_lost("f", &lost).unwrap(), 1);
        assert!(!cat.remote_index("f").unwrap().contains_key("aa"));
        let open = cat.lost_open("f").unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(
            (open[0].md5.as_str(), open[0].why.as_str()),
            ("aa", "missing")
        );
        assert_eq!(
            cat.all_lost_open().unwrap(),
            vec![("f".into(), "aa".into())]
        );
        // Not made again yet: nothing healed.
        assert_eq!(cat.settle_lost("f").unwrap(), 0);
        cat.record_remote("f", &[copy("3", "aa")], None).unwrap();
        assert_eq!(cat.settle_lost("f").unwrap(), 1);
        assert_eq!(cat.settle_lost("f").unwrap(), 0);
        assert!(cat.lost_open("f").unwrap().is_empty());
    }
}
