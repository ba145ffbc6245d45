//! Long native work on a thread of its own while the calling Ruby thread waits with
//! the GVL released. Events (progress) travel over a channel and are handed to Ruby
//! on the Ruby thread only. Ctrl-C, `Thread#raise` or an exception in the block sets
//! the cancel flag; the worker is joined (so finished work is recorded) before the
//! exception goes on up. A second Ctrl-C while it finishes aborts work in flight.

use crate::{errors, gvl};
use magnus::{Error, Ruby};
use photosync::cancel::Cancel;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

const POLL: Duration = Duration::from_millis(100);

enum Msg<E, T> {
    Event(E),
    Done(T),
}

pub fn run<E, T, W, H>(ruby: &Ruby, cancel: &Cancel, work: W, mut on_event: H) -> Result<T, Error>
where
    E: Send + 'static,
    T: Send + 'static,
    W: FnOnce(&(dyn Fn(E) + Send + Sync)) -> T + Send + 'static,
    H: FnMut(E) -> Result<(), Error>,
{
    let (tx, rx) = mpsc::channel::<Msg<E, T>>();
    let worker = std::thread::Builder::new()
        .name("photosync-worker".into())
        .spawn(move || {
            let events = tx.clone();
            let out = work(&move |e| {
                let _ = events.send(Msg::Event(e));
            });
            let _ = tx.send(Msg::Done(out));
        })
        .map_err(|e| errors::error(ruby, "Error", format!("cannot start a worker thread: {e}")))?;
    let stop = |err: Error| {
        cancel.cancel();
        err
    };
    let outcome =
        loop {
            let waited = gvl::without_gvl(ruby, || rx.recv_timeout(POLL), || cancel.cancel());
            match waited {
                Err(e) => break Err(stop(e)),
                Ok(None) | Ok(Some(Err(RecvTimeoutError::Timeout))) => continue,
                Ok(Some(Ok(Msg::Event(e)))) => {
                    if let Err(e) = on_event(e) {
                        break Err(stop(e));
                    }
                }
                Ok(Some(Ok(Msg::Done(t)))) => break Ok(t),
                Ok(Some(Err(RecvTimeoutError::Disconnected))) => break Err(errors::error(
                    ruby,
                    "Error",
                    "internal error: the worker thread died (a photosync bug; please report it)"
                        .into(),
                )),
            }
        };
    if outcome.is_err() {
        // Wait for the worker without the GVL, so that a second Ctrl-C can still
        // reach us: it aborts work in flight (a sync's uploads; the journal keeps them).
        while !worker.is_finished() {
            if gvl::without_gvl(ruby, || std::thread::sleep(POLL), || cancel.abort()).is_err() {
                cancel.abort();
            }
        }
    }
    let _ = worker.join();
    outcome
}
