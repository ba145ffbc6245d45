//! What every destination's network calls share: the pacer ([`pacer`]: one call budget
//! per API key, paused for everyone when the service says slow down) and the retry
//! timing ([`retry`]: exponential backoff with jitter, sleeps that end on Ctrl-C). Each
//! destination only classifies its own errors (which are transient, which are not).

pub mod pacer;
pub mod retry;
