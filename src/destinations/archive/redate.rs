//! Writing a rule-corrected taken-date into an archive copy (never into the user's file,
//! with `write_dates`). The EXIF date fields are fixed-length ASCII ("YYYY:MM:DD
//! HH:MM:SS" and a NUL), so the copy keeps the original's layout byte for byte and only
//! those 19 bytes change, patched on their way through the copy's buffer: nothing is
//! inserted, no maker note offset moves. kamadak-exif reads values but does not say where
//! they lie, hence the small IFD walk here; its result is checked by parsing the patched
//! head with kamadak-exif before anything is written.
//!
//! Covered: DateTimeOriginal, CreateDate (DateTimeDigitized) and ModifyDate (DateTime) in
//! a JPEG's Exif APP1 segment or a TIFF-based file (TIFF, DNG, most RAW). A photo without
//! an EXIF DateTimeOriginal within its first MiB is copied unchanged.

use crate::library::exif;
use chrono::NaiveDateTime;
use md5::{Digest as _, Md5};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

const DATE_LEN: usize = 19;
const DATE_TIME: u16 = 0x0132;
const DATE_TIME_ORIGINAL: u16 = 0x9003;
const DATE_TIME_DIGITIZED: u16 = 0x9004;
const EXIF_IFD: u16 = 0x8769;
const ASCII: u16 = 2;

/// The bytes to put over the copy's at given offsets of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patches(Vec<(u64, [u8; DATE_LEN])>);

impl Patches {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Patches `buf`, which holds the file's bytes from offset `at`.
    pub fn apply(&self, at: u64, buf: &mut [u8]) {
        let end = at + buf.len() as u64;
        for (offset, bytes) in &self.0 {
            let (from, to) = ((*offset).max(at), (offset + DATE_LEN as u64).min(end));
            if from < to {
                let src = &bytes[(from - offset) as usize..(to - offset) as usize];
                buf[(from - at) as usize..(to - at) as usize].copy_from_slice(src);
            }
        }
    }
}

/// The patches that give the file at `path` the taken-date `date`; empty when it has no
/// EXIF DateTimeOriginal this module can rewrite in place.
pub fn patches(path: &Path, date: NaiveDateTime) -> io::Result<Patches> {
    let mut head = Vec::new();
    let mut file = File::open(path)?;
    (&mut file)
        .take(exif::HEAD_LEN as u64)
        .read_to_end(&mut head)?;
    let complete = head.len() < exif::HEAD_LEN;
    Ok(for_head(&mut head, complete, date))
}

/// The MD5 the file at `path` has once redated: what a copy with the date written holds.
/// None when there is nothing to write.
pub fn redated_md5(path: &Path, date: NaiveDateTime) -> io::Result<Option<String>> {
    let patches = patches(path, date)?;
    if patches.is_empty() {
        return Ok(None);
    }
    let mut file = File::open(path)?;
    let mut md5 = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        patches.apply(at, &mut buf[..n]);
        md5.update(&buf[..n]);
        at += n as u64;
    }
    Ok(Some(crate::library::hash::hex(&md5.finalize())))
}

/// The patches for a file whose first bytes are `head` (patched in place to check them).
fn for_head(head: &mut [u8], complete: bool, date: NaiveDateTime) -> Patches {
    let text = date.format("%Y:%m:%d %H:%M:%S").to_string();
    let Ok(bytes) = <[u8; DATE_LEN]>::try_from(text.as_bytes()) else {
        return Patches::default(); // a year outside 1000..=9999
    };
    let fields = locate(head);
    if !fields.iter().any(|(tag, _)| *tag == DATE_TIME_ORIGINAL) {
        return Patches::default();
    }
    let patches = Patches(fields.iter().map(|(_, at)| (*at as u64, bytes)).collect());
    patches.apply(0, head);
    // kamadak-exif must read the new date where the walk above wrote it.
    let read = exif::parse(head, complete).ok().flatten();
    let local = read.and_then(|m| m.date_time_original).map(|d| d.local);
    match local {
        Some(l) if l.and_utc().timestamp() == date.and_utc().timestamp() => patches,
        _ => Patches::default(),
    }
}

/// (tag, offset in `head`) of every date field's value that lies wholly within `head`.
fn locate(head: &[u8]) -> Vec<(u16, usize)> {
    if head.starts_with(&[0xFF, 0xD8]) {
        return exif_segment(head)
            .map(|(start, tiff)| {
                let mut found = walk_tiff(tiff);
                found.iter_mut().for_each(|f| f.1 += start);
                found
            })
            .unwrap_or_default();
    }
    walk_tiff(head)
}

