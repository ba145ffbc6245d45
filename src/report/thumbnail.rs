//! A photo's embedded EXIF thumbnail (IFD1's JPEGInterchangeFormat), for the report's date
//! review: cameras store a ~160x120 JPEG there, so a person sees the photo without the report
//! decoding or carrying the full image. The review of a whole library shows it as stored
//! and never decodes a picture (a photo without one gets a placeholder); the import reads
//! its previews from here too ([`crate::import`]).

use exif::{In, Tag};
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

/// JPEG's APP1 segment (where EXIF and its thumbnail live) ends within the first 64 KiB
/// after a few small segments; TIFF-based files keep IFD1 near the start too.
const READ_LEN: u64 = 256 << 10;

/// Bigger than any camera's thumbnail: a larger "thumbnail" is a preview the page does not need.
const MAX_LEN: usize = 96 << 10;

/// The embedded thumbnail's JPEG bytes, or None when the file has none (or it is damaged,
/// or the file cannot be read: the report says "no thumbnail" either way).
pub fn embedded(path: &Path) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(READ_LEN)
        .read_to_end(&mut head)
        .ok()?;
    from_head(&head)
}

/// As [`embedded`], from the first bytes of a file.
pub fn from_head(head: &[u8]) -> Option<Vec<u8>> {
    let exif = match exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(head))
    {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => partial.into_inner().0,
        Err(_) => return None,
    };
    let uint = |tag| exif.get_field(tag, In::THUMBNAIL)?.value.get_uint(0);
    // Offsets in IFD1 count from the TIFF header, which is where `buf` starts.
    let start = usize::try_from(uint(Tag::JPEGInterchangeFormat)?).ok()?;
    let len = usize::try_from(uint(Tag::JPEGInterchangeFormatLength)?).ok()?;
    if len > MAX_LEN {
        return None;
    }
    let bytes = exif.buf().get(start..start.checked_add(len)?)?;
    // A thumbnail must at least be a JPEG: SOI first.
    bytes.starts_with(&[0xFF, 0xD8]).then(|| bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/exif-samples/jpg")
            .join(name)
    }

    #[test]
    fn reads_the_sanyo_thumbnail_at_the_offset_exiftool_gives() {
        let path = fixture("exif-org/sanyo-vpcg250.jpg");
        // exiftool: ThumbnailOffset 889 (from the file start; the TIFF header is at 12),
        // ThumbnailLength 3602.
        let thumb = embedded(&path).expect("thumbnail");
        assert_eq!(thumb.len(), 3602);
        let file = std::fs::read(&path).unwrap();
        assert_eq!(&file[889..889 + 3602], thumb.as_slice());
        assert_eq!(&thumb[thumb.len() - 2..], &[0xFF, 0xD9]);
    }

    #[test]
    fn none_for_files_without_one_and_for_cut_or_wild_offsets() {
        assert_eq!(from_head(b""), None);
        assert_eq!(from_head(b"not an image at all"), None);
        let file = std::fs::read(fixture("exif-org/sanyo-vpcg250.jpg")).unwrap();
        // The head ends inside the thumbnail: no half JPEG.
        assert_eq!(from_head(&file[..2000]), None);
        assert!(from_head(&file).is_some());
    }
}
