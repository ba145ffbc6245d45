//! The engine: what is the same for every destination (Flickr, Google Photos, the
//! archive), written once: the run across destinations (one scan, the date rules once,
//! each destination in turn), the plan (the local photos joined with what a destination
//! holds, one rule for duplicates and for what it does not take), the words a run's
//! outcome is told in, the run lock, and the healing of copies found lost.

pub mod destination;
pub mod heal;
pub mod lock;
pub mod one;
pub mod outcome;
pub mod plan;
pub mod report;
pub mod run;
pub mod send;
pub mod verify;

pub use lock::{Holder, LockError, LockNotice, RunLock, RunRequest};