/// The start and bytes of the TIFF structure in a JPEG's Exif APP1 segment.
fn exif_segment(jpeg: &[u8]) -> Option<(usize, &[u8])> {
    let mut pos = 2;
    loop {
        while jpeg.get(pos) == Some(&0xFF) && jpeg.get(pos + 1) == Some(&0xFF) {
            pos += 1; // fill bytes
        }
        if jpeg.get(pos) != Some(&0xFF) {
            return None;
        }
        let marker = *jpeg.get(pos + 1)?;
        match marker {
            0xD0..=0xD7 | 0x01 => {
                pos += 2;
                continue;
            }
            0xDA | 0xD9 => return None, // image data: no metadata segment follows
            _ => {}
        }
        let len = u16::from_be_bytes([*jpeg.get(pos + 2)?, *jpeg.get(pos + 3)?]) as usize;
        let payload = jpeg.get(pos + 4..pos + 2 + len.max(2))?;
        if marker == 0xE1 && payload.starts_with(b"Exif\0\0") {
            return Some((pos + 10, &payload[6..]));
        }
        pos += 2 + len;
    }
}

/// The date fields of a TIFF structure: ModifyDate in IFD0 and IFD1, the two capture
/// dates in the Exif IFD. Anything out of bounds or odd is left out.
fn walk_tiff(t: &[u8]) -> Vec<(u16, usize)> {
    let le = match t.get(..4) {
        Some([0x49, 0x49, 0x2A, 0x00]) => true,
        Some([0x4D, 0x4D, 0x00, 0x2A]) => false,
        _ => return Vec::new(),
    };
    let u16_at = |at: usize| {
        t.get(at..at + 2).map(|b| [b[0], b[1]]).map(|b| {
            if le {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            }
        })
    };
    let u32_at = |at: usize| {
        t.get(at..at + 4)
            .map(|b| [b[0], b[1], b[2], b[3]])
            .map(|b| {
                if le {
                    u32::from_le_bytes(b)
                } else {
                    u32::from_be_bytes(b)
                }
            })
            .map(|v| v as usize)
    };
    let mut found = Vec::new();
    let mut seen = Vec::new();
    // (IFD offset, is the Exif IFD, is IFD0: its next IFD is IFD1)
    let mut queue = vec![(u32_at(4).unwrap_or(0), false, true)];
    while let Some((ifd, is_exif, is_first)) = queue.pop() {
        if ifd == 0 || seen.contains(&ifd) || seen.len() > 4 {
            continue;
        }
        seen.push(ifd);
        let Some(count) = u16_at(ifd) else { continue };
        for i in 0..count as usize {
            let entry = ifd + 2 + 12 * i;
            let (Some(tag), Some(typ), Some(n), Some(value)) = (
                u16_at(entry),
                u16_at(entry + 2),
                u32_at(entry + 4),
                u32_at(entry + 8),
            ) else {
                break;
            };
            if !is_exif && tag == EXIF_IFD {
                queue.push((value, true, false));
            }
            let wanted = if is_exif {
                tag == DATE_TIME_ORIGINAL || tag == DATE_TIME_DIGITIZED
            } else {
                tag == DATE_TIME
            };
            if wanted && typ == ASCII && n >= DATE_LEN && t.len() >= value + DATE_LEN {
                found.push((tag, value));
            }
        }
        if is_first {
            let next = u32_at(ifd + 2 + 12 * count as usize).unwrap_or(0);
            queue.push((next, false, false));
        }
    }
    found.sort_by_key(|f| f.1);
    found.dedup_by_key(|f| f.1);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("test date")
    }

    fn fixture(name: &str) -> Vec<u8> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples");
        std::fs::read(dir.join(name)).expect("fixture (shared/fixtures beside the repository)")
    }

    #[test]
    fn rewrites_the_three_dates_of_a_jpeg_and_nothing_else() {
        let original = fixture("jpg/exif-org/sanyo-vpcg250.jpg");
        let mut head = original.clone();
        let patches = for_head(&mut head, true, date("2000-11-04 04:05:06"));
        assert_eq!(patches.0.len(), 3);
        let mut copy = original.clone();
        // In odd-sized pieces, as a copy's buffers would cut it.
        for (i, piece) in copy.chunks_mut(7).enumerate() {
            patches.apply(i as u64 * 7, piece);
        }
        assert_eq!(copy, head);
        let changed = copy.iter().zip(&original).filter(|(a, b)| a != b).count();
        assert!((1..=3 * DATE_LEN).contains(&changed));
        let meta = exif::parse(&copy, true).unwrap().unwrap();
        for d in [
            meta.date_time_original,
            meta.date_time_digitized,
            meta.date_time,
        ] {
            assert_eq!(d.map(|d| d.local), Some(date("2000-11-04 04:05:06")));
        }
    }

    #[test]
    fn a_file_without_an_original_date_gets_no_patches() {
        let mut no_exif = vec![0xFF, 0xD8, 0xFF, 0xD9];
        assert!(for_head(&mut no_exif, true, date("2000-01-01 00:00:00")).is_empty());
        let mut noise: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(for_head(&mut noise, true, date("2000-01-01 00:00:00")).is_empty());
        let mut truncated = fixture("jpg/exif-org/sanyo-vpcg250.jpg")[..300].to_vec();
        assert!(for_head(&mut truncated, false, date("2000-01-01 00:00:00")).is_empty());
    }
}
