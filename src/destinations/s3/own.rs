//! photosync's own object in the bucket: a whole copy of the catalog under the prefix's
//! `.photosync/catalog.sqlite3`, written after each run as the archive keeps one, so that
//! a lost disk holding both the library and its catalog can be restored with original
//! paths from the bucket alone. The listing leaves `.photosync/` out ([`super::OWN`]):
//! it is no photo. The copy goes in the bucket's default storage class whatever the
//! photos' class, since a copy that needs a thaw could not start a restore.

use super::client::{Bucket, META_MD5};
use super::{Connection, S3Error, S3Url};
use crate::catalog::Catalog;
use crate::library::hash::hex;
use md5::{Digest, Md5};
use object_store::{Attribute, Attributes, PutPayload};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The copy's key below the prefix.
pub const CATALOG_COPY: &str = ".photosync/catalog.sqlite3";

/// Writes the catalog's copy into the bucket: a consistent snapshot ([`Catalog::copy_to`]
/// into a temporary), sent in one PUT whose checksum the server checks, its MD5 in the
/// metadata and checked against the ETag.
pub async fn put_catalog(bucket: &Bucket, catalog: &Catalog) -> Result<(), S3Error> {
    // Two buckets of one run copy at once: each its own temporary.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let temp = std::env::temp_dir().join(format!(
        "photosync-catalog-{}-{}.sqlite3",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let copied = catalog.copy_to(&temp);
    let bytes = copied.map(|()| std::fs::read(&temp));
    let _ = std::fs::remove_file(&temp);
    let bytes = bytes?.map_err(|source| S3Error::Local { path: temp, source })?;
    let md5 = hex(Md5::digest(&bytes).as_slice());
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::Metadata(META_MD5.into()), md5.clone().into());
    let got = bucket
        .put(CATALOG_COPY, PutPayload::from(bytes), attributes)
        .await
        .map_err(|e| bucket.error("writing the catalog's copy", e))?;
    match got {
        Some(got) if got != md5 => Err(S3Error::OtherBytes {
            key: bucket.key(CATALOG_COPY).to_string(),
            got,
            want: md5,
        }),
        _ => Ok(()),
    }
}

/// Downloads the catalog's copy the bucket at `url` holds to `to` (through a temporary
/// renamed into place, its bytes checked against the MD5 it was sent with); the copy's
/// address, or None when the bucket holds none.
pub fn fetch_catalog(url: &S3Url, conn: &Connection, to: &Path) -> Result<Option<String>, S3Error> {
    let runtime = crate::engine::one::runtime().map_err(|e| S3Error::Runtime(e.to_string()))?;
    let bucket = Bucket::connect(url, conn, None)?;
    let got = match runtime.block_on(bucket.get(CATALOG_COPY)) {
        Err(object_store::Error::NotFound { .. }) => return Ok(None),
        got => got.map_err(|e| bucket.error("reading the catalog's copy", e))?,
    };
    let want = got
        .attributes
        .get(&Attribute::Metadata(META_MD5.into()))
        .map(|v| v.to_string());
    let bytes = runtime
        .block_on(got.bytes())
        .map_err(|e| bucket.error("reading the catalog's copy", e))?;
    let md5 = hex(Md5::digest(&bytes).as_slice());
    let key = format!("{url}/{CATALOG_COPY}");
    if let Some(want) = want.filter(|w| *w != md5) {
        return Err(S3Error::OtherBytes {
            key,
            got: md5,
            want,
        });
    }
    let temp = PathBuf::from(format!(
        "{}.from-bucket-{}",
        to.display(),
        std::process::id()
    ));
    let local = |source| S3Error::Local {
        path: to.to_path_buf(),
        source,
    };
    if let Some(folder) = to.parent() {
        std::fs::create_dir_all(folder).map_err(local)?;
    }
    let written = std::fs::write(&temp, &bytes)
        .and_then(|()| std::fs::File::open(&temp)?.sync_all())
        .and_then(|()| std::fs::rename(&temp, to));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(local)?;
    Ok(Some(key))
}
