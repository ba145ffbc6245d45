//! A Google Photos Library API client (as the API is since 2025-03-31: an app sees only what
//! it uploaded): OAuth 2.0 refresh with the loopback login, raw and resumable uploads,
//! `mediaItems:batchCreate`, the app's listing, and albums. Retries follow Google's advice
//! (429 after at least 30 s, 5xx with jittered backoff, nothing else); the sync engine in
//! `gphotos_sync` decides what to upload.

mod auth;
mod client;
mod description;
mod error;
mod items;
pub mod login;
mod upload;

pub use client::{Client, Config, Endpoints, RetryPolicy};
pub use description::{checksum_of, description_for, DESCRIPTION_LIMIT};
pub use error::GphotosError;
pub use items::{ItemStatus, ListedItem, NewItem, BATCH_LIMIT};
pub use upload::Uploaded;

/// The scopes photosync asks for: upload, read back and edit what it created.
pub const SCOPES: [&str; 3] = [
    "https://www.googleapis.com/auth/photoslibrary.appendonly",
    "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata",
    "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata",
];
