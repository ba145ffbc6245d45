//! Flickr's plan: the shared plan ([`crate::engine::plan`]: duplicates, what Flickr does
//! not take, earlier refusals) with Flickr's extras. Photos on Flickr that are not local
//! are only counted, never deleted.
//!
//! The image-data MD5 (`checksum:imgmd5=`) keeps metadata edits from making
//! duplicates: a photo whose MD5 is not on Flickr but whose image data is, on a copy
//! whose MD5 no local file has any more, was edited after its upload; that copy is
//! updated instead ([`super::edited`]). A photo found by MD5 on a copy that lacks the
//! image-data tag (the old script's uploads) gets the tag.

use crate::catalog::RemoteCopy;
use crate::engine::plan::{self as shared, Accepts, Never};
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use std::collections::{HashMap, HashSet};

/// What Flickr takes: no camera RAW; photos up to 200 MB and videos up to 1 GB on a Pro
/// account (flickr.people.getUploadStatus); nothing empty (upload error 4).
pub fn accepts() -> Accepts {
    Accepts {
        name: "Flickr".into(),
        never: vec![Never {
            kind: MediaKind::Raw,
            extensions: vec![],
            reason: "Flickr does not accept camera RAW files; convert it to JPEG or TIFF to back it up there".into(),
        }],
        max_photo_bytes: Some(200 * 1024 * 1024),
        max_video_bytes: Some(1024 * 1024 * 1024),
        empty: false,
    }
}

