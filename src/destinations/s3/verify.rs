//! `verify s3://bucket/prefix`: the bucket's listing compared with the catalog, without
//! downloading: every recorded copy must be listed, with its MD5 as ETag (or, for an
//! object uploaded in parts, in its `md5` metadata: one HEAD). Shaped like the archive's
//! verify ([`crate::destinations::archive::verify`]) and with its report: the copies it
//! finds gone or changed are forgotten as lost ([`crate::engine::heal`]) for the next
//! sync to make again.

use super::client::Bucket;
use super::{Connection, S3Error, S3Url};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::archive::{Corrupted, VerifyReport};
use crate::engine::heal::{self, Lost, Why};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

pub fn verify(
    url: &S3Url,
    conn: &Connection,
    catalog: &mut Catalog,
    cancel: &Cancel,
) -> Result<VerifyReport, S3Error> {
    let started = Instant::now();
    let runtime = crate::engine::one::runtime().map_err(|e| S3Error::Runtime(e.to_string()))?;
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
    let listed = runtime.block_on(bucket.list())?;
    let whole = |rel: &str| PathBuf::from(format!("{url}/{rel}"));
    let mut report = VerifyReport::default();
    let mut lost = Vec::new();
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
        let found = match object.etag_md5 {
            Some(md5) => Some(md5),
            None => match runtime.block_on(bucket.meta_md5(&object.rel)) {
                Ok(md5) => md5,
                Err(e) => {
                    report.unreadable.push((whole(&object.rel), e.to_string()));
                    continue;
                }
            },
        };
        if let Some(found) = found.filter(|f| *f != want) {
            report.corrupted.push(Corrupted {
                path: whole(&object.rel),
                expected: want.clone(),
                found,
            });
            lost.push(Lost {
                remote_id: object.rel,
                md5: want,
                why: Why::Changed,
            });
        }
    }
    for (rel, md5) in expected {
        report.missing.push(whole(&rel));
        lost.push(Lost::missing(rel, md5));
    }
    report.forgotten = heal::forget(catalog, &backend, &lost)?;
    report.missing.sort();
    report.unknown.sort();
    report.corrupted.sort_by(|a, b| a.path.cmp(&b.path));
    report.elapsed = started.elapsed();
    Ok(report)
}
