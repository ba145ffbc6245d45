//! Google Photos as a destination: its Library API client ([`api`]: OAuth 2.0, raw and
//! resumable uploads, batchCreate, listing, albums) and the sync that records every photo
//! it uploaded ([`sync`]: daily quota, upload tokens, batches, verify).

pub mod api;
pub mod sync;
