//! Retry timing shared by every destination: how long to wait before the next attempt
//! of a call that failed transiently, and a sleep that gives up when the run is aborted.
//! Which errors are worth a retry is each destination's own decision.

use std::time::{Duration, Instant};

/// The longest wait between two attempts, whatever the attempt: past a minute a
/// service that keeps failing is down, and the run's own limits take over.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// The longest a waiting call sleeps before looking at the cancel flag again.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// `base * 2^(attempt-1)`, at most [`MAX_BACKOFF`] (or `base` if larger), with "equal
/// jitter": between half of it and all of it, so that the retries of many calls that
/// failed together do not come back together.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let full = base
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF.max(base));
    let half = full / 2;
    half + half.mul_f64(jitter())
}

/// A number in [0, 1) from the OS's randomness (0.5 if it has none). Nothing depends
/// on its quality; it only spreads retries.
pub fn jitter() -> f64 {
    let mut b = [0u8; 4];
    match getrandom::getrandom(&mut b) {
        Ok(()) => f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

/// Sleeps `wait`, or less if `stop` turns true meanwhile (looked at every 50 ms);
/// returns whether the whole wait was slept. Flickr's retries stop at a cancel, Google
/// Photos' only at an abort: each caller says which.
pub async fn sleep_unless(wait: Duration, stop: impl Fn() -> bool) -> bool {
    let end = Instant::now() + wait;
    loop {
        if stop() {
            return false;
        }
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        tokio::time::sleep(left.min(CANCEL_POLL)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cancel::Cancel;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let base = Duration::from_millis(100);
        for attempt in 1..6 {
            let full = base * (1 << (attempt - 1));
            let d = backoff(base, attempt);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
        assert!(backoff(Duration::from_secs(1), 30) <= MAX_BACKOFF);
        let spread: std::collections::HashSet<_> = (0..20)
            .map(|_| backoff(Duration::from_secs(1), 3))
            .collect();
        assert!(spread.len() > 10);
    }

    #[test]
    fn jitter_stays_in_its_range() {
        assert!((0..1000).map(|_| jitter()).all(|j| (0.0..1.0).contains(&j)));
    }

    #[test]
    fn a_stopped_run_stops_waiting() {
        let cancel = Cancel::new();
        cancel.abort();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let started = Instant::now();
        let slept = rt.block_on(sleep_unless(Duration::from_secs(30), || {
            cancel.is_aborted()
        }));
        assert!(!slept);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
