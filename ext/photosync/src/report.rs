//! `Photosync._report`: builds the report of a library (scanned first) or of the whole
//! catalog and writes it as one HTML page, on a worker thread with scan progress reaching
//! the Ruby block on the Ruby thread. lib/photosync/report.rb adds the Ruby API.

use crate::{background, conv, errors};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::dates::rules::Rules;
use photosync::dates::DatesError;
use photosync::library::scan::Progress;
use photosync::report::{self, Limits, Report, ReportError};
use std::path::PathBuf;

enum Failure {
    Report(ReportError),
    Dates(DatesError),
}

fn report(
    ruby: &Ruby,
    dir: Option<RString>,
    html: RString,
    catalog: Option<RString>,
    rules: Option<RString>,
    rules_required: bool,
    progress: Option<magnus::block::Proc>,
) -> Result<RHash, Error> {
    let dir: Option<PathBuf> = dir.map(conv::path_from);
    let html = conv::path_from(html);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let rules_path: Option<PathBuf> = rules.map(conv::path_from);
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(Progress) + Send + Sync)| -> Result<Report, Failure> {
            let rules = match rules_path.as_deref() {
                Some(p) => Rules::load(p, rules_required).map_err(Failure::Dates)?,
                None => Rules::default(),
            };
            // The report only reads the catalog; with a folder its scan updates the
            // cache where the catalog can be written.
            let mut cat = match (catalog.as_deref(), dir.is_some()) {
                (None, _) => Catalog::in_memory(),
                (Some(p), true) => Catalog::open_existing_writable_if_possible(p),
                (Some(p), false) => Catalog::open_existing(p),
            }
            .map_err(|e| Failure::Report(e.into()))?;
            let r = report::run(
                dir.as_deref(),
                &mut cat,
                &rules,
                &Limits::default(),
                &worker_cancel,
                &mut |p| emit(*p),
            )
            .map_err(Failure::Report)?;
            report::save(&r, &html).map_err(Failure::Report)?;
            Ok(r)
        },
        |p: Progress| crate::scan::tell_progress(&progress, p),
    )?;
    let r = match outcome {
        Ok(r) => r,
        Err(Failure::Report(e)) => return Err(errors::report(ruby, e)),
        Err(Failure::Dates(e)) => return Err(errors::dates(ruby, e)),
    };
    let sym = |s: &str| ruby.to_symbol(s);
    let h = ruby.hash_new();
    h.aset(sym("photos"), r.photos)?;
    let by = ruby.hash_new();
    for (copies, n) in &r.by_copies {
        by.aset(*copies, *n)?;
    }
    h.aset(sym("by_copies"), by)?;
    h.aset(sym("single_copy"), r.single_total)?;
    h.aset(sym("errors"), r.errors_total)?;
    h.aset(sym("review"), r.review_total)?;
    h.aset(sym("suspicious"), r.suspicious_total)?;
    h.aset(sym("thumbnails"), r.thumbnails())?;
    Ok(h)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_report", function!(report, 6))?;
    Ok(())
}
