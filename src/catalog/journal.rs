//! The upload journal: an upload is written down before it is sent and closed once
//! its remote copy is recorded, so after a crash or a kill sync can tell which uploads
//! may have reached the backend and resolve them instead of uploading twice.

use super::remote::insert_copy;
use super::{now_secs, Catalog, CatalogError, RemoteCopy};
use rusqlite::params;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// An upload that was started and never recorded as finished: it may or may not have
/// reached the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedUpload {
    pub md5: String,
    pub path: PathBuf,
    pub started_at: i64,
    /// The taken date the upload was to set after it (`YYYY-MM-DD HH:MM:SS`).
    pub date_taken: Option<String>,
    /// Known when the upload is done but what follows it (the date) is not.
    pub remote_id: Option<String>,
}

impl Catalog {
    /// Journals an upload as started; call it before the upload is sent. `date_taken`
    /// is the date to set after it, so a recovery can still set it.
    pub fn journal_start(
        &mut self,
        backend: &str,
        md5: &str,
        path: &Path,
        date_taken: Option<&str>,
    ) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO upload_journal
                   (backend, md5, path, started_at, finished_at, remote_id, date_taken)
                 VALUES (?1, ?2, ?3, ?4, NULL, NULL, ?5)",
                params![
                    backend,
                    md5,
                    path.as_os_str().as_bytes(),
                    now_secs(),
                    date_taken
                ],
            )
            .map(|_| ())
        })
    }

    /// Journals an upload as finished and records its remote copy, in one transaction.
    pub fn journal_finish(&mut self, backend: &str, copy: &RemoteCopy) -> Result<(), CatalogError> {
        self.write(|tx| {
            insert_copy(tx, backend, copy)?;
            tx.execute(
                "UPDATE upload_journal SET finished_at = ?3, remote_id = ?4
                 WHERE backend = ?1 AND md5 = ?2",
                params![backend, copy.md5, now_secs(), copy.remote_id],
            )?;
            Ok(())
        })
    }

    /// Records an upload that reached the backend but still has work to do after it
    /// (setting its taken date): its remote copy is known, its journal entry stays open.
    pub fn journal_uploaded(
        &mut self,
        backend: &str,
        copy: &RemoteCopy,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            insert_copy(tx, backend, copy)?;
            tx.execute(
                "UPDATE upload_journal SET remote_id = ?3 WHERE backend = ?1 AND md5 = ?2",
                params![backend, copy.md5, copy.remote_id],
            )?;
            Ok(())
        })
    }

    /// Drops a journal entry for an upload known not to have reached the backend.
    pub fn journal_forget(&mut self, backend: &str, md5: &str) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "DELETE FROM upload_journal WHERE backend = ?1 AND md5 = ?2 AND finished_at IS NULL",
                params![backend, md5],
            )
            .map(|_| ())
        })
    }

    /// Uploads to `backend` started and never finished (a crash, a kill, a lost answer).
    pub fn journal_unfinished(&self, backend: &str) -> Result<Vec<UnfinishedUpload>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT md5, path, started_at, date_taken, remote_id FROM upload_journal
                 WHERE backend = ?1 AND finished_at IS NULL ORDER BY started_at",
            )?;
            let rows = stmt.query_map([backend], |r| {
                let path: Vec<u8> = r.get(1)?;
                Ok(UnfinishedUpload {
                    md5: r.get(0)?,
                    path: PathBuf::from(std::ffi::OsString::from_vec(path)),
                    started_at: r.get(2)?,
                    date_taken: r.get(3)?,
                    remote_id: r.get(4)?,
                })
            })?;
            rows.collect()
        })
    }
}
