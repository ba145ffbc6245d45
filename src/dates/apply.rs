//! Pushing rule-corrected taken-dates to photos already on Flickr with
//! flickr.photos.setDates. The catalog's remote copies say which Flickr photos hold each
//! file (by MD5), and every date set is recorded, so running it again makes no call for a
//! date already there.

use std::path::PathBuf;
use std::time::Duration;

use super::review::Finding;
use super::{flickr_format, DatesError};
use crate::cancel::Cancel;
use crate::catalog::{AppliedDate, Catalog};
use crate::destinations::flickr::api::{self as flickr, FlickrError};

/// Tries per call when Flickr is busy or the network drops.
const ATTEMPTS: u32 = 3;
const FIRST_RETRY: Duration = Duration::from_millis(500);

#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct ApplyReport {
    /// setDates calls made and recorded.
    pub set: u64,
    /// Remote copies that already had the corrected date from an earlier run.
    pub unchanged: u64,
    /// Corrected photos with no known copy on this account (not uploaded, or the catalog's
    /// index was never read: run sync first).
    #[serde(serialize_with = "crate::serial::paths")]
    pub not_uploaded: Vec<PathBuf>,
    #[serde(serialize_with = "crate::serial::paths")]
    pub failed: Vec<(PathBuf, String)>,
}

/// Sets the rule-corrected date of every finding that has one on each of its Flickr
/// copies. Blocking: runs its own single-threaded tokio runtime on this thread.
pub fn apply(
    findings: &[Finding],
    catalog: &mut Catalog,
    client: &flickr::Client,
    cancel: &Cancel,
) -> Result<ApplyReport, DatesError> {
    catalog.hold_run_lock(cancel)?;
    let runtime = crate::engine::one::runtime().map_err(DatesError::Runtime)?;
    runtime.block_on(run(findings, catalog, client, cancel))
}

async fn run(
    findings: &[Finding],
    catalog: &mut Catalog,
    client: &flickr::Client,
    cancel: &Cancel,
) -> Result<ApplyReport, DatesError> {
    let login = call(client, "flickr.test.login", &[], cancel)
        .await
        .map_err(|source| DatesError::Flickr {
            context: "checking the Flickr login".into(),
            source,
        })?;
    let nsid = login["user"]["id"].as_str().unwrap_or_default();
    if nsid.is_empty() {
        return Err(DatesError::Flickr {
            context: "checking the Flickr login".into(),
            source: FlickrError::Malformed {
                method: "flickr.test.login".into(),
                message: format!("no user id in {login}"),
            },
        });
    }
    // The same backend name sync records its copies under.
    let backend = format!("flickr:{nsid}");
    let index = catalog.remote_index(&backend)?;
    let mut report = ApplyReport::default();
    for finding in findings {
        let (Some(fix), Some(md5)) = (&finding.fix, &finding.md5) else {
            continue;
        };
        let Some(ids) = index.get(md5) else {
            report.not_uploaded.push(finding.path.clone());
            continue;
        };
        let wanted = AppliedDate {
            date_taken: flickr_format(&fix.date),
            granularity: fix.granularity.flickr_value(),
        };
        for id in ids {
            if catalog.applied_date(&backend, id)?.as_ref() == Some(&wanted) {
                report.unchanged += 1;
                continue;
            }
            if cancel.is_cancelled() {
                return Err(DatesError::Cancelled {
                    applied: report.set,
                });
            }
            let granularity = wanted.granularity.to_string();
            let params = [
                ("photo_id", id.as_str()),
                ("date_taken", wanted.date_taken.as_str()),
                ("date_taken_granularity", granularity.as_str()),
            ];
            match call(client, "flickr.photos.setDates", &params, cancel).await {
                Ok(_) => {
                    catalog.record_applied_date(&backend, id, &wanted)?;
                    report.set += 1;
                }
                Err(FlickrError::Cancelled) => {
                    return Err(DatesError::Cancelled {
                        applied: report.set,
                    })
                }
                Err(e) => report
                    .failed
                    .push((finding.path.clone(), format!("Flickr photo {id}: {e}"))),
            }
        }
    }
    Ok(report)
}

/// One REST call, retried with a doubling delay while the failure is transient.
async fn call(
    client: &flickr::Client,
    method: &str,
    params: &[(&str, &str)],
    cancel: &Cancel,
) -> Result<serde_json::Value, FlickrError> {
    let owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut delay = FIRST_RETRY;
    let mut attempt = 1;
    loop {
        match client.call(method, &owned).await {
            Err(e) if e.is_retryable() && attempt < ATTEMPTS && !cancel.is_cancelled() => {
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            other => return other,
        }
    }
}
