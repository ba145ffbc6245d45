//! Which local photos go up: one per MD5 not already recorded, of a kind Google Photos takes
//! and within its size limits (200 MB for photos, 20 GB for videos); the rest are skipped
//! with a reason.

use crate::kind::MediaKind;
use crate::photo::Photo;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub const MAX_PHOTO_BYTES: u64 = 200 * 1024 * 1024;
pub const MAX_VIDEO_BYTES: u64 = 20 * 1024 * 1024 * 1024;

/// RAW formats Google Photos does not list among those it takes.
const UNSUPPORTED_RAW: [&str; 7] = ["crw", "srf", "sr2", "x3f", "3fr", "iiq", "mrw"];

#[derive(Debug, Clone)]
pub struct Job {
    pub md5: String,
    pub path: PathBuf,
    pub size: u64,
    pub mime: &'static str,
    pub file_name: String,
}

#[derive(Debug, Clone)]
pub struct Skip {
    pub path: PathBuf,
    pub reason: String,
    /// Unreadable files are errors; the rest are choices.
    pub is_error: bool,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub jobs: Vec<Job>,
    pub already_there: u64,
    pub duplicates: u64,
    pub bytes: u64,
    pub skipped: Vec<Skip>,
}

fn extension(photo: &Photo) -> String {
    photo
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The MIME type announced with an upload (Google sniffs the bytes too).
fn mime(kind: MediaKind, ext: &str) -> &'static str {
    match (kind, ext) {
        (MediaKind::Jpeg, _) => "image/jpeg",
        (MediaKind::Heif, "avif") => "image/avif",
        (MediaKind::Heif, _) => "image/heic",
        (MediaKind::Tiff, _) => "image/tiff",
        (MediaKind::Png, _) => "image/png",
        (MediaKind::Webp, _) => "image/webp",
        (MediaKind::Raw, "cr2") => "image/x-canon-cr2",
        (MediaKind::Raw, "cr3") => "image/x-canon-cr3",
        (MediaKind::Raw, "dng") => "image/x-adobe-dng",
        (MediaKind::Raw, _) => "application/octet-stream",
        (MediaKind::Video, "mov" | "qt") => "video/quicktime",
        (MediaKind::Video, "avi") => "video/x-msvideo",
        (MediaKind::Video, "mkv") => "video/x-matroska",
        (MediaKind::Video, "wmv") => "video/x-ms-wmv",
        (MediaKind::Video, "mpg" | "mpeg") => "video/mpeg",
        (MediaKind::Video, "3gp") => "video/3gpp",
        (MediaKind::Video, "mts" | "m2ts") => "video/mp2t",
        (MediaKind::Video, _) => "video/mp4",
    }
}

/// Why Google Photos would not take this photo, if it would not.
fn refusal(photo: &Photo, ext: &str) -> Option<String> {
    if photo.kind == MediaKind::Raw && UNSUPPORTED_RAW.contains(&ext) {
        return Some(format!("Google Photos does not take .{ext} RAW files"));
    }
    if photo.size == 0 {
        return Some("an empty file".into());
    }
    let (limit, what) = match photo.kind {
        MediaKind::Video => (MAX_VIDEO_BYTES, "20 GB limit for videos"),
        _ => (MAX_PHOTO_BYTES, "200 MB limit for photos"),
    };
    (photo.size > limit).then(|| format!("over Google Photos' {what}"))
}

pub fn plan(
    photos: &[Photo],
    index: &HashMap<String, Vec<String>>,
    refusals: &HashMap<String, String>,
) -> Plan {
    let mut plan = Plan::default();
    let mut seen = HashSet::new();
    for photo in photos {
        let Some(md5) = &photo.md5 else {
            plan.skipped.push(Skip {
                path: photo.path.clone(),
                reason: photo
                    .error
                    .clone()
                    .unwrap_or_else(|| "could not be read".into()),
                is_error: true,
            });
            continue;
        };
        if index.contains_key(md5) {
            plan.already_there += 1;
            continue;
        }
        if !seen.insert(md5.clone()) {
            plan.duplicates += 1;
            continue;
        }
        let ext = extension(photo);
        let refused = refusal(photo, &ext).or_else(|| {
            refusals
                .get(md5)
                .map(|m| format!("Google Photos refused it before: {m}"))
        });
        if let Some(reason) = refused {
            plan.skipped.push(Skip {
                path: photo.path.clone(),
                reason,
                is_error: false,
            });
            continue;
        }
        plan.bytes += photo.size;
        plan.jobs.push(Job {
            md5: md5.clone(),
            path: photo.path.clone(),
            size: photo.size,
            mime: mime(photo.kind, &ext),
            file_name: photo
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "photo".into()),
        });
    }
    plan
}
