//! A catalog opened for a run that writes holds the catalog's run lock
//! ([`crate::engine::lock`]) until it is dropped. Scans and reports open it without: they
//! only cache what the files say, which two runs write alike, and SQLite orders their
//! transactions.

use super::{Catalog, CatalogError};
use crate::cancel::Cancel;
use crate::engine::lock::{self, RunLock, RunRequest};
use std::path::Path;

impl Catalog {
    /// The catalog at `path` (in memory without one: nothing to lock) for a run that
    /// writes, holding `lock` (taken by the caller with [`RunLock::acquire`] for this
    /// path, so it could tell its user it waits and how to stop waiting). Without one, or
    /// with one for another file, takes the lock here, waiting, with a line on stderr.
    pub fn open_for_run(
        path: Option<&Path>,
        lock: Option<RunLock>,
        cancel: &Cancel,
    ) -> Result<Catalog, CatalogError> {
        let Some(path) = path else {
            return Catalog::in_memory();
        };
        // Taken before the file is opened: a schema upgrade is a write too.
        let lock = match lock {
            Some(held) if held.catalog() == path => held,
            _ => RunLock::acquire(
                path,
                &RunRequest::this_process(),
                cancel,
                &mut lock::tell_stderr,
            )?,
        };
        let mut cat = Catalog::open(path)?;
        cat.run_lock = Some(lock);
        Ok(cat)
    }

    /// Makes sure this run holds the lock before it reads an index or plans: the first
    /// thing every writing entry point of the core does, so a Rust caller that opened
    /// the catalog with [`Catalog::open`] is covered too. Waits with a line on stderr.
    /// The lock is kept until this catalog is dropped: drop it before another handle on
    /// the same file writes, or that one waits for this one.
    pub fn hold_run_lock(&mut self, cancel: &Cancel) -> Result<(), CatalogError> {
        if self.run_lock.is_some() {
            return Ok(());
        }
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let held = RunLock::acquire(
            &path,
            &RunRequest::this_process(),
            cancel,
            &mut lock::tell_stderr,
        )?;
        self.run_lock = Some(held);
        Ok(())
    }

    /// Whether this catalog holds its run lock (always false in memory).
    pub fn holds_run_lock(&self) -> bool {
        self.run_lock.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::LockError;

    #[test]
    fn a_run_holds_the_lock_until_its_catalog_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        let mut reader = Catalog::open(&path).unwrap();
        assert!(!reader.holds_run_lock());
        let run = Catalog::open_for_run(Some(&path), None, &Cancel::new()).unwrap();
        assert!(run.holds_run_lock());
        let busy = RunLock::acquire(
            &path,
            &RunRequest {
                command: "other".into(),
                wait: false,
            },
            &Cancel::new(),
            &mut |_| {},
        );
        assert!(matches!(busy, Err(LockError::Busy { .. })));
        drop(run);
        reader.hold_run_lock(&Cancel::new()).unwrap();
        assert!(reader.holds_run_lock());
        let mut memory = Catalog::open_for_run(None, None, &Cancel::new()).unwrap();
        memory.hold_run_lock(&Cancel::new()).unwrap();
        assert!(!memory.holds_run_lock());
    }
}
