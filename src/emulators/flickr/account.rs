//! What kind of Flickr account the emulator plays, and the upload API's refusals that
//! follow from it, each as Flickr documents it
//! (https://www.flickr.com/services/api/upload.api.html and replace.api.html):
//! 7 "User exceeded video upload limit", 9 "Duplicate photo detected" (only with
//! `dedup_check`, answered with the `duplicate_photo_id`), 14 for a free account's
//! uploads that come too fast (answered with `non_pro_desktop_upload_wait_time`), and
//! replace's 1 "Not a pro account".

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::rest::ApiError;
use super::server::lock;
use super::store::Store;

/// The account's kind and limits (see `EmulatorConfig`).
#[derive(Debug)]
pub struct Account {
    pub pro: bool,
    pub max_videos: usize,
    pub dedup_check: bool,
    pub names_duplicate: bool,
    pub upload_wait: Duration,
    last_upload: Mutex<Option<Instant>>,
}

impl Account {
    pub fn new(
        pro: bool,
        max_videos: usize,
        dedup_check: bool,
        names_duplicate: bool,
        upload_wait: Duration,
    ) -> Account {
        Account {
            pro,
            max_videos,
            dedup_check,
            names_duplicate,
            upload_wait,
            last_upload: Mutex::new(None),
        }
    }

    /// Refuses a new upload the account may not make now: too soon after the last one
    /// (14), one video too many (7), or, when duplicates are checked (by the account or
    /// the request's `dedup_check`), bytes the account already holds (9).
    pub fn check_upload(
        &self,
        store: &Store,
        md5: &str,
        video: bool,
        dedup_param: Option<&str>,
    ) -> Result<(), ApiError> {
        if !self.upload_wait.is_zero() {
            let mut last = lock(&self.last_upload);
            let now = Instant::now();
            if let Some(wait) = last.and_then(|at| self.upload_wait.checked_sub(at.elapsed())) {
                return Err(ApiError::new(
                    14,
                    "Auto Upload disabled for Non pro User/Server at capacity",
                )
                .with(
                    "non_pro_desktop_upload_wait_time",
                    wait.as_secs_f64().ceil(),
                ));
            }
            *last = Some(now);
        }
        if video && store.photos.values().filter(|p| p.media == "video").count() >= self.max_videos
        {
            return Err(ApiError::new(7, "User exceeded video upload limit"));
        }
        let checked = self.dedup_check || matches!(dedup_param.map(str::trim), Some("1" | "2"));
        if let Some(dup) = store.photos.values().find(|p| checked && p.md5 == md5) {
            let refusal = ApiError::new(9, "Duplicate photo detected");
            return Err(if self.names_duplicate {
                refusal.with("duplicate_photo_id", dup.id)
            } else {
                refusal
            });
        }
        Ok(())
    }

    /// Replace is for Pro accounts only.
    pub fn check_replace(&self) -> Result<(), ApiError> {
        if self.pro {
            Ok(())
        } else {
            Err(ApiError::new(1, "Not a pro account"))
        }
    }
}
