//! The plan: local photos joined with the remote index. A photo whose MD5 is not on
//! Flickr is uploaded, once however many local paths hold those bytes; photos on
//! Flickr that are not local are only counted, never deleted.
//!
//! The image-data MD5 (`checksum:imgmd5=`) keeps metadata edits from making
//! duplicates: a photo whose MD5 is not on Flickr but whose image data is, on a copy
//! whose MD5 no local file has any more, was edited after its upload; that copy is
//! updated instead ([`super::edited`]). A photo found by MD5 on a copy that lacks the
//! image-data tag (the old script's uploads) gets the tag.

use crate::catalog::RemoteCopy;
use crate::kind::MediaKind;
use crate::photo::Photo;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Flickr's size limits on a Pro account.
const MAX_PHOTO_BYTES: u64 = 200 * 1024 * 1024;
const MAX_VIDEO_BYTES: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// One photo per MD5 to upload, in the order given.
    pub uploads: Vec<(&'a Photo, String)>,
    pub already_there: u64,
    /// Skipped on purpose, with the reason: local duplicates, unreadable files.
    pub skipped: Vec<Skip>,
    pub duplicates: u64,
    /// Files Flickr would refuse (RAW, too large) or refused before: they fail
    /// without an upload.
    pub refused: Vec<(PathBuf, String)>,
    pub bytes: u64,
    /// MD5s on Flickr with no local file.
    pub remote_only: u64,
    /// Photos whose metadata changed after upload, with the copy to update.
    pub edited: Vec<(&'a Photo, RemoteCopy)>,
    /// Copies found by MD5 that lack their `checksum:imgmd5=` tag, with it.
    pub to_tag: Vec<(&'a Photo, RemoteCopy)>,
}

#[derive(Debug)]
pub struct Skip {
    pub path: PathBuf,
    pub reason: String,
    /// An unreadable file: a problem for the report, not only a decision.
    pub is_error: bool,
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

/// `refusals`: MD5s the backend refused before (type, size), with its message.
pub fn plan<'a>(
    photos: &'a [Photo],
    remote: &RemoteIndex<'_>,
    refusals: &HashMap<String, String>,
) -> Plan<'a> {
    let mut plan = Plan::default();
    let mut first_path: HashMap<&str, &PathBuf> = HashMap::new();
    let mut local: HashSet<&str> = photos.iter().filter_map(|p| p.md5.as_deref()).collect();
    let mut claimed: HashSet<&str> = HashSet::new();
    for photo in photos {
        let Some(md5) = photo.md5.as_deref() else {
            let why = photo.error.as_deref().unwrap_or("could not be read");
            plan.skipped.push(Skip {
                path: photo.path.clone(),
                reason: format!("unreadable: {why}"),
                is_error: true,
            });
            continue;
        };
        if let Some(copies) = remote.by_md5.get(md5) {
            plan.already_there += 1;
            if let Some(img) = &photo.imgmd5 {
                for copy in copies.iter().filter(|c| c.imgmd5.is_none()) {
                    if claimed.insert(&copy.remote_id) {
                        let tagged = RemoteCopy {
                            imgmd5: Some(img.clone()),
                            ..(*copy).clone()
                        };
                        plan.to_tag.push((photo, tagged));
                    }
                }
            }
            continue;
        }
        if let Some(first) = first_path.get(md5) {
            plan.duplicates += 1;
            plan.skipped.push(Skip {
                path: photo.path.clone(),
                reason: format!("duplicate of {} (same MD5), uploaded once", first.display()),
                is_error: false,
            });
            continue;
        }
        first_path.insert(md5, &photo.path);
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
        if let Some(message) = refusals.get(md5) {
            plan.refused.push((
                photo.path.clone(),
                format!("{message} (refused on an earlier run; not sent again)"),
            ));
            continue;
        }
        if let Some(why) = refusal(photo) {
            plan.refused.push((photo.path.clone(), why));
            continue;
        }
        plan.bytes += photo.size;
        plan.uploads.push((photo, md5.to_string()));
    }
    plan.remote_only = remote.by_md5.keys().filter(|m| !local.contains(*m)).count() as u64;
    plan
}

/// Why Flickr would refuse this file, before spending an upload on it.
fn refusal(photo: &Photo) -> Option<String> {
    let mb = |b: u64| b / (1024 * 1024);
    match photo.kind {
        MediaKind::Raw => Some("Flickr does not accept camera RAW files; convert it to JPEG or TIFF to back it up there".into()),
        MediaKind::Video if photo.size > MAX_VIDEO_BYTES => Some(format!(
            "{} MB is over Flickr's {} MB limit for videos",
            mb(photo.size),
            mb(MAX_VIDEO_BYTES)
        )),
        MediaKind::Video => None,
        _ if photo.size > MAX_PHOTO_BYTES => Some(format!(
            "{} MB is over Flickr's {} MB limit for photos",
            mb(photo.size),
            mb(MAX_PHOTO_BYTES)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{DateSource, TakenAt};

    fn photo(path: &str, md5: Option<&str>) -> Photo {
        Photo {
            path: path.into(),
            size: 10,
            mtime_ns: 0,
            inode: 0,
            kind: MediaKind::Jpeg,
            md5: md5.map(String::from),
            imgmd5: None,
            taken: TakenAt {
                local: chrono::NaiveDateTime::default(),
                offset_seconds: None,
                source: DateSource::Mtime,
            },
            date_facts: Default::default(),
            make: None,
            model: None,
            width: None,
            height: None,
            orientation: None,
            error: md5.is_none().then(|| "permission denied".to_string()),
        }
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
        let plan = plan(&photos, &RemoteIndex::new(&copies), &HashMap::new());
        let edited: Vec<_> = plan
            .edited
            .iter()
            .map(|(p, c)| (p.path.to_str().unwrap(), c.remote_id.as_str()))
            .collect();
        assert_eq!(edited, vec![("/edited.jpg", "1")]);
        assert_eq!(plan.to_tag.len(), 1);
        assert_eq!(plan.to_tag[0].1, copy("2", "bb", Some("ib")));
        assert!(plan.skipped.is_empty());
        let uploads: Vec<_> = plan.uploads.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(uploads, vec!["c2", "dd"]);
        assert_eq!(plan.already_there, 2);
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
        let plan = plan(&photos, &RemoteIndex::new(&copies), &HashMap::new());
        let uploads: Vec<_> = plan
            .uploads
            .iter()
            .map(|(p, m)| (p.path.clone(), m.clone()))
            .collect();
        assert_eq!(uploads, vec![(PathBuf::from("/b.jpg"), "bb".to_string())]);
        assert_eq!(plan.already_there, 1);
        assert_eq!(plan.duplicates, 1);
        assert_eq!(plan.skipped.len(), 2);
        assert!(plan.skipped[1].reason.contains("permission denied"));
        assert!(plan.skipped[1].is_error && !plan.skipped[0].is_error);
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
        let plan = plan(&photos, &RemoteIndex::default(), &refusals);
        assert!(plan.uploads.is_empty());
        assert!(plan.refused[0].1.contains("RAW"));
        assert!(plan.refused[1].1.contains("earlier run"));
    }
}
