//! The engine: what is the same for every destination, written once.

pub mod lock;

pub use lock::{Holder, LockError, LockNotice, RunLock, RunRequest};
