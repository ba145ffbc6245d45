//! Objects in a storage class that must be thawed before they can be read: S3 Glacier
//! Flexible Retrieval (`GLACIER`) and Glacier Deep Archive (`DEEP_ARCHIVE`); not Glacier
//! Instant Retrieval (`GLACIER_IR`), which reads like any other. AWS answers their GET
//! with `403 InvalidObjectState`; their HEAD names the class (`x-amz-storage-class`)
//! and a thaw asked for (`x-amz-restore: ongoing-request="true"`, then `"false"` with
//! an expiry once the temporary copy is there), per
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html>.
//! A restore finds them before it downloads anything, says how many, and asks for their
//! thaw when told to (RestoreObject, `POST ?restore`, which object_store cannot send:
//! signed by [`Bucket::signed`]).

use super::client::Bucket;
use std::collections::HashMap;

/// Days a thawed copy stays readable: time enough for a restore to fetch it.
pub const THAW_DAYS: u32 = 7;

/// Whether an object can be read now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cold {
    Readable,
    /// In a class that needs a thaw, and none asked for.
    Frozen,
    /// A thaw was asked for and is not done yet (hours).
    Thawing,
}

/// What an object's HEAD says of it.
pub fn cold(headers: &http::HeaderMap) -> Cold {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    if !matches!(
        text("x-amz-storage-class").as_str(),
        "GLACIER" | "DEEP_ARCHIVE"
    ) {
        return Cold::Readable;
    }
    let restore = text("x-amz-restore").replace(' ', "");
    if restore.contains("ongoing-request=\"false\"") {
        Cold::Readable
    } else if restore.contains("ongoing-request=\"true\"") {
        Cold::Thawing
    } else {
        Cold::Frozen
    }
}

impl Bucket {
    /// Whether each object of `rels` can be read now; an object whose HEAD fails counts
    /// as readable, and its GET says what is wrong.
    pub async fn colds(&self, rels: Vec<String>) -> HashMap<String, Cold> {
        self.each(rels, |rel| async move {
            let head = self.signed(http::Method::HEAD, &rel, "", &[], Vec::new());
            match head.await {
                Ok(answer) if answer.status.is_success() => cold(&answer.headers),
                _ => Cold::Readable,
            }
        })
        .await
    }

    /// Asks for the thaw of each object of `rels`.
    pub async fn thaws(
        &self,
        rels: Vec<String>,
    ) -> HashMap<String, Result<(), object_store::Error>> {
        self.each(rels, |rel| async move { self.thaw(&rel).await })
            .await
    }

    /// Asks for a temporary readable copy of `rel` for [`THAW_DAYS`] (the Standard tier:
    /// hours, 3 to 5 for GLACIER, up to 12 for DEEP_ARCHIVE). One already asked for counts
    /// as asked.
    pub async fn thaw(&self, rel: &str) -> Result<(), object_store::Error> {
        let body = format!(
            "<RestoreRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Days>{THAW_DAYS}</Days>\
             <GlacierJobParameters><Tier>Standard</Tier></GlacierJobParameters></RestoreRequest>"
        );
        let answer = self
            .signed(http::Method::POST, rel, "?restore=", &[], body.into_bytes())
            .await?;
        if answer.status.is_success() || answer.body.contains("RestoreAlreadyInProgress") {
            return Ok(());
        }
        Err(object_store::Error::Generic {
            store: "S3",
            source: format!("asking for a thaw: {}: {}", answer.status, answer.body).into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, http::HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn only_unthawed_glacier_and_deep_archive_objects_are_cold() {
        let deep = ("x-amz-storage-class", "DEEP_ARCHIVE");
        assert_eq!(cold(&headers(&[])), Cold::Readable);
        assert_eq!(
            cold(&headers(&[("x-amz-storage-class", "GLACIER_IR")])),
            Cold::Readable
        );
        assert_eq!(cold(&headers(&[deep])), Cold::Frozen);
        assert_eq!(
            cold(&headers(&[
                ("x-amz-storage-class", "GLACIER"),
                ("x-amz-restore", "ongoing-request=\"true\"")
            ])),
            Cold::Thawing
        );
        let done = "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"";
        assert_eq!(
            cold(&headers(&[deep, ("x-amz-restore", done)])),
            Cold::Readable
        );
    }
}
