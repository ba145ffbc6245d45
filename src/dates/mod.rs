//! Taken-dates: where a photo's date comes from, whether it can be believed, and the
//! user's corrections.
//!
//! Flickr sorts a library by taken-date, so every file gets one, from the best source it has
//! ([`resolve`]): EXIF DateTimeOriginal, DateTimeDigitized, the XMP dates, EXIF DateTime, a
//! video's QuickTime creation time, a date in the file name, and last the file's mtime. The
//! source travels with the date so the catalog and the user can tell a camera's word from a
//! guess. Old cameras got dates wrong (a clock reset to 1998-01-01, a clock never set), so
//! [`suspect`] explains which dates look bogus, and [`rules`] corrects them without ever
//! touching a file; [`review`] puts both together, and [`apply`] pushes corrections to Flickr.

pub mod apply;
mod error;
pub mod filename;
pub mod offset;
pub mod quicktime;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod suspect;
#[cfg(test)]
pub(crate) mod testing;
pub mod xmp;

pub use error::DatesError;
pub use filename::from_file_name;
pub use resolve::resolve;

use chrono::NaiveDateTime;
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
    /// photoshop:DateCreated or xmp:CreateDate in the XMP packet.
    #[serde(rename = "xmp")]
    Xmp,
    #[serde(rename = "exif_datetime")]
    ExifDateTime,
    /// A video's mvhd creation time.
    #[serde(rename = "quicktime")]
    QuickTime,
    #[serde(rename = "filename")]
    FileName,
    #[serde(rename = "mtime")]
    Mtime,
    /// A date rule of the user's (never stored in the catalog: rules can change).
    #[serde(rename = "rule")]
    Rule,
}

/// How far a date can be trusted, from its source and what the checks found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl DateSource {
    const ALL: [DateSource; 8] = [
        DateSource::ExifOriginal,
        DateSource::ExifDigitized,
        DateSource::Xmp,
        DateSource::ExifDateTime,
        DateSource::QuickTime,
        DateSource::FileName,
        DateSource::Mtime,
        DateSource::Rule,
    ];

    /// The name stored in the catalog and shown to Ruby (as a Symbol).
    pub fn as_str(&self) -> &'static str {
        match self {
            DateSource::ExifOriginal => "exif",
            DateSource::ExifDigitized => "exif_digitized",
            DateSource::Xmp => "xmp",
            DateSource::ExifDateTime => "exif_datetime",
            DateSource::QuickTime => "quicktime",
            DateSource::FileName => "filename",
            DateSource::Mtime => "mtime",
            DateSource::Rule => "rule",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.as_str() == s)
    }

    /// What the source alone is worth: the camera's own capture fields and a rule the user
    /// wrote are high; a modification date, a name or a video container's time are medium
    /// (right as a rule, but often rewritten or in UTC); the mtime is a guess.
    pub fn confidence(self) -> Confidence {
        match self {
            DateSource::ExifOriginal | DateSource::ExifDigitized | DateSource::Rule => {
                Confidence::High
            }
            DateSource::Xmp
            | DateSource::ExifDateTime
            | DateSource::QuickTime
            | DateSource::FileName => Confidence::Medium,
            DateSource::Mtime => Confidence::Low,
        }
    }

    /// Whether the date was written by the camera into the file's EXIF (Flickr reads these
    /// itself on upload).
    pub fn is_exif(self) -> bool {
        matches!(
            self,
            DateSource::ExifOriginal | DateSource::ExifDigitized | DateSource::ExifDateTime
        )
    }
}

/// What a file says about dates besides the one chosen, kept for the checks in [`suspect`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DateFacts {
    /// EXIF DateTime (exiftool's ModifyDate): when the file was last written by the camera
    /// or an editor, so the capture cannot be later.
    #[serde(serialize_with = "serialize_naive_opt")]
    pub modify_date: Option<NaiveDateTime>,
    /// ExifVersion as stored ("0230").
    pub exif_version: Option<String>,
    pub serial: Option<String>,
    /// Date fields present but unreadable, as [`crate::library::exif::Metadata::unreadable_dates`].
    pub problem: Option<String>,
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

fn serialize_naive_opt<S: Serializer>(
    value: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serialize_naive(v, serializer),
        None => serializer.serialize_none(),
    }
}

/// For `serialize_with`: a date in [`flickr_format`], as reviews show it.
fn serialize_flickr<S: Serializer>(
    value: &NaiveDateTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&value.format("%Y-%m-%d %H:%M:%S"))
}

/// The `YYYY-MM-DD HH:MM:SS` form Flickr's date_taken and the CLI use.
pub fn flickr_format(date: &NaiveDateTime) -> String {
    date.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_milli_opt(h, mi, s, ms))
            .expect("valid test date")
    }

    #[test]
    fn source_names_round_trip() {
        for source in DateSource::ALL {
            assert_eq!(DateSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(DateSource::ExifOriginal.as_str(), "exif");
        assert_eq!(DateSource::parse("EXIF"), None);
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
