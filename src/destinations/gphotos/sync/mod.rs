//! The Google Photos sync engine: backs a library up to Google Photos as a write-only copy
//! whose truth is photosync's own record (since 2025 the API shows no hashes and gives no
//! originals back).
//!
//! A run checks the refresh token, counts today's requests from the catalog against the
//! daily quota ([`quota`]), resolves the upload tokens a previous run left ([`resolve`]),
//! plans what is missing ([`plan`]), and uploads it through the engine ([`destination`])
//! with several uploads in flight and one batchCreate of up to 50 items at a time
//! ([`batch`]). The catalog records md5 -> media item id when
//! batchCreate answers; a photo recorded there is never uploaded again.

mod albums;
mod batch;
mod destination;
mod error;
mod options;
mod plan;
mod quota;
mod report;
mod resolve;
mod verify;

pub use destination::Gphotos;
pub use error::GphotosSyncError;
pub use options::{Checksum, GphotosSyncOptions};
pub use plan::{accepts as gphotos_accepts, MAX_PHOTO_BYTES, MAX_VIDEO_BYTES};
pub use quota::pacific_day;
pub use report::GphotosReport;
pub use verify::{verify_gphotos, VerifyReport};

use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::flickr::sync::SyncEvent;
use crate::destinations::gphotos::api::Client;
use crate::engine::one;
use crate::library::photo::Photo;

/// The catalog's name for a Google Photos project: `gphotos:<client id>` (the quota and
/// what the app may see are the project's).
pub fn backend_name(client: &Client) -> String {
    format!("gphotos:{}", client.config().client_id)
}

/// Uploads to Google Photos every photo whose MD5 is not recorded there yet, through the
/// engine ([`Gphotos`] is the destination).
///
/// Blocking: runs a single-threaded tokio runtime on the calling thread, so `events` is
/// called on it. Per-file problems end in the report; when the daily quota runs out the
/// run ends cleanly with `report.stopped` saying so. Cancelled, no new upload starts and
/// what finished is recorded; aborted, uploads in flight stop too.
pub fn sync_gphotos(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &Client,
    opts: &GphotosSyncOptions,
    cancel: &Cancel,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
) -> Result<GphotosReport, GphotosSyncError> {
    let runtime = one::runtime().map_err(GphotosSyncError::Runtime)?;
    let mut dest = Gphotos::new(client, opts.clone(), cancel)?;
    one::run_alone(&runtime, &mut dest, photos, catalog, cancel, events)
}
