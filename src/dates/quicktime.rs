//! A video's creation time from its movie header (`moov/mvhd`), when the head the scanner
//! read holds the `moov` box: phones and "fast start" files put it first; many cameras put
//! it at the end, and then the date comes from the file name or the mtime as before (reading
//! the end of every video for it is not worth a second read).

use chrono::{DateTime, NaiveDate};

use super::ExifDateTime;

/// Seconds from 1904-01-01 (QuickTime's epoch) to 1970-01-01.
const QUICKTIME_TO_UNIX: i64 = 2_082_844_800;

/// The mvhd creation time (UTC, as the format defines it) as this machine's wall-clock time.
/// None when there is no readable moov in `head` or the time is unset (0).
pub fn creation_time(head: &[u8]) -> Option<ExifDateTime> {
    let moov = find_box(head, b"moov")?;
    let mvhd = find_box(moov, b"mvhd")?;
    let (version, rest) = mvhd.split_first()?;
    let rest = rest.get(3..)?; // flags
    let secs = match version {
        0 => i64::from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)),
        1 => i64::try_from(u64::from_be_bytes(rest.get(..8)?.try_into().ok()?)).ok()?,
        _ => return None,
    };
    if secs == 0 {
        return None;
    }
    let utc = DateTime::from_timestamp(secs.checked_sub(QUICKTIME_TO_UNIX)?, 0)?;
    // Before 1990 no camera wrote video; such a value is garbage, not a date.
    if utc.date_naive() < NaiveDate::from_ymd_opt(1990, 1, 1)? {
        return None;
    }
    let (local, offset) = super::resolve::local_wall_time(utc.into());
    Some(ExifDateTime {
        local,
        offset_seconds: Some(offset),
    })
}

/// The payload of the first box of type `kind` among the boxes in `data` (not nested).
/// A box cut off by the end of `data` yields what there is of it.
fn find_box<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    let mut at = 0usize;
    while let Some(header) = data.get(at..at + 8) {
        let size = u32::from_be_bytes(header[..4].try_into().ok()?) as usize;
        let (header_len, size) = match size {
            1 => {
                let large = data.get(at + 8..at + 16)?;
                (
                    16,
                    usize::try_from(u64::from_be_bytes(large.try_into().ok()?)).ok()?,
                )
            }
            0 => (8, data.len() - at), // to the end of the file
            n => (8, n),
        };
        if size < header_len {
            return None;
        }
        let end = at.checked_add(size)?;
        if &header[4..8] == kind {
            return data.get(at + header_len..end.min(data.len()));
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(payload.len() + 8)
            .expect("small")
            .to_be_bytes()
            .to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(payload);
        out
    }

    fn mp4(version: u8, secs: u64) -> Vec<u8> {
        let mut mvhd = vec![version, 0, 0, 0];
        match version {
            0 => mvhd.extend_from_slice(&u32::try_from(secs).expect("fits").to_be_bytes()),
            _ => mvhd.extend_from_slice(&secs.to_be_bytes()),
        }
        mvhd.extend_from_slice(&[0; 16]);
        let mut out = boxed(b"ftyp", b"isom\0\0\0\0");
        out.extend(boxed(b"free", &[0; 5]));
        out.extend(boxed(
            b"moov",
            &[boxed(b"udta", b"x"), boxed(b"mvhd", &mvhd)].concat(),
        ));
        out
    }

    fn utc_of(t: ExifDateTime) -> NaiveDateTime {
        t.local - chrono::Duration::seconds(t.offset_seconds.expect("offset").into())
    }

    #[test]
    fn reads_version_0_and_1_headers() {
        // 2019-05-12 14:30:15 UTC.
        let secs = 1_557_671_415 + QUICKTIME_TO_UNIX as u64;
        let want = DateTime::from_timestamp(1_557_671_415, 0)
            .expect("valid")
            .naive_utc();
        for version in [0, 1] {
            let t = creation_time(&mp4(version, secs)).expect("date");
            assert_eq!(utc_of(t), want, "version {version}");
        }
    }

    #[test]
    fn unset_garbage_and_cut_files_are_none() {
        assert_eq!(creation_time(&mp4(0, 0)), None);
        assert_eq!(creation_time(&mp4(0, 1000)), None);
        assert_eq!(creation_time(&mp4(7, 1000)), None);
        let whole = mp4(1, 3_700_000_000);
        for cut in 0..whole.len() - 20 {
            assert_eq!(creation_time(&whole[..cut]), None, "cut at {cut}");
        }
        assert_eq!(creation_time(b"\0\0\0\x01moov\0\0\0\0\0\0\0\x01"), None);
        assert_eq!(creation_time(b"\0\0\0\x04moov"), None);
        assert_eq!(creation_time(b"\xff\xff\xff\xffmoov"), None);
    }
}
