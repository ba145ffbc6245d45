//! How a catalog operation fails: SQLite, a missing or unreadable file, a schema
//! newer than this photosync, or another run holding the catalog.

use super::schema::SCHEMA_VERSION;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("no catalog at {path} (a mistyped --catalog? `photosync sync` creates one)")]
    Missing { path: PathBuf },
    #[error("catalog {path} is not a file")]
    NotAFile { path: PathBuf },
    #[error("cannot read the catalog {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the catalog's folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("catalog {path} was written by a newer photosync (schema {found}, this one knows {SCHEMA_VERSION}); upgrade photosync")]
    TooNew { path: String, found: i64 },
    #[error("cannot write the catalog's copy {path}: {source}")]
    Copy {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Locked(#[from] crate::engine::LockError),
}
