//! What can go wrong with date rules and with pushing corrected dates.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DatesError {
    #[error("bad date offset {text:?}: {message}")]
    Offset { text: String, message: String },
    #[error("cannot read the date rules {path}: {source}")]
    RulesIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("date rules {path}: {message}")]
    Rules { path: String, message: String },
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error("{context}: {source}")]
    Flickr {
        context: String,
        source: crate::destinations::flickr::api::FlickrError,
    },
    #[error("cannot start the network runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cancelled; {applied} dates were set and recorded")]
    Cancelled { applied: u64 },
}
