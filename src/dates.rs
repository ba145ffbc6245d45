//! The taken-date of a photo and where it came from.
//!
//! Flickr sorts a library by taken-date, so every file gets one, from the best source it has:
//! EXIF DateTimeOriginal, then DateTimeDigitized, then DateTime, then a date in the file name
//! (phones and chat apps put one there), and last the file's mtime. The source travels with the
//! date so the catalog and the user can tell a camera's word from a guess.

use std::ffi::OsStr;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{Datelike, Days, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Serializer;

/// A date and time as an EXIF field stores it: wall-clock time, and the UTC offset only when
/// the camera recorded one (OffsetTime*, EXIF 2.31 and later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ExifDateTime {
    /// Includes the sub-second part (SubSecTime*) as nanoseconds.
    #[serde(serialize_with = "serialize_naive")]
    pub local: NaiveDateTime,
    pub offset_seconds: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum DateSource {
    // Serialized under the same names as `as_str`, the ones the catalog and Ruby use.
    #[serde(rename = "exif")]
    ExifOriginal,
    #[serde(rename = "exif_digitized")]
    ExifDigitized,
    #[serde(rename = "exif_datetime")]
    ExifDateTime,
    #[serde(rename = "filename")]
    FileName,
    #[serde(rename = "mtime")]
    Mtime,
}

impl DateSource {
    const ALL: [DateSource; 5] = [
        DateSource::ExifOriginal,
        DateSource::ExifDigitized,
        DateSource::ExifDateTime,
        DateSource::FileName,
        DateSource::Mtime,
    ];

    /// The name stored in the catalog and shown to Ruby (as a Symbol).
    pub fn as_str(&self) -> &'static str {
        match self {
            DateSource::ExifOriginal => "exif",
            DateSource::ExifDigitized => "exif_digitized",
            DateSource::ExifDateTime => "exif_datetime",
            DateSource::FileName => "filename",
            DateSource::Mtime => "mtime",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TakenAt {
    #[serde(serialize_with = "serialize_naive")]
    pub local: NaiveDateTime,
    pub offset_seconds: Option<i32>,
    pub source: DateSource,
}

// chrono's own Serialize needs its "serde" feature; an ISO 8601 string is all we need.
fn serialize_naive<S: Serializer>(value: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&value.format("%Y-%m-%dT%H:%M:%S%.f"))
}

/// The chain: EXIF DateTimeOriginal, else DateTimeDigitized, else DateTime, else a date in the
/// file name, else mtime.
pub fn resolve(
    meta: Option<&crate::exif::Metadata>,
    file_name: &OsStr,
    mtime: SystemTime,
) -> TakenAt {
    let exif = meta.and_then(|m| {
        [
            (m.date_time_original, DateSource::ExifOriginal),
            (m.date_time_digitized, DateSource::ExifDigitized),
            (m.date_time, DateSource::ExifDateTime),
        ]
        .into_iter()
        .find_map(|(date, source)| date.map(|d| (d, source)))
    });
    if let Some((date, source)) = exif {
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
fn local_wall_time(mtime: SystemTime) -> (NaiveDateTime, i32) {
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

/// A date (and time, when there is one) in a camera's, phone's or app's file name, such as
/// `IMG_20190512_143015.jpg`, `PXL_20210704_183012345.jpg`, `2019-05-12 14.30.15.jpg`,
/// `WhatsApp Image 2019-05-12 at 14.30.15.jpeg` or `IMG-20190512-WA0001.jpg` (midnight).
///
/// A date must be whole runs of digits (8 for `20190512`, 4-2-2 for `2019-05-12`), so counters
/// such as `DSC_1234` or `P1000123` and long numbers never pass as dates; it must also be a real
/// day from 1990 to a year from now, since anything else is a counter that happens to parse.
pub fn from_file_name(name: &str) -> Option<NaiveDateTime> {
    let runs = digit_runs(name);
    let latest = Local::now()
        .date_naive()
        .checked_add_days(Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    (0..runs.len()).find_map(|i| {
        let found = compact_date(name, &runs[i..]).or_else(|| dashed_date(name, &runs[i..]))?;
        (found.year() >= 1990 && found.date() <= latest).then_some(found)
    })
}

/// A maximal run of ASCII digits in the name, and where it is.
#[derive(Clone, Copy)]
struct Run<'a> {
    start: usize,
    end: usize,
    digits: &'a str,
}

impl Run<'_> {
    fn value(&self) -> Option<u32> {
        self.digits.parse().ok()
    }
}

fn digit_runs(name: &str) -> Vec<Run<'_>> {
    let mut runs = Vec::new();
    let mut start = None;
    // The sentinel closes a run at the end of the name.
    for (i, b) in name.bytes().chain(std::iter::once(b'.')).enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let digits = name.get(s..i).unwrap_or_default();
                runs.push(Run {
                    start: s,
                    end: i,
                    digits,
                });
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// The text between two runs.
fn between<'a>(name: &'a str, a: &Run, b: &Run) -> &'a str {
    name.get(a.end..b.start).unwrap_or_default()
}

/// `20190512`, optionally followed by `_143015`, `-143015` or `_143015123` (milliseconds).
fn compact_date(name: &str, runs: &[Run]) -> Option<NaiveDateTime> {
    let (date, rest) = runs.split_first()?;
    let d = date.digits;
    if d.len() != 8 {
        return None;
    }
    let date_only = NaiveDate::from_ymd_opt(
        d[0..4].parse().ok()?,
        d[4..6].parse().ok()?,
        d[6..8].parse().ok()?,
    )?;
    let time = rest
        .first()
        .filter(|t| matches!(between(name, date, t), "_" | "-"))
        .and_then(|t| compact_time(t.digits));
    Some(date_only.and_time(time.unwrap_or(NaiveTime::MIN)))
}

/// `143015`, plus up to three digits of fractions of a second.
fn compact_time(d: &str) -> Option<NaiveTime> {
    if !(6..=9).contains(&d.len()) {
        return None;
    }
    let fraction = &d[6..];
    let nanos = match fraction.len() {
        0 => 0,
        n => fraction.parse::<u32>().ok()? * 10u32.pow(9 - n as u32),
    };
    NaiveTime::from_hms_nano_opt(
        d[0..2].parse().ok()?,
        d[2..4].parse().ok()?,
        d[4..6].parse().ok()?,
        nanos,
    )
}

/// `2019-05-12`, optionally followed by a time `14.30.15` or `14-30-15` after one of the
/// separators apps use: ` `, `_`, `-`, `T` or ` at ` (WhatsApp).
fn dashed_date(name: &str, runs: &[Run]) -> Option<NaiveDateTime> {
    let [y, m, d, rest @ ..] = runs else {
        return None;
    };
    let shape_ok = [(y, 4), (m, 2), (d, 2)]
        .iter()
        .all(|(r, len)| r.digits.len() == *len);
    if !shape_ok || between(name, y, m) != "-" || between(name, m, d) != "-" {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.value()? as i32, m.value()?, d.value()?)?;
    let time = match rest {
        [h, mi, s, ..]
            if [h, mi, s].iter().all(|r| r.digits.len() == 2)
                && matches!(between(name, d, h), " " | "_" | "-" | "T" | " at ")
                && matches!(between(name, h, mi), "." | "-" | ":")
                && between(name, h, mi) == between(name, mi, s) =>
        {
            NaiveTime::from_hms_opt(h.value()?, mi.value()?, s.value()?)
        }
        _ => None,
    };
    Some(date.and_time(time.unwrap_or(NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exif::Metadata;
    use std::time::Duration;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_milli_opt(h, mi, s, ms))
            .expect("valid test date")
    }

    #[test]
    fn file_names_from_phones_cameras_and_apps() {
        let cases = [
            ("IMG_20190512_143015.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            (
                "IMG_20190512_143015123.jpg",
                at(2019, 5, 12, 14, 30, 15, 123),
            ),
            (
                "PXL_20210704_183012345.jpg",
                at(2021, 7, 4, 18, 30, 12, 345),
            ),
            (
                "PXL_20210704_183012345.MP.jpg",
                at(2021, 7, 4, 18, 30, 12, 345),
            ),
            ("VID_20190512_143015.mp4", at(2019, 5, 12, 14, 30, 15, 0)),
            ("20190512_143015.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            (
                "Screenshot_20190512-143015.png",
                at(2019, 5, 12, 14, 30, 15, 0),
            ),
            ("2019-05-12 14.30.15.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            ("2019-05-12 14.30.15-1.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            ("2019-05-12 14-30-15", at(2019, 5, 12, 14, 30, 15, 0)),
            (
                "Screenshot_2019-05-12-14-30-15.png",
                at(2019, 5, 12, 14, 30, 15, 0),
            ),
            (
                "WhatsApp Image 2019-05-12 at 14.30.15.jpeg",
                at(2019, 5, 12, 14, 30, 15, 0),
            ),
            ("IMG-20190512-WA0001.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12_anything", at(2019, 5, 12, 0, 0, 0, 0)),
            (
                "Ferien 2019-05-12 Strand 3.jpg",
                at(2019, 5, 12, 0, 0, 0, 0),
            ),
            ("photo 1 2019-05-12.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            // A time that is not one leaves the date at midnight.
            ("IMG_20190512_996015.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12 25.30.15.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12 14.30-15.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("Ünïcødé 2019-05-12.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("1990-01-01.jpg", at(1990, 1, 1, 0, 0, 0, 0)),
        ];
        for (name, want) in cases {
            assert_eq!(from_file_name(name), Some(want), "{name}");
        }
    }

    #[test]
    fn counters_long_numbers_and_impossible_dates_are_not_dates() {
        let next_year = Local::now().year() + 2;
        let future = format!("IMG_{next_year}0101_120000.jpg");
        let names = [
            "DSC_1234.JPG",
            "P1000123.JPG",
            "12345678901234.jpg",
            "20190512143015.jpg",
            "IMG_120190512_143015.jpg",
            "IMG_20191312_143015.jpg",
            "IMG_20190230_143015.jpg",
            "2019-02-30.jpg",
            "2019-13-01.jpg",
            "2019-5-12.jpg",
            "12019-05-12.jpg",
            "2019-05-123.jpg",
            "2019_05_12.jpg",
            "IMG_19890512_143015.jpg",
            "1989-12-31.jpg",
            future.as_str(),
            "",
            "...",
            "IMG_0001.HEIC",
        ];
        for name in names {
            assert_eq!(from_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn source_names_round_trip() {
        for source in DateSource::ALL {
            assert_eq!(DateSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(DateSource::ExifOriginal.as_str(), "exif");
        assert_eq!(DateSource::parse("EXIF"), None);
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
        let taken = resolve(Some(&meta), name, SystemTime::now());
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
            resolve(Some(&meta), name, SystemTime::now()).source,
            DateSource::ExifDigitized
        );
        meta.date_time_digitized = None;
        let taken = resolve(Some(&meta), name, SystemTime::now());
        assert_eq!(
            (taken.source, taken.local.year()),
            (DateSource::ExifDateTime, 2003)
        );
    }

    #[test]
    fn resolve_falls_back_to_file_name_then_mtime() {
        let empty = Metadata::default();
        let taken = resolve(
            Some(&empty),
            OsStr::new("PXL_20210704_183012345.jpg"),
            UNIX_EPOCH,
        );
        assert_eq!(taken.source, DateSource::FileName);
        assert_eq!(taken.local, at(2021, 7, 4, 18, 30, 12, 345));
        assert_eq!(taken.offset_seconds, None);

        let mtime = UNIX_EPOCH + Duration::new(1_557_671_415, 250_000_000);
        let taken = resolve(None, OsStr::new("DSC_1234.JPG"), mtime);
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
                let _ = resolve(None, OsStr::new("x.jpg"), t);
            }
            if let Some(t) = UNIX_EPOCH.checked_sub(far) {
                let _ = resolve(None, OsStr::new("x.jpg"), t);
            }
        }
    }

    #[test]
    fn serializes_dates_as_iso_strings() {
        let taken = TakenAt {
            local: at(2019, 5, 12, 14, 30, 15, 123),
            offset_seconds: None,
            source: DateSource::FileName,
        };
        let json = serde_json::to_string(&taken).expect("serializes");
        assert_eq!(
            json,
            r#"{"local":"2019-05-12T14:30:15.123","offset_seconds":null,"source":"filename"}"#
        );
    }
}
