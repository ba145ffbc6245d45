//! Which uploads Flickr takes, judged from a file's first bytes: JPEG, PNG, GIF, TIFF, BMP,
//! HEIC and the common video containers. Camera RAW files (CR2, CR3, ORF, RW2, RAF) are refused
//! as Flickr refuses them ("Filetype was not recognised").

/// A recognised file: its format name (as Flickr's `originalformat`) and media kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub format: &'static str,
    pub video: bool,
}

const fn photo(format: &'static str) -> Option<FileType> {
    Some(FileType {
        format,
        video: false,
    })
}

const fn video(format: &'static str) -> Option<FileType> {
    Some(FileType {
        format,
        video: true,
    })
}

/// Bytes needed to decide.
pub const HEAD_LEN: usize = 64;

pub fn sniff(head: &[u8]) -> Option<FileType> {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        return photo("jpg");
    }
    if at(0, b"\x89PNG") {
        return photo("png");
    }
    if at(0, b"GIF8") {
        return photo("gif");
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") {
        // Canon CR2 is TIFF-shaped with "CR" at byte 8.
        return if at(8, b"CR") { None } else { photo("tiff") };
    }
    if at(0, b"BM") {
        return photo("bmp");
    }
    if at(4, b"ftyp") {
        let brand = head.get(8..12).unwrap_or(b"");
        return match brand {
            b"crx " => None,
            b"heic" | b"heix" | b"hevc" | b"mif1" | b"msf1" | b"avif" => photo("heic"),
            b"qt  " => video("mov"),
            _ => video("mp4"),
        };
    }
    if at(0, b"RIFF") && at(8, b"AVI ") {
        return video("avi");
    }
    if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        return video("mkv");
    }
    if at(0, &[0x00, 0x00, 0x01, 0xBA]) || at(0, &[0x00, 0x00, 0x01, 0xB3]) {
        return video("mpg");
    }
    if at(0, &[0x30, 0x26, 0xB2, 0x75]) {
        return video("wmv");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_photos_and_videos_and_refuses_raw() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|t| t.format),
            Some("jpg")
        );
        assert_eq!(sniff(b"\0\0\0\x18ftypqt  ").map(|t| t.video), Some(true));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic").map(|t| t.format), Some("heic"));
        assert_eq!(sniff(b"II*\0\x10\0\0\0CR\x02\0"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypcrx "), None);
        assert_eq!(sniff(b"hello"), None);
        assert_eq!(sniff(b""), None);
    }
}
