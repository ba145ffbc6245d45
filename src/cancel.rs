//! A cooperative cancel flag shared between the caller (Ctrl-C in Ruby, a test) and
//! long-running work. Workers poll it between buffers and files, so a cancel takes
//! effect within one read, and finished work is still recorded. `abort` goes further
//! (a second Ctrl-C): work in flight is stopped too, where that is safe.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

const CANCELLED: u8 = 1;
const ABORTED: u8 = 2;

#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicU8>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Start nothing new; finish (and record) what is in flight. Idempotent.
    pub fn cancel(&self) {
        self.0.fetch_max(CANCELLED, Ordering::SeqCst);
    }

    /// Cancel, and stop what is in flight too (a sync aborts its uploads; its journal
    /// keeps them safe).
    pub fn abort(&self) {
        self.0.store(ABORTED, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed) >= CANCELLED
    }

    pub fn is_aborted(&self) -> bool {
        self.0.load(Ordering::Relaxed) >= ABORTED
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
        a.cancel();
        assert!(!b.is_aborted());
        a.abort();
        assert!(b.is_aborted() && b.is_cancelled());
    }
}
