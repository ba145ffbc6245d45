//! Whether a file's own format says it is incomplete or broken: a JPEG whose image data
//! ends before its end marker (EOI), or whose structure breaks on the way (a segment
//! length below 2, a stray marker, no frame or no scan before EOI: what the scanner's
//! walk ([`crate::library::imghash`]) cannot follow, and so gives no image-data hash),
//! a PNG without its closing IEND chunk, an MP4 or MOV
//! (ISO base media) whose boxes run past the end of the file or that has no index
//! (`moov`, without which players cannot open it). Such a file is still backed up (a
//! damaged original beats none), but flagged with the reason, so that a person can look
//! for a better copy before the last good one is gone.
//!
//! Only what the format itself states is checked: a cut JPEG or a cut video is found,
//! a flipped bit inside the image data is not (that needs decoding every pixel). A file
//! that is not of its kind at all (a `.jpg` that does not start like a JPEG) is the
//! scanner's error, not damage.

use crate::library::hash::FileDigest;
use crate::library::kind::MediaKind;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// How the walk of a file's JPEG structure ended, in the scanner's single read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegEnd {
    /// At its end marker, after a frame and a scan: it has an image-data hash.
    Whole,
    /// The bytes ended inside the structure.
    CutShort,
    /// The structure broke before the end marker, or it had no frame or scan.
    Broken,
}

impl JpegEnd {
    pub fn of(digest: &FileDigest) -> JpegEnd {
        match (digest.jpeg_ended_early, digest.imgmd5.is_some()) {
            (true, _) => JpegEnd::CutShort,
            (false, true) => JpegEnd::Whole,
            (false, false) => JpegEnd::Broken,
        }
    }
}

/// The reason a file is damaged, or None when its format says it is whole (or the
/// format is one this module does not check). `jpeg` comes from the scanner's single
/// read ([`JpegEnd::of`] its [`FileDigest`]).
pub fn check(
    kind: MediaKind,
    path: &Path,
    size: u64,
    head: &[u8],
    jpeg: JpegEnd,
) -> Option<String> {
    let found = match kind {
        MediaKind::Jpeg => Ok(jpeg_damage(head, jpeg)),
        MediaKind::Png => File::open(path).and_then(|f| png(&f, size)),
        MediaKind::Video if is_iso_media(head) => {
            File::open(path).and_then(|f| iso_media(&f, size))
        }
        _ => Ok(None),
    };
    // The file was read whole a moment ago; a failure now is the file changing under the
    // scan, which the next scan sees. It is not a reason to call the file damaged.
    found.unwrap_or(None)
}

fn jpeg_damage(head: &[u8], jpeg: JpegEnd) -> Option<String> {
    match jpeg {
        JpegEnd::Whole => None,
        JpegEnd::CutShort => Some(
            "the image data ends before the JPEG's end marker (EOI): the file is cut short".into(),
        ),
        // Not a JPEG at all: the scanner's error says so.
        JpegEnd::Broken if !head.starts_with(&[0xFF, 0xD8, 0xFF]) => None,
        JpegEnd::Broken => Some(
            "its JPEG structure is broken before the end marker (EOI): a bad segment length, a stray \
             marker, or no frame or scan; the file is damaged"
                .into(),
        ),
    }
}

/// PNG's last chunk: length 0, type IEND, its fixed CRC. Some programs append bytes after
/// it, so it is looked for in the file's last 4 KiB rather than at its very end.
const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
const PNG_TAIL: u64 = 4096;

fn png(file: &File, size: u64) -> io::Result<Option<String>> {
    let start = size.saturating_sub(PNG_TAIL);
    let mut tail = vec![0u8; (size - start) as usize];
    file.read_exact_at(&mut tail, start)?;
    let whole = tail.windows(IEND.len()).any(|w| w == IEND);
    Ok((!whole).then(|| "the PNG has no IEND chunk at its end: the file is cut short".to_string()))
}

