//! Misbehaviour on purpose, all seeded: per-request latency, a fault rate with the kinds of
//! failure a Flickr client meets (HTTP 500/502/503, Flickr error 105, a connection closed before
//! any answer, and the work done but the connection closed before the answer), and the per-key
//! call budget per hour, past which Flickr answers HTTP 429.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    Http500,
    Http502,
    Http503,
    /// `stat=fail`, code 105 "Service currently unavailable".
    Flickr105,
    /// The connection closes before the request is handled; no answer.
    DropBeforeAnswer,
    /// The request is carried out (an upload is stored) but the connection closes before the
    /// answer: the client cannot know it worked.
    DropAfterWork,
}

impl FaultKind {
    /// The names the Ruby API and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Http500 => "http500",
            FaultKind::Http502 => "http502",
            FaultKind::Http503 => "http503",
            FaultKind::Flickr105 => "flickr105",
            FaultKind::DropBeforeAnswer => "drop_before_answer",
            FaultKind::DropAfterWork => "drop_after_work",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub const ALL: [FaultKind; 6] = [
        FaultKind::Http500,
        FaultKind::Http502,
        FaultKind::Http503,
        FaultKind::Flickr105,
        FaultKind::DropBeforeAnswer,
        FaultKind::DropAfterWork,
    ];
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FaultError {
    #[error("fault rate {0} is not between 0 and 1")]
    Rate(f64),
}

/// Checks that a fault rate is a probability.
pub fn check_rate(rate: f64) -> Result<f64, FaultError> {
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(FaultError::Rate(rate))
    }
}

/// The seeded fault draw, over Flickr's kinds or any other emulator's (`K`).
#[derive(Debug)]
pub struct Faults<K = FaultKind> {
    pub latency: Duration,
    pub rate: f64,
    pub kinds: Vec<K>,
    rng: Rng,
}

impl Faults<FaultKind> {
    pub fn new(seed: u64, latency: Duration, rate: f64) -> Faults {
        Faults::with_kinds(seed, latency, rate, FaultKind::ALL.to_vec())
    }
}

impl<K: Copy> Faults<K> {
    pub fn with_kinds(seed: u64, latency: Duration, rate: f64, kinds: Vec<K>) -> Faults<K> {
        Faults {
            latency,
            rate,
            kinds,
            rng: Rng::new(seed ^ 0x0046_4155_4c54),
        }
    }

    /// Draws this request's fault, if any. Every request draws the same number of values, so the
    /// sequence of faults depends only on the seed and the order of requests.
    pub fn draw(&mut self) -> Option<K> {
        let roll = self.rng.next_f64();
        let pick = self.rng.below(self.kinds.len().max(1) as u64) as usize;
        if roll < self.rate && !self.kinds.is_empty() {
            self.kinds.get(pick).copied()
        } else {
            None
        }
    }
}

/// Calls per key in a sliding hour.
#[derive(Debug)]
pub struct Budget {
    pub per_hour: u32,
    calls: VecDeque<Instant>,
}

impl Budget {
    pub fn new(per_hour: u32) -> Budget {
        Budget {
            per_hour,
            calls: VecDeque::new(),
        }
    }

    /// Records a call at `now`, or refuses it when the last hour already holds `per_hour` calls.
    pub fn take(&mut self, now: Instant) -> bool {
        let hour = Duration::from_secs(3600);
        while let Some(first) = self.calls.front() {
            if now.duration_since(*first) >= hour {
                self.calls.pop_front();
            } else {
                break;
            }
        }
        if self.calls.len() >= self.per_hour as usize {
            return false;
        }
        self.calls.push_back(now);
        true
    }

    pub fn clear(&mut self) {
        self.calls.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_zero_never_faults_rate_one_always() {
        let mut f = Faults::new(1, Duration::ZERO, 0.0);
        assert!((0..100).all(|_| f.draw().is_none()));
        f.rate = 1.0;
        f.kinds = vec![FaultKind::Http503];
        assert!((0..100).all(|_| f.draw() == Some(FaultKind::Http503)));
    }

    #[test]
    fn same_seed_same_faults() {
        let draws = |seed| {
            let mut f = Faults::new(seed, Duration::ZERO, 0.3);
            (0..50).map(|_| f.draw()).collect::<Vec<_>>()
        };
        assert_eq!(draws(5), draws(5));
        assert!(draws(5).iter().any(Option::is_some));
    }

    #[test]
    fn budget_refuses_past_the_limit_and_recovers_after_an_hour() {
        let mut b = Budget::new(2);
        let t = Instant::now();
        assert!(b.take(t) && b.take(t));
        assert!(!b.take(t));
        assert!(b.take(t + Duration::from_secs(3600)));
    }

    #[test]
    fn rates_are_probabilities() {
        assert!(check_rate(0.5).is_ok());
        assert_eq!(check_rate(1.5), Err(FaultError::Rate(1.5)));
    }
}
