//! What sync knows of each backend without asking it: the remote copies (by MD5), how
//! far the backend's index was read, and the bytes it refused. Every write is its own
//! committed transaction, so a process killed at any moment leaves a consistent record.

use super::{now_secs, Catalog, CatalogError};
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// One photo on a backend, as its index or an upload told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCopy {
    pub remote_id: String,
    pub md5: String,
    /// Unix seconds: the backend's upload date when known, else when we uploaded it.
    pub uploaded_at: i64,
    /// Its `checksum:imgmd5=` tag, when it has one (Flickr only).
    pub imgmd5: Option<String>,
}

/// How far a backend's index has been read (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexState {
    /// The newest upload date read: the next refresh starts a margin before it.
    pub newest_upload: i64,
    /// When the whole index was last read (0: never).
    pub full_at: i64,
    /// When the last refresh that read to the end started (0: none did).
    pub refreshed_at: i64,
}

/// Records a copy on `backend`, replacing what its id held.
pub(super) fn insert_copy(
    tx: &rusqlite::Transaction<'_>,
    backend: &str,
    copy: &RemoteCopy,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO remote_copies (backend, remote_id, md5, uploaded_at, imgmd5)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        backend,
        copy.remote_id,
        copy.md5,
        copy.uploaded_at,
        copy.imgmd5
    ])?;
    Ok(())
}

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

    /// Every known remote copy on `backend`, with its image-data MD5 when known.
    pub fn remote_copies(&self, backend: &str) -> Result<Vec<RemoteCopy>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT remote_id, md5, uploaded_at, imgmd5 FROM remote_copies WHERE backend = ?1",
            )?;
            let rows = stmt.query_map([backend], |r| {
                Ok(RemoteCopy {
                    remote_id: r.get(0)?,
                    md5: r.get(1)?,
                    uploaded_at: r.get(2)?,
                    imgmd5: r.get(3)?,
                })
            })?;
            rows.collect()
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
        self.write(|tx| {
            for copy in copies {
                insert_copy(tx, backend, copy)?;
            }
            if let Some(newest) = newest_upload {
                tx.execute(
                    "INSERT INTO remote_index (backend, newest_upload, refreshed_at)
                     VALUES (?1, ?2, 0)
                     ON CONFLICT (backend) DO UPDATE SET
                       newest_upload = max(newest_upload, excluded.newest_upload)",
                    params![backend, newest],
                )?;
            }
            Ok(())
        })
    }

    /// How far the index of `backend` has been read, if it ever was.
    /// Records that a refresh which started at `started` read to the end: every photo
    /// uploaded (and searchable) before then is in the index.
    pub fn index_complete(&mut self, backend: &str, started: i64) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT INTO remote_index (backend, newest_upload, refreshed_at) VALUES (?1, 0, ?2)
                 ON CONFLICT (backend) DO UPDATE SET refreshed_at = excluded.refreshed_at",
                params![backend, started],
            )
            .map(|_| ())
        })
    }

    pub fn index_state(&self, backend: &str) -> Result<Option<IndexState>, CatalogError> {
        self.sql(|c| {
            c.query_row(
                "SELECT newest_upload, full_at, refreshed_at FROM remote_index WHERE backend = ?1",
                [backend],
                |r| {
                    Ok(IndexState {
                        newest_upload: r.get(0)?,
                        full_at: r.get(1)?,
                        refreshed_at: r.get(2)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Ends a full read of the index of `backend`: forgets the copies it did not see
    /// (deleted on the backend, or their tag removed) that were uploaded before
    /// `keep_after` (younger ones may just not be searchable yet), records them as lost
    /// (the next sync makes them again), and notes the time. Returns how many were forgotten.
    pub fn finish_full_index(
        &mut self,
        backend: &str,
        seen: &HashSet<String>,
        keep_after: i64,
    ) -> Result<u64, CatalogError> {
        self.write(|tx| {
            let gone: Vec<(String, String)> = {
                let mut stmt = tx.prepare(
                    "SELECT remote_id, md5 FROM remote_copies WHERE backend = ?1 AND uploaded_at < ?2",
                )?;
                let rows = stmt
                    .query_map(params![backend, keep_after], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
                rows.into_iter().filter(|(id, _)| !seen.contains(id)).collect()
            };
            let mut forgotten = 0;
            for (id, md5) in &gone {
                forgotten += super::lost::forget_in(tx, backend, id, md5, "missing")?;
            }
            let now = now_secs();
            tx.execute(
                "INSERT INTO remote_index (backend, newest_upload, refreshed_at, full_at)
                 VALUES (?1, 0, ?2, ?2)
                 ON CONFLICT (backend) DO UPDATE SET full_at = excluded.full_at",
                params![backend, now],
            )?;
            Ok(forgotten)
        })
    }

    /// Copies deleted on `backend` in favour of `keeper`, which holds the same bytes:
    /// forgotten, and the upload journal and album memberships that named them name
    /// the keeper, in one transaction.
    pub fn replace_remote(
        &mut self,
        backend: &str,
        gone: &[String],
        keeper: &str,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            for id in gone {
                tx.execute(
                    "DELETE FROM remote_copies WHERE backend = ?1 AND remote_id = ?2",
                    params![backend, id],
                )?;
                tx.execute(
                    "UPDATE upload_journal SET remote_id = ?3 WHERE backend = ?1 AND remote_id = ?2",
                    params![backend, id, keeper],
                )?;
                tx.execute(
                    "UPDATE OR IGNORE album_members SET remote_id = ?3
                     WHERE backend = ?1 AND remote_id = ?2",
                    params![backend, id, keeper],
                )?;
                tx.execute(
                    "DELETE FROM album_members WHERE backend = ?1 AND remote_id = ?2",
                    params![backend, id],
                )?;
            }
            Ok(())
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
}
