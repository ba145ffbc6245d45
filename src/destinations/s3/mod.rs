//! The S3 destination: a bucket of an S3-compatible object store (AWS, Backblaze B2,
//! Wasabi, Cloudflare R2, MinIO, Garage) that holds one object per distinct photo, byte
//! for byte, under the archive's layout ([`crate::destinations::archive::Layout`]) below
//! a prefix, so the bucket stays browsable.
//!
//! A run connects ([`client`]), reads the bucket's one listing into the catalog
//! ([`index`]: the ETag of a single-part upload is the MD5), places each photo under a
//! free key, and uploads with a checksum the server verifies ([`put`], big files in
//! resumable parts: [`multipart`], through [`destination`]). [`verify`] compares the listing with the catalog without
//! downloading; [`source`] opens the bucket for a restore; [`own`] keeps the catalog's
//! copy beside the photos; [`thaw`] finds the objects a restore must have thawed first.

mod client;
mod destination;
mod index;
mod multipart;
mod own;
mod put;
mod report;
mod source;
mod store;
mod thaw;
mod verify;

pub use client::{Bucket, Listed};
pub use destination::{sync_photos, S3};
pub use multipart::State as UploadState;
pub use own::{fetch_catalog, CATALOG_COPY};
pub use report::S3Report;
pub use source::{open_source, S3Source};
pub use thaw::{Cold, THAW_DAYS};
pub use verify::verify;

use crate::catalog::CatalogError;
use crate::destinations::archive::Layout;
use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    #[error("{0:?} is not an S3 address: use s3://bucket or s3://bucket/prefix")]
    BadUrl(String),
    #[error("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the s3 section of the credentials file)")]
    NoCredentials,
    #[error("{url}: {doing}: {source}")]
    Store {
        url: String,
        doing: &'static str,
        source: Box<object_store::Error>,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{path}: {source}")]
    Local {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{key}: the bucket holds other bytes (MD5 {got}, not {want})")]
    OtherBytes {
        key: String,
        got: String,
        want: String,
    },
    #[error("cannot start the S3 client's runtime: {0}")]
    Runtime(String),
    #[error("S3 run cancelled; finished uploads are recorded")]
    Cancelled(Box<S3Report>),
}

/// `s3://bucket/prefix`: the bucket and the prefix every key goes under (no slash at
/// either end; empty for the bucket's root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    pub prefix: String,
}

impl S3Url {
    pub fn parse(url: &str) -> Result<S3Url, S3Error> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| S3Error::BadUrl(url.to_string()))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c);
        if bucket.is_empty() || !bucket.chars().all(valid) {
            return Err(S3Error::BadUrl(url.to_string()));
        }
        let prefix: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
        Ok(S3Url {
            bucket: bucket.to_string(),
            prefix: prefix.join("/"),
        })
    }
}

/// The catalog's and the report's name for it: `s3://bucket/prefix`.
impl fmt::Display for S3Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prefix.as_str() {
            "" => write!(f, "s3://{}", self.bucket),
            prefix => write!(f, "s3://{}/{prefix}", self.bucket),
        }
    }
}

/// Where the bucket is and who is asking; what is left out comes from the environment
/// names every S3 tool reads (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_ENDPOINT_URL` or `PHOTOSYNC_S3_ENDPOINT`).
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// A service other than AWS (`http://127.0.0.1:9000`): addressed path-style.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
}

#[derive(Clone)]
pub struct S3Options {
    pub url: S3Url,
    pub connection: Connection,
    /// `STANDARD`, `STANDARD_IA`, `GLACIER_IR`, `DEEP_ARCHIVE`...; the bucket's default
    /// when left out.
    pub storage_class: Option<String>,
    pub layout: Layout,
    /// Uploads at once.
    pub concurrency: usize,
    /// Plan and report, upload nothing.
    pub dry_run: bool,
    /// Files from this size up go in parts, `part_size` each.
    pub multipart_from: u64,
    pub part_size: usize,
}

impl S3Options {
    pub fn new(url: S3Url) -> Self {
        S3Options {
            url,
            connection: Connection::default(),
            storage_class: None,
            layout: Layout::default(),
            concurrency: 8,
            dry_run: false,
            multipart_from: 64 * 1024 * 1024,
            part_size: 16 * 1024 * 1024,
        }
    }
}

/// Below the prefix, the keys photosync keeps for itself (the catalog's backup): never
/// counted as photos.
pub const OWN: &str = ".photosync";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_bucket_and_prefix() {
        let u = S3Url::parse("s3://photos/backup/main/").unwrap();
        assert_eq!(
            (u.bucket.as_str(), u.prefix.as_str()),
            ("photos", "backup/main")
        );
        assert_eq!(u.to_string(), "s3://photos/backup/main");
        assert_eq!(
            S3Url::parse("s3://photos").unwrap().to_string(),
            "s3://photos"
        );
        for bad in [
            "photos",
            "s3://",
            "s3:///x",
            "s3://Bad_Bucket/x",
            "archive:/x",
        ] {
            assert!(S3Url::parse(bad).is_err(), "{bad}");
        }
    }
}
