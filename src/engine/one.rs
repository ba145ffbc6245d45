//! One destination's run, start to end, the same for every destination: the run lock,
//! `prepare`, the one plan ([`super::plan`]) told in the common words, the run loop ([`super::send`]),
//! `finish`, the healing settled, and the report timed and settled whatever the ending
//! (a cancelled run returns its partial report inside its error).

use super::destination::{Cx, Destination, Events, Held, RunError};
use super::plan;
use super::report::RunReport;
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::library::photo::Photo;
use std::time::Instant;

/// Runs `dest` on the caller's runtime (`runtime`); `events` is called on this thread.
pub fn run_alone<D: Destination>(
    runtime: &tokio::runtime::Runtime,
    dest: &mut D,
    photos: &[Photo],
    catalog: &mut Catalog,
    cancel: &Cancel,
    events: &(dyn Fn(D::Event) + Send + Sync),
) -> Result<RunReport<D::Extra>, D::Error> {
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let mut report = RunReport::<D::Extra>::default();
    let result = runtime.block_on(async {
        let mut cx = Cx {
            catalog: &mut *catalog,
            cancel,
            events,
            report: &mut report,
            backend: String::new(),
        };
        run(dest, &mut cx, photos).await
    });
    dest.close(&mut report);
    report.elapsed = started.elapsed();
    report.settle();
    match result {
        Err(e) if e.is_cancelled() => Err(D::Error::cancelled(report)),
        Err(e) => Err(e),
        Ok(()) if cancel.is_cancelled() => Err(D::Error::cancelled(report)),
        Ok(()) => Ok(report),
    }
}

async fn run<D: Destination>(
    dest: &mut D,
    cx: &mut Cx<'_, D>,
    photos: &[Photo],
) -> Result<(), D::Error> {
    cx.backend = dest.prepare(cx, photos).await?;
    let held = Held::read(cx.catalog, &cx.backend)?;
    let refusals = cx.catalog.refusals(&cx.backend)?;
    let holds = |md5: &str| held.index.contains_key(md5);
    let shared = plan::plan(photos, &holds, dest.accepts(), &refusals);
    let planned = dest.plan(cx, photos, shared, &held).await?;
    let shared = &planned.shared;
    let found = planned.found.len() as u64;
    (cx.events)(D::Event::planned(
        planned.jobs.len() as u64,
        shared.counts.already_there + found,
        shared.counts.duplicates,
        planned.bytes,
    ));
    for note in &planned.found {
        cx.report.tally().counts.already_there += 1;
        (cx.events)(D::Event::of_note(note));
    }
    shared.tell(&mut cx.report.tally(), &mut |note| {
        (cx.events)(D::Event::of_note(note))
    });
    for note in &planned.failed {
        cx.report.tally().note(&note.path, note.word, &note.reason);
        (cx.events)(D::Event::of_note(note));
    }
    if !dest.dry_run() {
        super::send::send(dest, cx, planned.jobs).await?;
        if !cx.cancel.is_cancelled() {
            dest.finish(cx, photos).await?;
        }
        let healed = super::heal::settle(cx.catalog, &cx.backend)?;
        cx.report.healed = healed;
    }
    (cx.events)(D::Event::finished());
    Ok(())
}

/// The runtime of every run (sync, verify, restore, dates, login), made here alone: one
/// thread, the caller's, so events and the catalog stay on it.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
