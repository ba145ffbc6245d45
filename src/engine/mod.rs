//! The engine: what is the same for every destination (Flickr, Google Photos, the
//! archive), written once.

pub mod heal;
pub mod lock;

pub use lock::{Holder, LockError, LockNotice, RunLock, RunRequest};
