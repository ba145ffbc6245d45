//! Which bytes Google Photos takes, judged from the first bytes: what the Flickr emulator's
//! sniffer knows (JPEG, PNG, GIF, TIFF, BMP, HEIC, the video containers) plus WebP, AVIF, ICO
//! and the Canon RAW files Flickr refuses.

use crate::emulators::flickr::filetype;

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
}
