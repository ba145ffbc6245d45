//! Why a whole sync run stopped. Problems with one file never stop a run: they end in
//! the report's `errors` instead.

use super::report::SyncReport;
use crate::catalog::CatalogError;
use crate::destinations::flickr::api::FlickrError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A call the whole run depends on (the login check, the index) failed after its retries.
    #[error("{what} failed: {source}; {hint}")]
    Flickr {
        what: &'static str,
        source: FlickrError,
        hint: &'static str,
    },
    #[error("cannot start the sync's runtime: {0}")]
    Runtime(std::io::Error),
    /// The cancel flag was set. Nothing new was started after it; everything that
    /// finished is recorded in the catalog and in this partial report.
    #[error("sync cancelled after {} uploads ({} failed); run it again to finish", .0.uploaded, .0.failed)]
    Cancelled(Box<SyncReport>),
}

impl SyncError {
    pub(crate) fn flickr(what: &'static str, source: FlickrError) -> SyncError {
        let hint = match source.code() {
            Some(96..=100) => "check the credentials (photosync login)",
            _ if source.is_retryable() => {
                "Flickr or the network is having trouble; try again later"
            }
            _ => "check the endpoint and the credentials",
        };
        SyncError::Flickr { what, source, hint }
    }
}