/// The top-level box types an MP4 or QuickTime file starts with.
fn is_iso_media(head: &[u8]) -> bool {
    matches!(
        head.get(4..8),
        Some(b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip" | b"pnot")
    )
}

/// A walk of the top-level boxes (size, type; a size of 1 means a 64-bit size follows,
/// 0 means "to the end of the file"), ISO/IEC 14496-12 section 4.2.
fn iso_media(file: &File, size: u64) -> io::Result<Option<String>> {
    const MAX_BOXES: usize = 100_000;
    let mut at = 0u64;
    let mut seen_index = false;
    for _ in 0..MAX_BOXES {
        if at == size {
            break;
        }
        let Some((kind, len)) = box_at(file, at, size)? else {
            return Ok(Some(format!(
                "its box structure breaks at byte {at} of {size}: the file is damaged"
            )));
        };
        seen_index |= &kind == b"moov";
        if at + len > size {
            let name = String::from_utf8_lossy(&kind).into_owned();
            return Ok(Some(format!(
                "it ends inside its '{name}' box ({} of {len} bytes are missing): the file is cut short",
                at + len - size
            )));
        }
        at += len;
    }
    Ok((!seen_index).then(|| "it has no index (moov box): players cannot open it".to_string()))
}

/// The type and length of the box at `at`; None when the bytes there are not a box.
fn box_at(file: &File, at: u64, size: u64) -> io::Result<Option<([u8; 4], u64)>> {
    if size - at < 8 {
        return Ok(None);
    }
    let mut header = [0u8; 16];
    let n = header.len().min((size - at) as usize);
    file.read_exact_at(&mut header[..n], at)?;
    let kind = [header[4], header[5], header[6], header[7]];
    let len = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
        0 => size - at,
        1 if n == 16 => u64::from_be_bytes(header[8..16].try_into().unwrap_or_default()),
        1 => return Ok(None),
        n => u64::from(n),
    };
    let printable = kind.iter().all(|b| b.is_ascii_graphic() || *b == b' ');
    Ok((len >= 8 && printable).then_some((kind, len)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> (tempfile::NamedTempFile, u64) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        (f, bytes.len() as u64)
    }

    fn mp4_box(kind: &[u8; 4], payload: usize) -> Vec<u8> {
        let mut b = ((8 + payload) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.resize(8 + payload, 0);
        b
    }

    fn check_bytes(kind: MediaKind, bytes: &[u8]) -> Option<String> {
        let (f, size) = file_with(bytes);
        check(
            kind,
            f.path(),
            size,
            &bytes[..bytes.len().min(64)],
            JpegEnd::Whole,
        )
    }

    #[test]
    fn a_whole_mp4_is_not_damaged_and_a_cut_one_is() {
        let whole = [
            mp4_box(b"ftyp", 16),
            mp4_box(b"mdat", 1000),
            mp4_box(b"moov", 200),
        ]
        .concat();
        assert_eq!(check_bytes(MediaKind::Video, &whole), None);
        let cut = &whole[..600];
        let why = check_bytes(MediaKind::Video, cut).unwrap();
        assert!(why.contains("'mdat'") && why.contains("cut short"), "{why}");
        let no_index = [mp4_box(b"ftyp", 16), mp4_box(b"mdat", 1000)].concat();
        assert!(check_bytes(MediaKind::Video, &no_index)
            .unwrap()
            .contains("no index"));
    }

    #[test]
    fn a_64_bit_box_size_and_a_box_to_the_end_are_read() {
        let mut big = 1u32.to_be_bytes().to_vec();
        big.extend_from_slice(b"mdat");
        big.extend_from_slice(&(16u64 + 100).to_be_bytes());
        big.resize(16 + 100, 0);
        let mut last = 0u32.to_be_bytes().to_vec();
        last.extend_from_slice(b"moov");
        last.resize(50, 0);
        let whole = [mp4_box(b"ftyp", 16), big, last].concat();
        assert_eq!(check_bytes(MediaKind::Video, &whole), None);
    }

    #[test]
    fn a_broken_jpeg_is_damaged_and_a_file_that_is_no_jpeg_is_not() {
        let soi_eoi = b"\xFF\xD8\xFF\xD9";
        let (f, size) = file_with(soi_eoi);
        let why = check(MediaKind::Jpeg, f.path(), size, soi_eoi, JpegEnd::Broken).unwrap();
        assert!(why.contains("broken"), "{why}");
        let page = b"<html>not found</html>";
        let (f, size) = file_with(page);
        assert_eq!(
            check(MediaKind::Jpeg, f.path(), size, page, JpegEnd::Broken),
            None
        );
    }

    #[test]
    fn other_videos_are_not_checked() {
        let avi = b"RIFF\x10\x00\x00\x00AVI LIST".to_vec();
        assert_eq!(check_bytes(MediaKind::Video, &avi), None);
    }

    #[test]
    fn a_png_needs_its_iend_near_the_end() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.resize(10_000, 7);
        assert!(check_bytes(MediaKind::Png, &png).unwrap().contains("IEND"));
        png.extend_from_slice(&IEND);
        assert_eq!(check_bytes(MediaKind::Png, &png), None);
        png.extend_from_slice(b"trailing bytes some programs add");
        assert_eq!(check_bytes(MediaKind::Png, &png), None);
    }
}
