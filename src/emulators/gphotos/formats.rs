//! Which bytes Google Photos takes, judged from the first bytes: what the Flickr emulator's
//! sniffer knows (JPEG, PNG, GIF, TIFF, BMP, HEIC, the video containers) plus WebP, AVIF, ICO
//! and the Canon RAW files Flickr refuses.

use crate::emulators::flickr::filetype;
use std::path::Path;

pub use filetype::HEAD_LEN;

/// The MIME type and whether it is a video, or `None` for bytes Google refuses.
pub fn sniff(head: &[u8]) -> Option<(&'static str, bool)> {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Some(("image/webp", false));
    }
    if at(4, b"ftypavif") {
        return Some(("image/avif", false));
    }
    if at(4, b"ftypcrx ") {
        return Some(("image/x-canon-cr3", false));
    }
    if at(0, b"II*\0") && at(8, b"CR") {
        return Some(("image/x-canon-cr2", false));
    }
    if at(0, &[0, 0, 1, 0]) {
        return Some(("image/x-icon", false));
    }
    let known = filetype::sniff(head)?;
    let mime = match known.format {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "tiff" => "image/tiff",
        "bmp" => "image/bmp",
        "heic" => "image/heic",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "mkv" => "video/x-matroska",
        "mpg" => "video/mpeg",
        "wmv" => "video/x-ms-wmv",
        _ => "video/mp4",
    };
    Some((mime, known.video))
}

/// Whether a stored JPEG is whole: its image data (after the first start-of-scan marker
/// outside the header segments, so not an EXIF thumbnail's) is followed by an end-of-image
/// marker. A file cut short in a copy or a failed card write is not, and Google answers it
/// with BAD_IMAGE. Data after the marker (phones' trailers, appended text) is fine. Bytes
/// whose header segments do not parse need only hold the marker somewhere.
pub fn jpeg_complete(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let from = match scan_start(&mut file) {
        Some(Ok(scan)) => scan + 2,
        // Cut inside the header segments.
        Some(Err(())) => return false,
        None => 2,
    };
    last_eoi(&mut file).is_some_and(|at| at >= from)
}

fn read_at(file: &mut std::fs::File, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)
}

/// Where the first start-of-scan segment begins, walking the header segments; `Err` when
/// the file ends inside them, `None` when they do not parse as segments.
fn scan_start(file: &mut std::fs::File) -> Option<Result<u64, ()>> {
    let mut at = 2;
    loop {
        let mut segment = [0u8; 4];
        if read_at(file, at, &mut segment[..2]).is_err() {
            return Some(Err(()));
        }
        if segment[0] != 0xFF {
            return None;
        }
        if segment[1] == 0xDA {
            return Some(Ok(at));
        }
        if read_at(file, at + 2, &mut segment[2..]).is_err() {
            return Some(Err(()));
        }
        at += 2 + u64::from(u16::from_be_bytes([segment[2], segment[3]]));
    }
}

/// The offset of the last end-of-image marker, read backwards a megabyte at a time.
fn last_eoi(file: &mut std::fs::File) -> Option<u64> {
    const CHUNK: u64 = 1 << 20;
    let len = file.metadata().ok()?.len();
    let mut end = len;
    while end > 0 {
        // One byte of overlap, so a marker across two chunks is found.
        let start = end.saturating_sub(CHUNK);
        let mut buf = vec![0u8; (end - start) as usize];
        read_at(file, start, &mut buf).ok()?;
        if let Some(i) = buf.windows(2).rposition(|w| w == [0xFF, 0xD9]) {
            return Some(start + i as u64);
        }
        end = if start == 0 { 0 } else { start + 1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_photos_raw_and_video_refuses_text() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(("image/jpeg", false))
        );
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(("image/webp", false)));
        assert_eq!(
            sniff(b"II*\0\x10\0\0\0CR\x02\0"),
            Some(("image/x-canon-cr2", false))
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypqt  "),
            Some(("video/quicktime", true))
        );
        assert_eq!(sniff(b"hello world"), None);
    }

    #[test]
    fn a_jpeg_cut_inside_its_image_data_is_not_whole_even_with_a_thumbnail_inside() {
        // APP1 holding a thumbnail (its own scan and end marker), then the image's scan.
        let thumb = [0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 9, 9, 0xFF, 0xD9];
        let mut whole = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, (2 + thumb.len()) as u8];
        whole.extend(thumb);
        whole.extend([0xFF, 0xDA, 0, 2]);
        whole.extend([7u8; 300]);
        whole.extend([0xFF, 0xD9]);
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        assert!(jpeg_complete(&write("whole.jpg", &whole)));
        let mut trailer = whole.clone();
        trailer.extend(b"appended by a phone");
        assert!(jpeg_complete(&write("trailer.jpg", &trailer)));
        assert!(!jpeg_complete(&write("cut.jpg", &whole[..200])));
        assert!(!jpeg_complete(&write("header.jpg", &whole[..5])));
    }
}
