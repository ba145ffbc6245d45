//! The plan: local photos joined with the remote index. A photo whose MD5 is not on
//! Flickr is uploaded, once however many local paths hold those bytes; photos on
//! Flickr that are not local are only counted, never deleted.

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
}

#[derive(Debug)]
pub struct Skip {
    pub path: PathBuf,
    pub reason: String,
    /// An unreadable file: a problem for the report, not only a decision.
    pub is_error: bool,
}

/// `refusals`: MD5s the backend refused before (type, size), with its message.
pub fn plan<'a>(
    photos: &'a [Photo],
    remote: &HashMap<String, Vec<String>>,
    refusals: &HashMap<String, String>,
) -> Plan<'a> {
    let mut plan = Plan::default();
    let mut first_path: HashMap<&str, &PathBuf> = HashMap::new();
    let mut local: HashSet<&str> = HashSet::new();
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
        local.insert(md5);
        if remote.contains_key(md5) {
            plan.already_there += 1;
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
    plan.remote_only = remote
        .keys()
        .filter(|m| !local.contains(m.as_str()))
        .count() as u64;
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

    #[test]
    fn uploads_what_is_missing_once_and_counts_the_rest() {
        let photos = vec![
            photo("/a.jpg", Some("aa")),
            photo("/b.jpg", Some("bb")),
            photo("/copy/b.jpg", Some("bb")),
            photo("/c.jpg", None),
        ];
        let remote = HashMap::from([
            ("aa".to_string(), vec!["1".to_string()]),
            ("zz".to_string(), vec!["2".to_string()]),
        ]);
        let plan = plan(&photos, &remote, &HashMap::new());
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
        let plan = plan(&photos, &HashMap::new(), &refusals);
        assert!(plan.uploads.is_empty());
        assert!(plan.refused[0].1.contains("RAW"));
        assert!(plan.refused[1].1.contains("earlier run"));
    }
}
