//! Verify the Flickr copy against the catalog: local photos missing on Flickr, the same
//! MD5 there more than once (duplicates other tools made), photos without a checksum
//! tag (for `adopt`), and photos only on Flickr (candidates for restore). With
//! `read_data`, originals are downloaded (all, or a sample) and re-hashed, which finds
//! bytes that changed on Flickr. It changes nothing on Flickr; copies the catalog
//! recorded that the listing no longer shows are forgotten as lost
//! ([`crate::engine::heal`]), so the next sync uploads them again (after a targeted
//! search confirms they are gone).

use super::{list_account, original_md5, AccountError, AccountOptions};
use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::flickr::api::Client;
use crate::destinations::flickr::sync::listing::Listed;
use crate::destinations::flickr::sync::remote::Remote;
use crate::destinations::flickr::sync::{Flickr, SyncError, SyncOptions};
use crate::engine::one;
use crate::engine::verify::{Check, Found, Verified};
use crate::engine::{self, heal};
use crate::library::photo::Photo;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::task::JoinSet;

#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Download originals and compare their MD5 with their tags.
    pub read_data: bool,
    /// With `read_data`: the share of tagged photos to read, in percent (0 or 100: all).
    pub sample_percent: f64,
    /// The local library: the catalog's files under this folder (all of them: `None`).
    pub root: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VerifyReport {
    pub photos_on_flickr: u64,
    pub local_photos: u64,
    /// Local files whose MD5 is not on Flickr (files Flickr does not take or refused
    /// are the sync's "not taken" and "refused", not missing).
    #[serde(serialize_with = "crate::serial::paths")]
    pub missing_on_flickr: Vec<PathBuf>,
    /// MD5 -> the Flickr photo ids that carry it, where more than one does.
    pub duplicates: BTreeMap<String, Vec<String>>,
    /// Flickr photos without a checksum tag.
    pub untagged: Vec<String>,
    /// Flickr photo id and MD5 of photos no local file holds.
    pub only_on_flickr: Vec<(String, String)>,
    /// Originals read back with `read_data`, and those whose bytes differ from their
    /// tag: photo id, tag, actual MD5 (or why it could not be read).
    pub read: u64,
    pub corrupted: Vec<(String, String, String)>,
    pub api_calls: u64,
    /// Copies the catalog recorded that Flickr no longer has: forgotten, for the next
    /// sync to upload again.
    pub forgotten: u64,
    /// Notes about the listing itself.
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// Nothing is wrong: every local photo is on Flickr once, every Flickr photo has
    /// its tag, and every original read matches it. Photos only on Flickr are fine.
    pub fn ok(&self) -> bool {
        self.missing_on_flickr.is_empty()
            && self.duplicates.is_empty()
            && self.untagged.is_empty()
            && self.corrupted.is_empty()
            && self.notes.is_empty()
    }
}

/// Checks the account against the catalog on the engine's verify
/// ([`crate::engine::verify`]): copies the listing no longer shows are forgotten for the
/// next sync.
pub fn verify_flickr(
    catalog: &mut Catalog,
    client: &Client,
    opts: &AccountOptions,
    verify: &VerifyOptions,
    cancel: &Cancel,
) -> Result<VerifyReport, AccountError> {
    let runtime = one::runtime().map_err(SyncError::Runtime)?;
    let sync_opts = SyncOptions {
        concurrency: opts.concurrency,
        ..opts.pacing.sync_options()
    };
    let mut flickr = Flickr::new(client, sync_opts, cancel)?;
    let mut check = Check {
        catalog,
        cancel,
        root: verify.root.clone(),
        read_data: verify.read_data,
        sample_percent: verify.sample_percent,
        progress: &mut |_| {},
    };
    Ok(engine::verify::verify(&runtime, &mut flickr, &mut check)?)
}

/// Flickr's part of verify: the whole account listed and compared with the catalog's
/// photos under the check's root; with `read_data`, originals read back.
pub(crate) async fn check(
    remote: &Arc<Remote>,
    concurrency: usize,
    check: &mut Check<'_>,
) -> Result<Found<VerifyReport>, AccountError> {
    let (backend, photos, notes) = list_account(remote).await?;
    let catalog = &mut *check.catalog;
    let root = check.root.clone().unwrap_or_else(|| PathBuf::from("/"));
    let refusals = catalog.refusals(&backend)?;
    let accepts = crate::destinations::flickr::sync::flickr_accepts();
    let expected = |p: &Photo| {
        accepts.not_taken(p).is_none() && p.md5.as_ref().is_some_and(|m| !refusals.contains_key(m))
    };
    let listed: HashSet<&str> = photos.iter().map(|p| p.id.as_str()).collect();
    let mut lost = heal::unlisted(catalog, &backend, &listed)?;
    // The listing may have missed them (unstable paging, search lag): asked for by id.
    let ids: Vec<String> = lost.iter().map(|l| l.remote_id.clone()).collect();
    let quiet = |_: u32, _: &crate::destinations::flickr::api::FlickrError| {};
    let here = crate::destinations::flickr::sync::heal::present(remote, &ids, &quiet).await?;
    let held: HashSet<String> = lost
        .iter()
        .filter(|l| here.contains(&l.remote_id))
        .map(|l| l.md5.clone())
        .collect();
    lost.retain(|l| !here.contains(&l.remote_id));
    let mut report = compare(catalog, &root, &photos, &held, &expected)?;
    report.photos_on_flickr += here.len() as u64;
    // An incomplete listing proves nothing lost.
    let whole = notes.is_empty() && !remote.cancel.is_cancelled();
    report.notes = notes;
    if check.read_data {
        let confirmed = read_back(
            remote,
            &photos,
            check.sample_percent,
            concurrency,
            &mut report,
        )
        .await;
        for id in confirmed {
            catalog.record_check(&backend, &id, "read-data")?;
        }
    }
    report.api_calls = remote.calls();
    if remote.cancel.is_cancelled() {
        return Err(AccountError::Cancelled);
    }
    Ok(Found::new(report, backend, lost, whole))
}

