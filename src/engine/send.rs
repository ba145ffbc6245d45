//! The one run loop: sends a destination's jobs with at most `concurrency` puts in flight,
//! records each outcome as it lands (so a kill loses at most the puts in flight), and
//! stops cleanly on Ctrl-C: cancelled, no new put starts and the ones in flight finish
//! and are recorded; aborted, they stop too, and their journal entries make the next
//! run look them up before sending anything again.

use super::destination::{Cx, Destination, Events, Landed, Start};
use super::outcome::{Note, Word};
use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::task::{Id, JoinSet};

/// How often the loop looks at the cancel flag and asks for progress.
const TICK: Duration = Duration::from_millis(100);

/// The puts of one run: the ones holding a slot, and the waits outside the slots.
struct Flight<D: Destination> {
    tasks: JoinSet<D::Done>,
    slots: HashSet<Id>,
    queue: VecDeque<D::Job>,
    tx: UnboundedSender<D::Event>,
}

/// Sends `jobs` to `dest`. Returns when all are done, when the destination halts, or when
/// the cancel flag is set and the work in flight is done.
pub async fn send<D: Destination>(
    dest: &mut D,
    cx: &mut Cx<'_, D>,
    jobs: Vec<D::Job>,
) -> Result<(), D::Error> {
    let (tx, mut rx) = unbounded_channel();
    let mut flight = Flight::<D> {
        tasks: JoinSet::new(),
        slots: HashSet::new(),
        queue: jobs.into(),
        tx,
    };
    loop {
        flight.start(dest, cx)?;
        if cx.cancel.is_aborted() {
            flight.tasks.abort_all();
        }
        let idle = flight.tasks.is_empty();
        let flushed = dest.flush(cx, idle).await?;
        if !flushed.is_empty() {
            flight.land(cx, flushed)?;
            continue;
        }
        if flight.tasks.is_empty() {
            break;
        }
        tokio::select! {
            Some(event) = rx.recv() => (cx.events)(event),
            Some(joined) = flight.tasks.join_next_with_id() => match joined {
                Ok((id, done)) => {
                    flight.slots.remove(&id);
                    let landed = dest.landed(cx, done, &flight.tx)?;
                    flight.land(cx, landed)?;
                }
                // An aborted or panicked put keeps its journal entry: the next run
                // resolves it.
                Err(e) => {
                    flight.slots.remove(&e.id());
                    if e.is_panic() {
                        cx.report.tally().counts.failed += 1;
                    }
                }
            },
            _ = tokio::time::sleep(TICK) => {
                if let Some(event) = dest.progress() {
                    (cx.events)(event);
                }
            }
        }
    }
    drain(&mut rx, cx);
    dest.left(cx, flight.queue.into())
}

impl<D: Destination> Flight<D> {
    /// Starts jobs while a slot is free and the run may go on.
    fn start(&mut self, dest: &mut D, cx: &mut Cx<'_, D>) -> Result<(), D::Error> {
        while self.slots.len() < dest.concurrency().max(1)
            && !cx.cancel.is_cancelled()
            && !dest.halted()
        {
            let Some(job) = self.queue.pop_front() else {
                break;
            };
            match dest.start(cx, job, self.slots.len())? {
                Start::Go(job) => {
                    (cx.events)(D::Event::started(D::path_of(&job).to_path_buf()));
                    let put = dest.put(job, self.tx.clone());
                    let handle = self.tasks.spawn(put);
                    self.slots.insert(handle.id());
                }
                Start::Taken => {}
                Start::Hold(job) => {
                    self.queue.push_front(job);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Counts, records and tells what landed.
    fn land(&mut self, cx: &mut Cx<'_, D>, landed: Vec<Landed<D>>) -> Result<(), D::Error> {
        for landed in landed {
            match landed {
                Landed::Done { bytes, event } => {
                    cx.report.tally().counts.done += 1;
                    cx.report.bytes += bytes;
                    (cx.events)(event);
                }
                Landed::Refused {
                    path,
                    md5,
                    message,
                    reason,
                } => {
                    cx.catalog.record_refusal(&cx.backend, &md5, &message)?;
                    tell(cx, path, Word::Refused, reason);
                }
                Landed::Failed { path, reason } => tell(cx, path, Word::Failed, reason),
                Landed::Later(put) => {
                    self.tasks.spawn(put);
                }
                Landed::Again(job) => self.queue.push_back(job),
                Landed::Staged | Landed::Quiet => {}
            }
        }
        Ok(())
    }
}

/// Counts `word` for `path` in the report and tells it.
pub(crate) fn tell<D: Destination>(cx: &mut Cx<'_, D>, path: PathBuf, word: Word, reason: String) {
    let note = Note { path, word, reason };
    cx.report.tally().note(&note.path, word, &note.reason);
    (cx.events)(D::Event::of_note(&note));
}

/// Tells the events the puts sent after the loop stopped listening.
fn drain<D: Destination>(rx: &mut UnboundedReceiver<D::Event>, cx: &Cx<'_, D>) {
    while let Ok(event) = rx.try_recv() {
        (cx.events)(event);
    }
}
