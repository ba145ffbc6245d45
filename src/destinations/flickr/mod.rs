//! Flickr as a destination: its API client ([`api`]: OAuth 1.0a, REST, upload and
//! replace), the sync that puts every photo there once under its `checksum:md5=` tag
//! ([`sync`]: index, journal, plan, uploads, albums, dates), and the account tools
//! ([`account`]: verify, adopt, dedupe).

pub mod account;
pub mod api;
pub mod sync;