impl Verified for VerifyReport {
    fn set_forgotten(&mut self, forgotten: u64) {
        self.forgotten = forgotten;
    }
}

/// `held`: MD5s of copies the listing missed but Flickr has (asked for by id).
fn compare(
    catalog: &Catalog,
    root: &Path,
    photos: &[Listed],
    held: &HashSet<String>,
    expected: &dyn Fn(&Photo) -> bool,
) -> Result<VerifyReport, AccountError> {
    let local = catalog.files_under(root)?;
    let mut report = VerifyReport {
        photos_on_flickr: photos.len() as u64,
        local_photos: local.len() as u64,
        ..VerifyReport::default()
    };
    let mut on_flickr: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in photos {
        if p.md5s.is_empty() {
            report.untagged.push(p.id.clone());
        }
        for md5 in p.md5s.iter().collect::<HashSet<_>>() {
            on_flickr.entry(md5.clone()).or_default().push(p.id.clone());
        }
    }
    let local_md5s: HashSet<&str> = local.values().filter_map(|p| p.md5.as_deref()).collect();
    let mut missing: Vec<PathBuf> = local
        .iter()
        .filter(|(_, p)| {
            p.md5
                .as_ref()
                .is_some_and(|m| !on_flickr.contains_key(m) && !held.contains(m))
                && expected(p)
        })
        .map(|(path, _)| path.clone())
        .collect();
    missing.sort();
    report.missing_on_flickr = missing;
    for (md5, ids) in &on_flickr {
        if ids.len() > 1 {
            report.duplicates.insert(md5.clone(), ids.clone());
        }
        if !local_md5s.contains(md5.as_str()) {
            report.only_on_flickr.push((ids[0].clone(), md5.clone()));
        }
    }
    Ok(report)
}

/// Downloads the originals of tagged photos (a sample of them) and re-hashes them;
/// returns the ids of those whose bytes match their tag.
async fn read_back(
    remote: &Arc<Remote>,
    photos: &[Listed],
    sample_percent: f64,
    concurrency: usize,
    report: &mut VerifyReport,
) -> Vec<String> {
    let mut confirmed = Vec::new();
    let chosen: Vec<Listed> = photos
        .iter()
        .filter(|p| !p.md5s.is_empty() && sampled(&p.id, sample_percent))
        .cloned()
        .collect();
    let mut queue = chosen.into_iter();
    let mut tasks = JoinSet::new();
    loop {
        while tasks.len() < concurrency.max(1) && !remote.cancel.is_cancelled() {
            let Some(photo) = queue.next() else { break };
            let remote = remote.clone();
            tasks.spawn(async move {
                let got = original_md5(&remote, &photo).await;
                (photo, got)
            });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let Ok((photo, got)) = joined else { continue };
        report.read += 1;
        let actual = got.unwrap_or_else(|why| format!("unreadable: {why}"));
        if photo.md5s.contains(&actual) {
            confirmed.push(photo.id);
        } else {
            report
                .corrupted
                .push((photo.id, photo.md5s[0].clone(), actual));
        }
    }
    report.corrupted.sort();
    confirmed
}

/// Whether a photo is in a `percent` sample: a hash of its id, so a run reads the same
/// photos as the last one only by chance of the ids, not of the clock.
pub(crate) fn sampled(id: &str, percent: f64) -> bool {
    if percent <= 0.0 || percent >= 100.0 {
        return true;
    }
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    ((h % 10_000) as f64) < percent * 100.0
}

#[cfg(test)]
mod tests {
    use super::sampled;

    #[test]
    fn a_sample_takes_about_its_share() {
        let ids: Vec<String> = (0..10_000)
            .map(|i| (50_000_000_000u64 + i * 7).to_string())
            .collect();
        let taken = ids.iter().filter(|id| sampled(id, 5.0)).count();
        assert!((350..650).contains(&taken), "{taken}");
        assert!(ids.iter().all(|id| sampled(id, 0.0) && sampled(id, 100.0)));
    }
}
