//! `Photosync._dates`: scan a folder, review its taken-dates against the date rules and,
//! given a Flickr client (holding the run lock, see lock.rs), push the corrected ones; on
//! a worker thread, scan progress reaching the Ruby block on the Ruby thread.
//! Findings and reports go to Ruby in their serde form; lib/photosync/dates.rb adds the
//! Ruby API.

use crate::flickr::NativeFlickr;
use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby, TryConvert, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::apply::{self, ApplyReport};
use photosync::dates::review::{self, Finding};
use photosync::dates::rules::Rules;
use photosync::dates::DatesError;
use photosync::engine::RunLock;
use photosync::library::scan::{self, Progress, ScanError, ScanOptions, ScanStats};
use serde::Serialize;
use std::path::{Path, PathBuf};

enum Failure {
    Scan(ScanError),
    Dates(DatesError),
}

type Outcome = (Vec<Finding>, Option<ApplyReport>, ScanStats);

fn dates(
    ruby: &Ruby,
    dir: RString,
    catalog: Option<RString>,
    rules: Option<RString>,
    rules_required: bool,
    apply: Option<(Value, RHash)>,
    progress: Option<magnus::block::Proc>,
) -> Result<RHash, Error> {
    let dir = conv::path_from(dir);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let rules_path: Option<PathBuf> = rules.map(conv::path_from);
    // Applying dates writes (Flickr and the catalog); a review only reads.
    let (client, lock) = match apply {
        Some((native, run)) => (
            Some(<&NativeFlickr>::try_convert(native)?.0.clone()),
            crate::lock::take(ruby, catalog.as_deref(), Some(run))?,
        ),
        None => (None, None),
    };
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Progress) + Send + Sync)| -> Result<Outcome, Failure> {
            let (rules, mut cat) = open(
                rules_path.as_deref(),
                rules_required,
                catalog.as_deref(),
                lock,
            )
            .map_err(Failure::Dates)?;
            let scanned = scan::scan(
                &dir,
                &mut cat,
                &ScanOptions::default(),
                &worker_cancel,
                &mut |p| emit(*p),
            )
            .map_err(Failure::Scan)?;
            // Photo paths are canonical; rule folders are relative to the same root.
            let root = std::fs::canonicalize(&dir).unwrap_or(dir);
            let now = chrono::Local::now().naive_local();
            let findings = review::review(&scanned.photos, &root, &rules, now);
            let applied = match &client {
                Some(c) => Some(
                    apply::apply(&findings, &mut cat, c, &worker_cancel).map_err(Failure::Dates)?,
                ),
                None => None,
            };
            Ok((findings, applied, scanned.stats))
        },
        |p: Progress| crate::scan::tell_progress(&progress, p),
    )?;
    let (findings, applied, stats) = match outcome {
        Ok(o) => o,
        Err(Failure::Scan(e)) => return Err(errors::scan(ruby, e)),
        Err(Failure::Dates(e)) => return Err(errors::dates(ruby, e)),
    };
    conv::to_ruby(
        ruby,
        &Reviewed {
            findings,
            applied,
            scan: stats,
        },
    )
}

/// What `_dates` returns, in its serde form: the findings, what apply did (nil for a
/// review) and the scan's counts.
#[derive(Serialize)]
struct Reviewed {
    findings: Vec<Finding>,
    applied: Option<ApplyReport>,
    scan: ScanStats,
}

/// The date rules (none without a path) and the catalog (in memory without a path;
/// holding `lock` when given), as the dates and report calls open them.
pub(crate) fn open(
    rules: Option<&Path>,
    required: bool,
    catalog: Option<&Path>,
    lock: Option<RunLock>,
) -> Result<(Rules, Catalog), DatesError> {
    let rules = match rules {
        Some(p) => Rules::load(p, required)?,
        None => Rules::default(),
    };
    let cat = match lock {
        Some(lock) => Catalog::open_for_run(catalog, Some(lock), &Cancel::new())?,
        None => Catalog::open_or_memory(catalog)?,
    };
    Ok((rules, cat))
}

fn default_rules_path(ruby: &Ruby) -> RString {
    conv::path_to(ruby, &Rules::default_path())
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_dates", function!(dates, 6))?;
    m.define_singleton_method("_default_rules_path", function!(default_rules_path, 0))?;
    Ok(())
}
