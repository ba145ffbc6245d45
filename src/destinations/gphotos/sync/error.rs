//! Why a Google Photos run stopped. Problems with one file end in the report instead.

use super::report::GphotosReport;
use crate::catalog::CatalogError;
use crate::destinations::gphotos::api::GphotosError;

#[derive(Debug, thiserror::Error)]
pub enum GphotosSyncError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The refresh token is no longer good; what was done is recorded.
    #[error("{0}")]
    Login(GphotosError),
    #[error("{what} failed: {source}")]
    Api {
        what: &'static str,
        source: GphotosError,
    },
    #[error("cannot start the sync's runtime: {0}")]
    Runtime(std::io::Error),
    #[error("sync cancelled after {} uploads ({} failed); run it again to finish", .0.uploaded, .0.failed)]
    Cancelled(Box<GphotosReport>),
}

impl GphotosSyncError {
    pub(super) fn api(what: &'static str, source: GphotosError) -> GphotosSyncError {
        match source {
            GphotosError::Revoked(_) => GphotosSyncError::Login(source),
            GphotosError::Cancelled => GphotosSyncError::Cancelled(Box::default()),
            source => GphotosSyncError::Api { what, source },
        }
    }
}
