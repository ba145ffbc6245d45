//! The pacer: one token bucket shared by every call of a run (index pages, uploads,
//! lookups, setDates), so the run as a whole stays under the API key's budget. A small
//! burst lets a short run start at once; the refill rate is chosen so that burst plus
//! refill never exceed the budget in any window. When Flickr says it is overloaded
//! (HTTP 429, error 105) every caller pauses, not just the one that heard it.

use crate::cancel::Cancel;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest a waiting call sleeps before looking at the cancel flag again.
const CANCEL_POLL: Duration = Duration::from_millis(50);

#[derive(Debug)]
pub struct Pacer {
    state: Mutex<State>,
    burst: f64,
    /// Tokens per second.
    rate: f64,
    calls: AtomicU64,
}

#[derive(Debug)]
struct State {
    tokens: f64,
    last: Instant,
    paused_until: Option<Instant>,
}

/// Waiting for a token was given up because the run was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl Pacer {
    /// At most `calls` calls in any `window`.
    pub fn new(calls: u32, window: Duration) -> Pacer {
        let calls = f64::from(calls.max(1));
        // A twentieth of the budget, between 1 and 10 calls.
        let burst = (calls / 20.0).floor().clamp(1.0, 10.0).min(calls);
        let window = window.as_secs_f64().max(1e-3);
        let rate = ((calls - burst) / window).max(1.0 / window);
        Pacer {
            state: Mutex::new(State {
                tokens: burst,
                last: Instant::now(),
                paused_until: None,
            }),
            burst,
            rate,
            calls: AtomicU64::new(0),
        }
    }

    /// Waits for the right to make one call. Gives up (only while waiting) when
    /// `cancel` is set.
    pub async fn acquire(&self, cancel: &Cancel) -> Result<(), Cancelled> {
        loop {
            let wait = self.try_take(Instant::now());
            let Some(wait) = wait else {
                self.calls.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            };
            if cancel.is_cancelled() {
                return Err(Cancelled);
            }
            tokio::time::sleep(wait.min(CANCEL_POLL)).await;
        }
    }

    /// Takes a token, or says how long until one is due.
    fn try_take(&self, now: Instant) -> Option<Duration> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = s.paused_until {
            if until > now {
                return Some(until - now);
            }
            s.paused_until = None;
            s.last = now;
        }
        let elapsed = now.saturating_duration_since(s.last).as_secs_f64();
        s.tokens = (s.tokens + elapsed * self.rate).min(self.burst);
        s.last = now;
        if s.tokens >= 1.0 {
            s.tokens -= 1.0;
            None
        } else {
            Some(Duration::from_secs_f64((1.0 - s.tokens) / self.rate))
        }
    }

    /// Flickr asked us to slow down: no call for `pause`, and no burst after it.
    pub fn back_off(&self, pause: Duration) {
        let now = Instant::now();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let until = now + pause;
        if s.paused_until.is_none_or(|u| u < until) {
            s.paused_until = Some(until);
        }
        s.tokens = 0.0;
    }

    /// Calls let through so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn never_more_than_the_budget_in_a_window() {
        // 40 calls a second: a burst of 2, then 38 a second.
        let pacer = Pacer::new(40, Duration::from_secs(1));
        let cancel = Cancel::new();
        let start = Instant::now();
        let mut times = Vec::new();
        rt().block_on(async {
            for _ in 0..60 {
                pacer.acquire(&cancel).await.unwrap();
                times.push(start.elapsed());
            }
        });
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < *t + Duration::from_secs(1))
                .count();
            assert!(
                in_window <= 40,
                "{in_window} calls within a second of {t:?}"
            );
        }
        // 58 calls after the burst at 38 a second.
        assert!(
            start.elapsed() >= Duration::from_millis(1400),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(pacer.calls(), 60);
    }

    #[test]
    fn a_small_run_goes_through_in_its_burst() {
        let pacer = Pacer::new(3600, Duration::from_secs(3600));
        let start = Instant::now();
        rt().block_on(async {
            for _ in 0..10 {
                pacer.acquire(&Cancel::new()).await.unwrap();
            }
        });
        assert!(start.elapsed() < Duration::from_millis(500));
    }

    #[test]
    fn back_off_pauses_every_caller_and_cancel_stops_waiting() {
        let pacer = Pacer::new(3600, Duration::from_secs(3600));
        pacer.back_off(Duration::from_millis(300));
        let start = Instant::now();
        rt().block_on(async {
            pacer.acquire(&Cancel::new()).await.unwrap();
        });
        assert!(start.elapsed() >= Duration::from_millis(290));
        pacer.back_off(Duration::from_secs(60));
        let cancel = Cancel::new();
        cancel.cancel();
        let result = rt().block_on(pacer.acquire(&cancel));
        assert_eq!(result, Err(Cancelled));
    }
}
