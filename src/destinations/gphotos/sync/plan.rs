//! Google Photos' plan: the shared plan ([`crate::engine::plan`]: duplicates, what Google
//! Photos does not take, earlier refusals), each photo to send with the MIME type and file
//! name its upload announces.

use crate::engine::plan::{self as shared, Accepts, Never};
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use std::path::PathBuf;

pub const MAX_PHOTO_BYTES: u64 = 200 * 1024 * 1024;
pub const MAX_VIDEO_BYTES: u64 = 20 * 1024 * 1024 * 1024;

/// RAW formats Google Photos does not list among those it takes.
const UNSUPPORTED_RAW: [&str; 7] = ["crw", "srf", "sr2", "x3f", "3fr", "iiq", "mrw"];

/// What Google Photos takes: photos up to 200 MB, videos up to 20 GB, most RAW formats
/// but not these, nothing empty.
pub fn accepts() -> Accepts {
    Accepts {
        name: "Google Photos".into(),
        never: UNSUPPORTED_RAW
            .iter()
            .map(|ext| Never {
                kind: MediaKind::Raw,
                extensions: vec![ext],
                reason: format!("Google Photos does not take .{ext} RAW files"),
            })
            .collect(),
        max_photo_bytes: Some(MAX_PHOTO_BYTES),
        max_video_bytes: Some(MAX_VIDEO_BYTES),
        empty: false,
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub md5: String,
    pub path: PathBuf,
    pub size: u64,
    pub mime: &'static str,
    pub file_name: String,
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

/// The jobs of the engine's plan, each with its MIME type and file name.
pub fn jobs(shared: &shared::Plan<'_>) -> Vec<Job> {
    shared
        .send
        .iter()
        .filter_map(|photo| {
            Some(Job {
                md5: photo.md5.clone()?,
                path: photo.path.clone(),
                size: photo.size,
                mime: mime(photo.kind, &extension(photo)),
                file_name: photo
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "photo".into()),
            })
        })
        .collect()
}
