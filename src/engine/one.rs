//! One destination's run, start to end, the same for every destination: the run lock,
//! `prepare`, the one plan ([`super::plan`]) told in the common words, the run loop ([`super::send`]),
//! `finish`, the healing settled, and the report timed and settled whatever the ending
//! (a cancelled run returns its partial report inside its error).

use super::destination::{Cx, Destination, Events, Report, RunError};
use super::plan;
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
) -> Result<D::Report, D::Error> {
    catalog.hold_run_lock(cancel)?;
    let started = Instant::now();
    let mut report = D::Report::default();
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
    report.set_elapsed(started.elapsed());
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
    let index = cx.catalog.remote_index(&cx.backend)?;
    let refusals = cx.catalog.refusals(&cx.backend)?;
    let holds = |md5: &str| index.contains_key(md5);
    let shared = plan::plan(photos, &holds, dest.accepts(), &refusals);
    let planned = dest.plan(cx, photos, shared, &index).await?;
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
        cx.report.set_healed(healed);
    }
    (cx.events)(D::Event::finished());
    Ok(())
}

/// A runtime for one run: one thread, so events and the catalog stay on the caller's.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
