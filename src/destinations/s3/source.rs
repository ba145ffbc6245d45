//! The bucket as a restore source: each photo's key and the MD5 its bytes must have,
//! from the catalog's record of the bucket, or, for a bucket this catalog never
//! recorded, from the listing (ETags, and the `md5` metadata of objects sent in parts).

use super::client::Bucket;
use super::{Connection, S3Error, S3Url};
use crate::catalog::Catalog;
use std::sync::Arc;

pub struct S3Source {
    pub bucket: Arc<Bucket>,
    /// The catalog's name for it (`s3://bucket/prefix`).
    pub backend: String,
    /// Key below the prefix and MD5 of every photo, sorted by key.
    pub files: Vec<(String, String)>,
    /// Whether `files` come from the catalog.
    pub recorded: bool,
}

pub async fn open_source(
    url: &S3Url,
    conn: &Connection,
    catalog: &Catalog,
) -> Result<S3Source, S3Error> {
    let bucket = Bucket::connect(url, conn, None)?;
    let backend = url.to_string();
    let recorded = catalog.index_state(&backend)?.is_some();
    let mut files: Vec<(String, String)> = Vec::new();
    if recorded {
        for (md5, keys) in catalog.remote_index(&backend)? {
            files.extend(keys.into_iter().map(|k| (k, md5.clone())));
        }
    } else {
        let listed = bucket.list().await?;
        let heads = listed
            .iter()
            .filter(|o| o.etag_md5.is_none())
            .map(|o| o.rel.clone())
            .collect();
        let mut metas = bucket.meta_md5s(heads).await;
        for object in listed {
            let md5 = match (object.etag_md5, metas.remove(&object.rel)) {
                (Some(md5), _) => Some(md5),
                (None, Some(meta)) => {
                    meta.map_err(|e| bucket.error("reading an object's metadata", e))?
                }
                (None, None) => None,
            };
            files.extend(md5.map(|m| (object.rel, m)));
        }
    }
    files.sort();
    Ok(S3Source {
        bucket: Arc::new(bucket),
        backend,
        files,
        recorded,
    })
}
