//! The chain that gives every photo its taken-date, from the best source it has.

use std::ffi::OsStr;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{Local, NaiveDateTime, TimeZone};

use super::{filename::from_file_name, DateSource, ExifDateTime, TakenAt};

/// Dates found in the file besides EXIF: the XMP packet's and a video's container's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Embedded {
    pub xmp: Option<ExifDateTime>,
    pub quicktime: Option<ExifDateTime>,
}

/// The chain: EXIF DateTimeOriginal, else DateTimeDigitized (both the camera's capture time),
/// else XMP photoshop:DateCreated or xmp:CreateDate (what an editor or a scanner kept of it),
/// else EXIF DateTime (the file's last change, often the capture), else a video's QuickTime
/// creation time, else a date in the file name, else mtime.
pub fn resolve(
    meta: Option<&crate::library::exif::Metadata>,
    embedded: &Embedded,
    file_name: &OsStr,
    mtime: SystemTime,
) -> TakenAt {
    let found = [
        (
            meta.and_then(|m| m.date_time_original),
            DateSource::ExifOriginal,
        ),
        (
            meta.and_then(|m| m.date_time_digitized),
            DateSource::ExifDigitized,
        ),
        (embedded.xmp, DateSource::Xmp),
        (meta.and_then(|m| m.date_time), DateSource::ExifDateTime),
        (embedded.quicktime, DateSource::QuickTime),
    ]
    .into_iter()
    .find_map(|(date, source)| date.map(|d| (d, source)));
    if let Some((date, source)) = found {
        return TakenAt {
            local: date.local,
            offset_seconds: date.offset_seconds,
            source,
        };
    }
    if let Some(local) = from_file_name(&file_name.to_string_lossy()) {
        return TakenAt {
            local,
            offset_seconds: None,
            source: DateSource::FileName,
        };
    }
    let (local, offset_seconds) = local_wall_time(mtime);
    TakenAt {
        local,
        offset_seconds: Some(offset_seconds),
        source: DateSource::Mtime,
    }
}

/// `mtime` as wall-clock time in this machine's time zone, and that zone's offset then.
/// chrono's `From<SystemTime>` panics outside its range (a file system can hold such a time),
/// so out-of-range times fall back to the Unix epoch rather than take the scan down.
pub fn local_wall_time(mtime: SystemTime) -> (NaiveDateTime, i32) {
    let utc = match mtime.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs())
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, after.subsec_nanos())),
        Err(before) => {
            let before = before.duration();
            i64::try_from(before.as_secs()).ok().and_then(|secs| {
                // Negative timestamps count whole seconds down and nanoseconds up.
                let (secs, nanos) = match before.subsec_nanos() {
                    0 => (-secs, 0),
                    n => (-secs - 1, 1_000_000_000 - n),
                };
                chrono::DateTime::from_timestamp(secs, nanos)
            })
        }
    }
    .unwrap_or_default();
    let local = Local.from_utc_datetime(&utc.naive_utc());
    (local.naive_local(), local.offset().local_minus_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::exif::Metadata;
    use chrono::{Datelike, NaiveDate};
    use std::time::Duration;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_milli_opt(h, mi, s, ms))
            .expect("valid test date")
    }

    fn exif_date(y: i32, offset_seconds: Option<i32>) -> Option<ExifDateTime> {
        Some(ExifDateTime {
            local: at(y, 1, 2, 3, 4, 5, 6),
            offset_seconds,
        })
    }

    #[test]
    fn resolve_prefers_original_then_digitized_then_datetime() {
        let name = OsStr::new("IMG_20190512_143015.jpg");
        let mut meta = Metadata {
            date_time_original: exif_date(2001, Some(3600)),
            date_time_digitized: exif_date(2002, None),
            date_time: exif_date(2003, None),
            ..Metadata::default()
        };
        let taken = resolve(Some(&meta), &Embedded::default(), name, SystemTime::now());
        assert_eq!(
            taken,
            TakenAt {
                local: at(2001, 1, 2, 3, 4, 5, 6),
                offset_seconds: Some(3600),
                source: DateSource::ExifOriginal
            }
        );
        meta.date_time_original = None;
        assert_eq!(
            resolve(Some(&meta), &Embedded::default(), name, SystemTime::now()).source,
            DateSource::ExifDigitized
        );
        meta.date_time_digitized = None;
        let taken = resolve(Some(&meta), &Embedded::default(), name, SystemTime::now());
        assert_eq!(
            (taken.source, taken.local.year()),
            (DateSource::ExifDateTime, 2003)
        );
    }

    #[test]
    fn xmp_comes_before_exif_datetime_and_quicktime_before_the_name() {
        let name = OsStr::new("IMG_20190512_143015.jpg");
        let embedded = Embedded {
            xmp: exif_date(2004, None),
            quicktime: exif_date(2005, Some(0)),
        };
        let mut meta = Metadata {
            date_time_digitized: exif_date(2002, None),
            date_time: exif_date(2003, None),
            ..Metadata::default()
        };
        let source = |m: &Metadata, e: &Embedded| resolve(Some(m), e, name, UNIX_EPOCH).source;
        assert_eq!(source(&meta, &embedded), DateSource::ExifDigitized);
        meta.date_time_digitized = None;
        assert_eq!(source(&meta, &embedded), DateSource::Xmp);
        let video = Embedded {
            xmp: None,
            ..embedded
        };
        assert_eq!(source(&meta, &video), DateSource::ExifDateTime);
        meta.date_time = None;
        let taken = resolve(Some(&meta), &video, name, UNIX_EPOCH);
        assert_eq!(
            (taken.source, taken.local.year()),
            (DateSource::QuickTime, 2005)
        );
        assert_eq!(source(&meta, &Embedded::default()), DateSource::FileName);
    }

    #[test]
    fn resolve_falls_back_to_file_name_then_mtime() {
        let empty = Metadata::default();
        let taken = resolve(
            Some(&empty),
            &Embedded::default(),
            OsStr::new("PXL_20210704_183012345.jpg"),
            UNIX_EPOCH,
        );
        assert_eq!(taken.source, DateSource::FileName);
        assert_eq!(taken.local, at(2021, 7, 4, 18, 30, 12, 345));
        assert_eq!(taken.offset_seconds, None);

        let mtime = UNIX_EPOCH + Duration::new(1_557_671_415, 250_000_000);
        let taken = resolve(
            None,
            &Embedded::default(),
            OsStr::new("DSC_1234.JPG"),
            mtime,
        );
        assert_eq!(taken.source, DateSource::Mtime);
        let offset = taken
            .offset_seconds
            .expect("mtime always has the local offset");
        let utc = taken.local - chrono::Duration::seconds(offset.into());
        assert_eq!(utc, at(2019, 5, 12, 14, 30, 15, 250));
    }

    #[test]
    fn mtime_out_of_chrono_range_does_not_panic() {
        let before_epoch = UNIX_EPOCH - Duration::new(1, 500_000_000);
        let (local, offset) = local_wall_time(before_epoch);
        let utc = local - chrono::Duration::seconds(offset.into());
        assert_eq!(utc, at(1969, 12, 31, 23, 59, 58, 500));
        for far in [
            Duration::from_secs(u64::MAX / 2),
            Duration::from_secs(1 << 62),
        ] {
            if let Some(t) = UNIX_EPOCH.checked_add(far) {
                let _ = resolve(None, &Embedded::default(), OsStr::new("x.jpg"), t);
            }
            if let Some(t) = UNIX_EPOCH.checked_sub(far) {
                let _ = resolve(None, &Embedded::default(), OsStr::new("x.jpg"), t);
            }
        }
    }
}
