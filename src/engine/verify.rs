//! `verify`, the same for every destination: the destination checks what it holds
//! against the catalog (its listing, its files, or with `read_data` the bytes read back)
//! and says which recorded copies it found lost; the engine forgets those
//! ([`super::heal`]), so the next sync makes them again, once. A check that was stopped
//! or could not see everything (a listing with gaps, an unreadable folder) proves nothing
//! lost, and forgets nothing.

use super::destination::{Destination, RunError};
use super::heal::{self, Lost};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::library::scan::Progress;
use std::path::PathBuf;

/// What a verify is asked to do, and what it works with.
pub struct Check<'c> {
    pub catalog: &'c mut Catalog,
    pub cancel: &'c Cancel,
    /// The local library: the catalog's files under this folder are the photos the
    /// destination should hold (all of them: `None`).
    pub root: Option<PathBuf>,
    /// Read the copies' bytes back and hash them, where the destination can (the archive
    /// always does; Google Photos never can: its downloads are recompressed).
    pub read_data: bool,
    /// With `read_data`: the share of copies to read, in percent (0 or 100: all).
    pub sample_percent: f64,
    /// Files or items checked so far, told as the check goes (on the calling thread).
    pub progress: &'c mut dyn FnMut(&Progress),
}

/// What a destination's check found: its own report, and the copies it found lost.
pub struct Found<V> {
    pub report: V,
    /// The catalog's name for the destination.
    pub backend: String,
    pub lost: Vec<Lost>,
    /// It saw everything (a whole listing, every file read): only then is a copy it did
    /// not see lost.
    pub whole: bool,
}

impl<V> Found<V> {
    pub fn new(report: V, backend: String, lost: Vec<Lost>, whole: bool) -> Found<V> {
        Found {
            report,
            backend,
            lost,
            whole,
        }
    }
}

/// A destination's verify report, which the engine tells how many copies it forgot.
pub trait Verified {
    fn set_forgotten(&mut self, forgotten: u64);
}

/// Runs `dest`'s check on `runtime` (one of [`super::one::runtime`]), then forgets what
/// it found lost.
pub fn verify<D: Destination>(
    runtime: &tokio::runtime::Runtime,
    dest: &mut D,
    check: &mut Check<'_>,
) -> Result<D::Verified, D::Error> {
    let found = runtime.block_on(dest.verify(check))?;
    if check.cancel.is_cancelled() {
        return Err(D::Error::cancelled(Default::default()));
    }
    let mut report = found.report;
    if found.whole {
        report.set_forgotten(heal::forget(check.catalog, &found.backend, &found.lost)?);
    }
    Ok(report)
}
