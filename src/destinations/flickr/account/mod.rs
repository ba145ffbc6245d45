//! The Flickr account as a whole, against the catalog: `verify` (what is missing,
//! duplicated, untagged or only on Flickr; optionally re-hashing the originals) and
//! `adopt` (tagging photos uploaded by other tools with their checksum, so sync never
//! uploads them again), and `dedupe` (one copy of bytes other tools uploaded twice,
//! with the others' tags and albums). All start from one bulk listing of the account.

pub mod adopt;
pub mod dedupe;
pub mod verify;

use crate::cancel::Cancel;
use crate::catalog::CatalogError;
use crate::destinations::flickr::api::{Client, FlickrError};
use crate::destinations::flickr::sync::listing::{self, Listed, Query};
use crate::destinations::flickr::sync::remote::Remote;
use crate::destinations::flickr::sync::{Pacing, SyncError};
use md5::{Digest, Md5};

#[derive(Debug, Clone)]
pub struct AccountOptions {
    pub pacing: Pacing,
    /// Originals read at once (adopt, verify with read_data).
    pub concurrency: usize,
}

impl Default for AccountOptions {
    fn default() -> Self {
        AccountOptions {
            pacing: Pacing::default(),
            concurrency: 4,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Flickr(#[from] SyncError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("stopped; what was done is recorded, run it again to go on")]
    Cancelled,
}

impl From<AccountError> for SyncError {
    /// An account check run as the Flickr destination's verify.
    fn from(e: AccountError) -> SyncError {
        match e {
            AccountError::Flickr(e) => e,
            AccountError::Catalog(e) => SyncError::Catalog(e),
            AccountError::Cancelled => SyncError::Cancelled(Box::default()),
        }
    }
}

/// The run's paced, retrying view of Flickr, and its runtime.
fn connect(
    client: &Client,
    opts: &AccountOptions,
    cancel: &Cancel,
) -> Result<(tokio::runtime::Runtime, Remote), AccountError> {
    Ok(crate::destinations::flickr::sync::remote::connect(
        client,
        &opts.pacing,
        cancel,
    )?)
}

/// Every photo of the account with its checksum tags and original's URL, and the
/// catalog's name for the account.
async fn list_account(remote: &Remote) -> Result<(String, Vec<Listed>, Vec<String>), AccountError> {
    let quiet = |_: u32, _: &FlickrError| {};
    let backend = crate::destinations::flickr::sync::backend_name(remote, &quiet).await?;
    let mut photos = Vec::new();
    let query = Query {
        filters: &[],
        extras: "url_o",
        doing: "listing the Flickr account",
    };
    let notes = listing::list_all(
        remote,
        &query,
        None,
        &mut |page| {
            photos.extend(page);
            Ok(())
        },
        &quiet,
    )
    .await
    .map_err(|e| match e {
        SyncError::Cancelled(_) => AccountError::Cancelled,
        e => e.into(),
    })?;
    Ok((backend, photos, notes))
}

/// The MD5 of a photo's original as Flickr serves it, read without keeping the bytes;
/// transient failures are retried.
async fn original_md5(remote: &Remote, photo: &Listed) -> Result<String, String> {
    original_hashes(remote, photo, false)
        .await
        .map(|(md5, _)| md5)
}

/// The MD5 of the photo's original and, with `image`, its image-data MD5
/// ([`crate::library::imghash`]), from one download.
async fn original_hashes(
    remote: &Remote,
    photo: &Listed,
    image: bool,
) -> Result<(String, Option<String>), String> {
    let Some(url) = photo.raw["url_o"].as_str().filter(|u| !u.is_empty()) else {
        return Err("Flickr gives no original for it (url_o)".into());
    };
    let mut attempt = 1;
    loop {
        // md-5 (built with `asm`) is the MD5 engine's single-stream path (md5-asm, as
        // [`crate::library::md5x::steps::compress_blocks`]); lanes would gain nothing
        // here: one stream per download, which the network feeds far below its speed.
        let mut hasher = Md5::new();
        let mut pixels = image.then(crate::library::imghash::ImageHasher::new);
        let result = remote
            .download(url, &mut |chunk: &[u8]| {
                hasher.update(chunk);
                if let Some(p) = pixels.as_mut() {
                    p.update(chunk);
                }
                Ok(())
            })
            .await;
        match result {
            Ok(_) => {
                let img = pixels
                    .and_then(|p| p.finish())
                    .map(|d| crate::library::hash::hex(&d));
                return Ok((crate::library::hash::hex(&hasher.finalize()), img));
            }
            Err(e) if e.is_retryable() && attempt < remote.max_attempts() => {
                if remote.wait_after(attempt, &e).await.is_err() {
                    return Err("stopped".into());
                }
                attempt += 1;
            }
            Err(e) => return Err(format!("downloading the original: {e}")),
        }
    }
}
