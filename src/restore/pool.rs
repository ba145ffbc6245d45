//! Fetches at once, for every online source: at most `concurrency` in flight, none
//! started once the run is cancelled, those in flight dropped when it is aborted; each
//! result is handed to `done` and each event to `events` on the calling task, so the
//! catalog is written from one place.

use super::fetch::{Fetch, Fetched};
use super::{RestoreError, RestoreEvent};
use crate::cancel::Cancel;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

pub(super) async fn fetch_all<F, Fut>(
    jobs: Vec<Fetch>,
    concurrency: usize,
    cancel: &Cancel,
    fetch: F,
    events: &(dyn Fn(RestoreEvent) + Send + Sync),
    done: &mut dyn FnMut(Fetch, Fetched) -> Result<(), RestoreError>,
) -> Result<(), RestoreError>
where
    F: Fn(Fetch, UnboundedSender<RestoreEvent>) -> Fut,
    Fut: Future<Output = (Fetch, Fetched)> + Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<RestoreEvent>();
    let mut tasks = JoinSet::new();
    let mut queue = jobs.into_iter();
    loop {
        while tasks.len() < concurrency.max(1) && !cancel.is_cancelled() {
            let Some(job) = queue.next() else { break };
            tasks.spawn(fetch(job, tx.clone()));
        }
        if tasks.is_empty() {
            break;
        }
        if cancel.is_aborted() {
            tasks.abort_all();
        }
        tokio::select! {
            Some(event) = rx.recv() => events(event),
            Some(joined) = tasks.join_next() => {
                if let Ok((job, fetched)) = joined {
                    done(job, fetched)?;
                }
            }
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    while let Ok(event) = rx.try_recv() {
        events(event);
    }
    Ok(())
}
