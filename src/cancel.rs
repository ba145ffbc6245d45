//! A cooperative cancel flag shared between the caller (Ctrl-C in Ruby, a test) and
//! long-running work. Workers poll it between buffers and files, so a cancel takes
//! effect within one read, and finished work is still recorded. Cancelling a second
//! time (a second Ctrl-C) also asks to abort work already in flight.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// How many times `cancel` was called.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicU32>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_add(1));
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed) > 0
    }

    /// Cancelled twice: stop even what is in flight (a sync aborts its uploads).
    pub fn is_aborted(&self) -> bool {
        self.0.load(Ordering::Relaxed) > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        a.cancel();
        assert!(b.is_cancelled());
        assert!(!b.is_aborted());
        a.cancel();
        assert!(b.is_aborted());
    }
}