#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// What every destination's plan says: held, duplicates, not taken, refused before.
    pub shared: shared::Plan<'a>,
    /// One photo per MD5 to upload, in path order.
    pub uploads: Vec<(&'a Photo, String)>,
    /// Bytes of the uploads.
    pub bytes: u64,
    /// MD5s on Flickr with no local file.
    pub remote_only: u64,
    /// Photos whose metadata changed after upload, with the copy to update.
    pub edited: Vec<(&'a Photo, RemoteCopy)>,
    /// Copies found by MD5 that lack their `checksum:imgmd5=` tag, with it.
    pub to_tag: Vec<(&'a Photo, RemoteCopy)>,
}

/// The remote copies by MD5 and by image-data MD5.
#[derive(Debug, Default)]
pub struct RemoteIndex<'r> {
    by_md5: HashMap<&'r str, Vec<&'r RemoteCopy>>,
    by_imgmd5: HashMap<&'r str, Vec<&'r RemoteCopy>>,
}

impl<'r> RemoteIndex<'r> {
    pub fn new(copies: &'r [RemoteCopy]) -> Self {
        let mut index = RemoteIndex::default();
        for copy in copies {
            index.by_md5.entry(&copy.md5).or_default().push(copy);
            if let Some(img) = &copy.imgmd5 {
                index.by_imgmd5.entry(img).or_default().push(copy);
            }
        }
        index
    }
}

/// Flickr's extras on the engine's plan (`shared`, made from the same copies).
pub fn extend<'a>(
    shared: shared::Plan<'a>,
    photos: &'a [Photo],
    remote: &RemoteIndex<'_>,
) -> Plan<'a> {
    let mut plan = Plan {
        shared,
        ..Plan::default()
    };
    let mut local: HashSet<&str> = photos.iter().filter_map(|p| p.md5.as_deref()).collect();
    let mut claimed: HashSet<&str> = HashSet::new();
    for &photo in &plan.shared.held {
        let (Some(md5), Some(img)) = (photo.md5.as_deref(), &photo.imgmd5) else {
            continue;
        };
        let untagged = remote.by_md5.get(md5).into_iter().flatten();
        for copy in untagged.filter(|c| c.imgmd5.is_none()) {
            if claimed.insert(&copy.remote_id) {
                let tagged = RemoteCopy {
                    imgmd5: Some(img.clone()),
                    ..(*copy).clone()
                };
                plan.to_tag.push((photo, tagged));
            }
        }
    }
    for &photo in &plan.shared.send {
        let Some(md5) = photo.md5.as_deref() else {
            continue;
        };
        // Edited after upload: a copy with the same image data whose bytes no local
        // file has any more. When the original file is still here too, the two are
        // different files of the library, and this one is uploaded like any other.
        let edited_copy = photo
            .imgmd5
            .as_deref()
            .and_then(|img| remote.by_imgmd5.get(img))
            .and_then(|same| {
                same.iter().find(|c| {
                    !local.contains(c.md5.as_str()) && !claimed.contains(c.remote_id.as_str())
                })
            });
        if let Some(copy) = edited_copy {
            claimed.insert(&copy.remote_id);
            local.insert(&copy.md5);
            plan.edited.push((photo, (*copy).clone()));
            continue;
        }
        plan.bytes += photo.size;
        plan.uploads.push((photo, md5.to_string()));
    }
    plan.remote_only = remote.by_md5.keys().filter(|m| !local.contains(*m)).count() as u64;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine's plan with Flickr's extras, as a run makes it.
    fn plan<'a>(
        photos: &'a [Photo],
        remote: &RemoteIndex<'_>,
        accepts: &Accepts,
        refusals: &HashMap<String, String>,
    ) -> Plan<'a> {
        let holds = |md5: &str| remote.by_md5.contains_key(md5);
        extend(
            shared::plan(photos, &holds, accepts, refusals),
            photos,
            remote,
        )
    }
    use crate::engine::outcome::Word;
    use std::path::PathBuf;

    fn photo(path: &str, md5: Option<&str>) -> Photo {
        crate::engine::plan::tests::photo(path, md5, MediaKind::Jpeg, 10)
    }

    fn copy(id: &str, md5: &str, imgmd5: Option<&str>) -> RemoteCopy {
        RemoteCopy {
            remote_id: id.into(),
            md5: md5.into(),
            uploaded_at: 1,
            imgmd5: imgmd5.map(String::from),
        }
    }

    fn with_image(path: &str, md5: &str, imgmd5: &str) -> Photo {
        Photo {
            imgmd5: Some(imgmd5.into()),
            ..photo(path, Some(md5))
        }
    }

    #[test]
    fn an_edited_photo_updates_its_copy_and_old_uploads_get_the_image_tag() {
        let photos = [
            // Edited after upload: its old bytes (aa) are nowhere local.
            with_image("/edited.jpg", "a2", "ia"),
            // On Flickr by MD5, uploaded by the old script: no image tag yet.
            with_image("/old.jpg", "bb", "ib"),
            // Both the original and an edited copy are here: two files, both kept.
            with_image("/c.jpg", "cc", "ic"),
            with_image("/c-edited.jpg", "c2", "ic"),
            // A new photo.
            with_image("/new.jpg", "dd", "id"),
        ];
        let copies = [
            copy("1", "aa", Some("ia")),
            copy("2", "bb", None),
            copy("3", "cc", Some("ic")),
        ];
        let plan = plan(
            &photos,
            &RemoteIndex::new(&copies),
            &accepts(),
            &HashMap::new(),
        );
        let edited: Vec<_> = plan
            .edited
            .iter()
            .map(|(p, c)| (p.path.to_str().unwrap(), c.remote_id.as_str()))
            .collect();
        assert_eq!(edited, vec![("/edited.jpg", "1")]);
        assert_eq!(plan.to_tag.len(), 1);
        assert_eq!(plan.to_tag[0].1, copy("2", "bb", Some("ib")));
        assert!(plan.shared.notes.is_empty());
        let uploads: Vec<_> = plan.uploads.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(uploads, vec!["c2", "dd"]);
        assert_eq!(plan.shared.counts.already_there, 2);
        assert_eq!(plan.remote_only, 0);
    }

    #[test]
    fn uploads_what_is_missing_once_and_counts_the_rest() {
        let photos = vec![
            photo("/a.jpg", Some("aa")),
            photo("/b.jpg", Some("bb")),
            photo("/copy/b.jpg", Some("bb")),
            photo("/c.jpg", None),
        ];
        let copies = [copy("1", "aa", None), copy("2", "zz", None)];
        let plan = plan(
            &photos,
            &RemoteIndex::new(&copies),
            &accepts(),
            &HashMap::new(),
        );
        let uploads: Vec<_> = plan
            .uploads
            .iter()
            .map(|(p, m)| (p.path.clone(), m.clone()))
            .collect();
        assert_eq!(uploads, vec![(PathBuf::from("/b.jpg"), "bb".to_string())]);
        assert_eq!(plan.shared.counts.already_there, 1);
        assert_eq!(plan.shared.counts.duplicates, 1);
        assert_eq!(plan.shared.notes.len(), 2);
        // In path order: /c.jpg before /copy/b.jpg.
        assert!(plan.shared.notes[0].reason.contains("permission denied"));
        assert_eq!(plan.shared.notes[0].word, Word::Unreadable);
        assert_eq!(plan.shared.notes[1].word, Word::Duplicate);
        assert_eq!(plan.remote_only, 1);
        assert_eq!(plan.bytes, 10);
    }

    #[test]
    fn raw_files_and_files_refused_before_are_not_sent() {
        let mut raw = photo("/x.cr2", Some("cc"));
        raw.kind = MediaKind::Raw;
        let photos = [raw, photo("/refused.jpg", Some("dd"))];
        let refusals =
            HashMap::from([("dd".to_string(), "Filetype was not recognised".to_string())]);
        let plan = plan(&photos, &RemoteIndex::default(), &accepts(), &refusals);
        assert!(plan.uploads.is_empty());
        let notes = &plan.shared.notes;
        assert_eq!(
            (notes[0].word, notes[1].word),
            (Word::RefusedBefore, Word::NotTaken)
        );
        assert!(
            notes[0].reason.contains("earlier run"),
            "{}",
            notes[0].reason
        );
        assert!(notes[1].reason.contains("RAW"));
    }
}
