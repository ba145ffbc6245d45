//! Which files are media, which are skipped, and whether a file's first bytes match
//! its name. The scanner decides by name first (cheap: no read needed for the 90% of
//! a typical tree that is photos), then checks the magic bytes of what it reads.

use std::ffi::OsStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Jpeg,
    Heif,
    Tiff,
    Png,
    Webp,
    Raw,
    Video,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Jpeg => "jpeg",
            MediaKind::Heif => "heif",
            MediaKind::Tiff => "tiff",
            MediaKind::Png => "png",
            MediaKind::Webp => "webp",
            MediaKind::Raw => "raw",
            MediaKind::Video => "video",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            MediaKind::Jpeg,
            MediaKind::Heif,
            MediaKind::Tiff,
            MediaKind::Png,
            MediaKind::Webp,
            MediaKind::Raw,
            MediaKind::Video,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The media kind a file name's extension announces, or None for other files.
    pub fn from_name(name: &OsStr) -> Option<Self> {
        let name = name.to_string_lossy();
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" | "jpe" | "jfif" => MediaKind::Jpeg,
            "heic" | "heif" | "hif" | "avif" => MediaKind::Heif,
            "tif" | "tiff" => MediaKind::Tiff,
            "png" => MediaKind::Png,
            "webp" => MediaKind::Webp,
            "cr2" | "cr3" | "crw" | "nef" | "nrw" | "arw" | "srf" | "sr2" | "dng" | "orf"
            | "rw2" | "raf" | "pef" | "srw" | "x3f" | "3fr" | "iiq" => MediaKind::Raw,
            "mp4" | "m4v" | "mov" | "qt" | "avi" | "mts" | "m2ts" | "3gp" | "mkv" | "wmv"
            | "mpg" | "mpeg" => MediaKind::Video,
            _ => return None,
        })
    }

    /// Checks the first bytes against the format the name promised. Raw and video come
    /// in too many containers to check cheaply, so they pass.
    pub fn check_magic(self, head: &[u8]) -> Result<(), String> {
        let ok = match self {
            MediaKind::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
            MediaKind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
            MediaKind::Tiff => head.starts_with(b"II*\0") || head.starts_with(b"MM\0*"),
            MediaKind::Heif => head.get(4..8) == Some(b"ftyp"),
            MediaKind::Webp => head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"),
            MediaKind::Raw | MediaKind::Video => true,
        };
        if ok {
            Ok(())
        } else if head.is_empty() {
            Err("empty file".to_string())
        } else {
            let shown: Vec<String> = head.iter().take(4).map(|b| format!("{b:02x}")).collect();
            Err(format!(
                "not a {} file: it starts with bytes {}",
                self.as_str(),
                shown.join(" ")
            ))
        }
    }
}

/// Names the scanner never descends into or reports: hidden entries, and the litter
/// that operating systems and NAS boxes leave in photo folders.
pub fn is_ignored(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    if bytes.first() == Some(&b'.') {
        return true;
    }
    matches!(
        bytes,
        b"Thumbs.db"
            | b"thumbs.db"
            | b"desktop.ini"
            | b"Desktop.ini"
            | b"@eaDir"
            | b"@Recycle"
            | b"#recycle"
            | b"$RECYCLE.BIN"
            | b"System Volume Information"
            | b"__MACOSX"
            | b"lost+found"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension_any_case() {
        assert_eq!(
            MediaKind::from_name(OsStr::new("a.JPG")),
            Some(MediaKind::Jpeg)
        );
        assert_eq!(
            MediaKind::from_name(OsStr::new("b.heic")),
            Some(MediaKind::Heif)
        );
        assert_eq!(
            MediaKind::from_name(OsStr::new("c.NEF")),
            Some(MediaKind::Raw)
        );
        assert_eq!(
            MediaKind::from_name(OsStr::new("d.MTS")),
            Some(MediaKind::Video)
        );
        assert_eq!(MediaKind::from_name(OsStr::new("notes.txt")), None);
        assert_eq!(MediaKind::from_name(OsStr::new("jpg")), None);
    }

    #[test]
    fn litter_and_hidden_names_are_ignored() {
        for n in [".DS_Store", "Thumbs.db", "@eaDir", "._IMG_1.JPG", ".git"] {
            assert!(is_ignored(OsStr::new(n)), "{n}");
        }
        assert!(!is_ignored(OsStr::new("IMG_1.JPG")));
    }

    #[test]
    fn magic_mismatch_is_explained() {
        assert!(MediaKind::Jpeg
            .check_magic(&[0xFF, 0xD8, 0xFF, 0xE1])
            .is_ok());
        let err = MediaKind::Jpeg.check_magic(b"GIF89a").unwrap_err();
        assert!(err.contains("47 49 46 38"), "{err}");
        assert_eq!(MediaKind::Png.check_magic(b"").unwrap_err(), "empty file");
    }
}
