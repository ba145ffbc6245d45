//! `verify s3://bucket/prefix`: the bucket's listing compared with the catalog, without
//! downloading: every recorded copy must be listed, with its MD5 as ETag (or, for an
//! object uploaded in parts, in its `md5` metadata: one HEAD). With `read_data`, the
//! objects (all, or a sample) are downloaded and hashed too, which finds bytes that rot
//! in the store behind an intact ETag. Shaped like the archive's
//! verify ([`crate::destinations::archive::verify`]) and with its report: the copies it
//! finds gone or changed are forgotten as lost ([`crate::engine::heal`]) for the next
//! sync to make again.

use super::client::Bucket;
use super::{Connection, S3Error, S3Options, S3Url, S3};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::archive::{Corrupted, VerifyReport};
use crate::destinations::flickr::account::verify::sampled;
use crate::engine;
use crate::engine::heal::{Lost, Why};
use crate::engine::verify::{Check, Found};
use futures::StreamExt;
use md5::{Digest, Md5};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

/// Downloads at once with `read_data`.
const READERS: usize = 4;

/// Checks the bucket against the catalog on the engine's verify
/// ([`crate::engine::verify`]); `read_data`: the percentage of the objects to download and
/// hash (100: all), or None to trust the listing.
pub fn verify(
    url: &S3Url,
    conn: &Connection,
    catalog: &mut Catalog,
    read_data: Option<f64>,
    cancel: &Cancel,
) -> Result<VerifyReport, S3Error> {
    let runtime = crate::engine::one::runtime().map_err(|e| S3Error::Runtime(e.to_string()))?;
    let opts = S3Options {
        connection: conn.clone(),
        ..S3Options::new(url.clone())
    };
    let mut s3 = S3::new(opts, cancel);
    let mut check = Check {
        catalog,
        cancel,
        root: None,
        read_data: read_data.is_some(),
        sample_percent: read_data.unwrap_or(100.0),
        progress: &mut |_| {},
    };
    engine::verify::verify(&runtime, &mut s3, &mut check)
}

/// The bucket's part of verify: its listing (and, with `read_data`, its bytes) against
/// the catalog, and the copies found gone or changed.
pub(super) async fn check(
    url: &S3Url,
    conn: &Connection,
    check: &mut Check<'_>,
) -> Result<Found<VerifyReport>, S3Error> {
    let started = Instant::now();
    let (catalog, cancel) = (&mut *check.catalog, check.cancel);
    let read_data = check.read_data.then_some(check.sample_percent);
    let bucket = Bucket::connect(url, conn, None)?;
    let backend = url.to_string();
    // key -> the MD5 it must hold.
    let mut expected: HashMap<String, String> = HashMap::new();
    for (md5, keys) in catalog.remote_index(&backend)? {
        for key in keys {
            expected.insert(key, md5.clone());
        }
    }
    // Lost before and not made again yet: still wrong, still reported.
    for lost in catalog.lost_open(&backend)? {
        expected.entry(lost.remote_id).or_insert(lost.md5);
    }
    let listed = bucket.list().await?;
    let heads = listed
        .iter()
        .filter(|o| o.etag_md5.is_none() && expected.contains_key(&o.rel))
        .map(|o| o.rel.clone())
        .collect();
    let mut metas = bucket.meta_md5s(heads).await;
    let whole = |rel: &str| PathBuf::from(format!("{url}/{rel}"));
    let mut report = VerifyReport::default();
    let mut lost = Vec::new();
    let mut to_read = Vec::new();
    for object in listed {
        if cancel.is_cancelled() {
            return Err(S3Error::Cancelled(Box::default()));
        }
        report.checked += 1;
        report.bytes += object.size;
        let Some(want) = expected.remove(&object.rel) else {
            report.unknown.push(whole(&object.rel));
            continue;
        };
        let found = match (object.etag_md5, metas.remove(&object.rel)) {
            (Some(md5), _) => Some(md5),
            (None, Some(Ok(md5))) => md5,
            (None, Some(Err(e))) => {
                report.unreadable.push((whole(&object.rel), e.to_string()));
                continue;
            }
            (None, None) => None,
        };
        match found.filter(|f| *f != want) {
            Some(found) => changed(
                &mut report,
                &mut lost,
                whole(&object.rel),
                object.rel,
                want,
                found,
            ),
            None if read_data.is_some_and(|p| sampled(&object.rel, p)) => {
                to_read.push((object.rel, want))
            }
            None => {}
        }
    }
    let read = read_all(&bucket, to_read, cancel).await;
    for (rel, want, got) in read {
        match got {
            Ok(found) if found != want => {
                changed(&mut report, &mut lost, whole(&rel), rel, want, found)
            }
            Ok(_) => {}
            Err(e) => report.unreadable.push((whole(&rel), e.to_string())),
        }
    }
    if cancel.is_cancelled() {
        return Err(S3Error::Cancelled(Box::default()));
    }
    for (rel, md5) in expected {
        report.missing.push(whole(&rel));
        lost.push(Lost::missing(rel, md5));
    }
    report.missing.sort();
    report.unknown.sort();
    report.corrupted.sort_by(|a, b| a.path.cmp(&b.path));
    report.elapsed = started.elapsed();
    Ok(Found::new(report, backend, lost, true))
}

/// A copy whose bytes are not the photo's: reported, and lost for the next sync.
fn changed(
    report: &mut VerifyReport,
    lost: &mut Vec<Lost>,
    path: PathBuf,
    rel: String,
    want: String,
    found: String,
) {
    report.corrupted.push(Corrupted {
        path,
        expected: want.clone(),
        found,
    });
    lost.push(Lost {
        remote_id: rel,
        md5: want,
        why: Why::Changed,
    });
}

/// Downloads and hashes `objects` (key, expected MD5), [`READERS`] at once; each comes
/// back with the MD5 of what was read.
async fn read_all(
    bucket: &Bucket,
    objects: Vec<(String, String)>,
    cancel: &Cancel,
) -> Vec<(String, String, Result<String, object_store::Error>)> {
    futures::stream::iter(objects)
        .take_while(|_| std::future::ready(!cancel.is_cancelled()))
        .map(|(rel, want)| async move {
            let got = read_md5(bucket, &rel).await;
            (rel, want, got)
        })
        .buffer_unordered(READERS)
        .collect()
        .await
}

async fn read_md5(bucket: &Bucket, rel: &str) -> Result<String, object_store::Error> {
    let mut stream = bucket.get(rel).await?.into_stream();
    let mut hasher = Md5::new();
    while let Some(chunk) = stream.next().await {
        hasher.update(&chunk?);
    }
    Ok(crate::library::hash::hex(hasher.finalize().as_slice()))
}
