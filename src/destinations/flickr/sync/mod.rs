//! The sync engine: backs a library up to Flickr so that every photo is there exactly
//! once, whatever fails on the way.
//!
//! A run reads the account's checksum tags into the catalog ([`index`]), resolves
//! uploads a previous run left unfinished ([`journal`]), joins the local photos with
//! the index ([`plan`]), and uploads what is missing through the engine ([`destination`],
//! [`upload`]), then
//! sets taken dates Flickr cannot read from the files ([`dates`]), and updates the
//! copies of photos edited since their upload ([`edited`]); every call is paced
//! by one token bucket (`crate::net::pacer`) and retried on transient failures ([`remote`]).

pub(crate) mod albums;
mod dates;
mod destination;
mod edited;
mod error;
pub(crate) mod heal;
mod index;
mod journal;
pub(crate) mod listing;
mod options;
pub(crate) mod photosets;
mod plan;
pub(crate) mod remote;
mod report;
pub(crate) mod tags;
mod tickets;
mod title;
mod upload;

pub use albums::album_title;
pub use destination::Flickr;
pub use error::SyncError;
pub use options::{Albums, Pacing, Privacy, SyncOptions};
pub use plan::accepts as flickr_accepts;
pub use report::{SyncEvent, SyncReport};
pub use tags::{checksum_tag, imgmd5_tag};
pub use title::{TitleError, TitleTemplate};

use crate::cancel::Cancel;
use crate::catalog::Catalog;
use crate::destinations::flickr::api::{self as flickr, FlickrError};
use crate::engine::one;
use crate::library::photo::Photo;
use remote::{Remote, Stop};

/// Uploads to Flickr every photo whose MD5 is not there yet, through the engine
/// ([`Flickr`] is the destination).
///
/// Blocking: runs its own single-threaded tokio runtime on the calling thread, so
/// `events` is always called from the calling thread. Per-file problems end in the
/// report; an `Err` means the run itself could not go on (catalog, login, index).
/// When `cancel` is set, no new upload starts, the ones in flight finish and are
/// recorded, and the run returns [`SyncError::Cancelled`] with the partial report.
/// Aborted ([`Cancel::abort`]), it stops the uploads in flight too; their journal
/// entries make the next run look them up before uploading anything again.
pub fn sync_flickr(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &flickr::Client,
    opts: &SyncOptions,
    cancel: &Cancel,
    events: &(dyn Fn(SyncEvent) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let runtime = one::runtime().map_err(SyncError::Runtime)?;
    let mut dest = Flickr::new(client, opts.clone(), cancel)?;
    one::run_alone(&runtime, &mut dest, photos, catalog, cancel, events)
}

/// The catalog's name for this Flickr account, `flickr:<nsid>`. Asking also checks the
/// credentials before anything else happens.
pub(crate) async fn backend_name(
    remote: &Remote,
    quiet: &(dyn Fn(u32, &FlickrError) + Send + Sync),
) -> Result<String, SyncError> {
    let login = match remote.rest("flickr.test.login", &[], quiet).await {
        Ok(v) => v,
        Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
        Err(Stop::Flickr(e)) => return Err(SyncError::flickr("checking the Flickr login", e)),
    };
    let nsid = login["user"]["id"].as_str().unwrap_or_default();
    if nsid.is_empty() {
        return Err(SyncError::flickr(
            "checking the Flickr login",
            FlickrError::Malformed {
                method: "flickr.test.login".into(),
                message: format!("no user id in {login}"),
            },
        ));
    }
    Ok(format!("flickr:{nsid}"))
}
