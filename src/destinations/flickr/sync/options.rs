//! What the caller chooses for a sync run: concurrency, privacy, tags, the call budget,
//! retries, and whether to change anything at all.

use super::title::TitleTemplate;
use std::time::Duration;

/// Who may see an uploaded photo, as Flickr's `is_public`/`is_friend`/`is_family`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Privacy {
    Private,
    /// The old script's habit, and the default.
    #[default]
    Family,
    Friends,
    FriendsAndFamily,
    Public,
}

impl Privacy {
    /// `private`, `family`, `friends`, `friends_and_family` or `public`.
    pub fn parse(name: &str) -> Option<Privacy> {
        match name {
            "private" => Some(Privacy::Private),
            "family" => Some(Privacy::Family),
            "friends" => Some(Privacy::Friends),
            "friends_and_family" | "friends-and-family" => Some(Privacy::FriendsAndFamily),
            "public" => Some(Privacy::Public),
            _ => None,
        }
    }

    /// The upload parameters for this privacy.
    pub fn upload_params(self) -> [(&'static str, &'static str); 3] {
        let (public, friend, family) = match self {
            Privacy::Private => ("0", "0", "0"),
            Privacy::Family => ("0", "0", "1"),
            Privacy::Friends => ("0", "1", "0"),
            Privacy::FriendsAndFamily => ("0", "1", "1"),
            Privacy::Public => ("1", "0", "0"),
        };
        [
            ("is_public", public),
            ("is_friend", friend),
            ("is_family", family),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Uploads in flight at once.
    pub concurrency: usize,
    /// Read the index and plan, report the plan as events, upload nothing.
    pub dry_run: bool,
    pub privacy: Privacy,
    /// Tags added to every upload besides the checksum machine tag.
    pub extra_tags: Vec<String>,
    /// The API key's budget: never more calls than this in any `budget_window`.
    pub calls_per_hour: u32,
    /// Tries per upload or call before a transient failure fails it.
    pub max_attempts: u32,
    /// Set the taken date with flickr.photos.setDates when it did not come from EXIF.
    pub set_dates: bool,
    /// The window `calls_per_hour` counts over: an hour on Flickr; tests shorten it.
    pub budget_window: Duration,
    /// The first retry's delay; each further retry doubles it (with jitter).
    pub retry_delay: Duration,
    /// The title of each upload.
    pub title: TitleTemplate,
    /// Put each upload in an album (photoset) named after its folder.
    pub albums: Albums,
    /// Items per album before it continues in "Title (2)": Flickr's limit.
    pub max_per_album: u64,
    /// Upload with `async=1` and poll flickr.photos.upload.checkTickets for the photo
    /// id: Flickr answers at once and processes the file afterwards.
    pub async_uploads: bool,
    /// How often tickets are polled while any is pending.
    pub ticket_poll: Duration,
    /// An upload whose answer was lost is looked up by checksum after this delay, and
    /// sent again only when that finds nothing; an unfinished upload of an earlier run
    /// younger than this is looked up again once it is this old. It must be longer than
    /// Flickr's search lag, which Flickr does not document (see docs/emulators.md).
    pub lookup_delay: Duration,
    /// A photo edited after its upload (same image data, other metadata) replaces the
    /// file on Flickr (its replace API); without it only the copy's taken date and
    /// checksum tag are updated.
    pub replace_edited: bool,
    /// Read the whole index first (not only what is new since the last run), so copies
    /// deleted on Flickr are found and made again without a separate verify.
    pub verify: bool,
    /// What Flickr takes (kinds, sizes): Flickr's own, or a test's smaller limits.
    pub accepts: crate::engine::plan::Accepts,
}

/// Which albums (photosets) uploads go into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Albums {
    #[default]
    None,
    /// One album per folder, titled with the folder's path under `root` (the folder's
    /// own name when the photo is not under `root`).
    Folders { root: std::path::PathBuf },
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            concurrency: 4,
            dry_run: false,
            privacy: Privacy::Family,
            extra_tags: Vec::new(),
            calls_per_hour: 3600,
            max_attempts: 5,
            set_dates: true,
            budget_window: Duration::from_secs(3600),
            retry_delay: Duration::from_secs(1),
            title: TitleTemplate::default(),
            albums: Albums::None,
            max_per_album: 20_000,
            async_uploads: false,
            ticket_poll: Duration::from_secs(1),
            lookup_delay: Duration::from_secs(5),
            replace_edited: false,
            verify: false,
            accepts: super::plan::accepts(),
        }
    }
}

/// How a run paces and retries its calls to Flickr: what restore, verify and adopt
/// share with sync.
#[derive(Debug, Clone)]
pub struct Pacing {
    pub calls_per_hour: u32,
    pub budget_window: Duration,
    pub max_attempts: u32,
    pub retry_delay: Duration,
}

impl Default for Pacing {
    fn default() -> Self {
        let s = SyncOptions::default();
        Pacing {
            calls_per_hour: s.calls_per_hour,
            budget_window: s.budget_window,
            max_attempts: s.max_attempts,
            retry_delay: s.retry_delay,
        }
    }
}

impl Pacing {
    /// Sync options with this pacing, for the remote of a run that is not a sync.
    pub fn sync_options(&self) -> SyncOptions {
        SyncOptions {
            calls_per_hour: self.calls_per_hour,
            budget_window: self.budget_window,
            max_attempts: self.max_attempts,
            retry_delay: self.retry_delay,
            ..SyncOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_only_by_default() {
        assert_eq!(
            SyncOptions::default().privacy.upload_params(),
            [("is_public", "0"), ("is_friend", "0"), ("is_family", "1")]
        );
        assert_eq!(Privacy::Public.upload_params()[0], ("is_public", "1"));
    }
}
