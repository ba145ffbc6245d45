//! Work on an old drive under a watchdog. A failing disk can leave a read blocked in the
//! kernel for minutes, or for ever; no cancel flag reaches a thread stuck there. So each
//! read or copy runs on a thread of its own, and the caller waits only while bytes keep
//! coming: after `timeout` without progress the work is given up (its cancel flag
//! aborted, so it cleans up if the read ever returns) and the run goes on. A thread
//! still blocked is left behind; it ends with the process.

use crate::cancel::Cancel;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(100);

/// Why watched work gave no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// No byte moved for the whole timeout.
    Stalled(Duration),
    /// The run was aborted.
    Aborted,
    /// The work panicked or its thread could not start.
    Lost,
}

impl Stopped {
    pub fn message(&self) -> String {
        match self {
            Stopped::Stalled(t) => format!(
                "no answer from the drive for {}s; skipped (a failing disk? try again, or copy it by hand)",
                t.as_secs_f64()
            ),
            Stopped::Aborted => "cancelled".into(),
            Stopped::Lost => "internal error while reading this file (a photosync bug)".into(),
        }
    }
}

/// Runs `work(job_cancel, progress)` on its own thread and waits while `progress` (a
/// byte counter the work advances) moves. `run` aborted stops the wait and aborts the
/// work too.
pub fn watched<T: Send + 'static>(
    timeout: Duration,
    run: &Cancel,
    work: impl FnOnce(&Cancel, &AtomicU64) -> T + Send + 'static,
) -> Result<T, Stopped> {
    let job = Cancel::new();
    let progress = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel();
    let (job2, progress2) = (job.clone(), progress.clone());
    std::thread::Builder::new()
        .name("photosync-import-io".into())
        .spawn(move || {
            let _ = tx.send(work(&job2, &progress2));
        })
        .map_err(|_| Stopped::Lost)?;
    let (mut seen, mut since) = (0, Instant::now());
    loop {
        match rx.recv_timeout(POLL) {
            Ok(out) => return Ok(out),
            Err(RecvTimeoutError::Disconnected) => return Err(Stopped::Lost),
            Err(RecvTimeoutError::Timeout) => {}
        }
        if run.is_aborted() {
            job.abort();
            return Err(Stopped::Aborted);
        }
        let now = progress.load(Ordering::Relaxed);
        if now != seen {
            (seen, since) = (now, Instant::now());
        } else if since.elapsed() >= timeout {
            job.abort();
            return Err(Stopped::Stalled(timeout));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_that_moves_is_waited_for_and_work_that_stalls_is_given_up() {
        let run = Cancel::new();
        let slow_but_moving = watched(Duration::from_millis(300), &run, |_, p| {
            for _ in 0..6 {
                std::thread::sleep(Duration::from_millis(100));
                p.fetch_add(1, Ordering::Relaxed);
            }
            7
        });
        assert_eq!(slow_but_moving, Ok(7));
        let (tx, rx) = mpsc::channel::<()>();
        let stuck = watched(Duration::from_millis(200), &run, move |job, _| {
            // Blocked until the test lets it go, as a read on a dying disk.
            let _ = rx.recv();
            job.is_aborted()
        });
        assert_eq!(stuck, Err(Stopped::Stalled(Duration::from_millis(200))));
        drop(tx);
    }
}
