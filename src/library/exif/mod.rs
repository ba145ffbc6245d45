//! Typed EXIF metadata (dates, camera, size, orientation, GPS, exposure) read with kamadak-exif
//! from the head of a file the scanner is already reading, so a scan reads each file once.
//!
//! Input is hostile by default (a library holds truncated copies, zero-byte files and files
//! with the wrong extension): nothing here may panic, and a field that is out of range or
//! unreadable is `None`, never a guess.
//!
//! What counts as broken, from a backup user's point of view:
//! - a JPEG, PNG, HEIF or WebP without EXIF is fine: `Ok(None)`;
//! - an empty file ([`ExifError::Empty`]) or bytes in no format EXIF can come in
//!   ([`ExifError::UnknownFormat`], e.g. random bytes named `.jpg`) are reported, because a photo
//!   that is neither is a damaged photo; the caller, which knows the file's kind, may ignore
//!   `UnknownFormat` for kinds that carry no EXIF (videos, GIFs, non-TIFF RAW);
//! - a container or EXIF block that cannot be parsed at all is [`ExifError::Broken`];
//! - EXIF with some bad entries (a wild offset, a bad sub-IFD) still yields the fields that
//!   could be read, as exiftool and exif-py do: losing the date over a broken maker note would
//!   serve the user worse than a partial reading;
//! - when `head` is only the start of the file, running out of bytes is not a fault of the
//!   file: the result is what could be read, or `Ok(None)`.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use exif::{Exif, In, Tag, Value};

use crate::dates::ExifDateTime;

/// How much of a file the scanner hands to [`parse`].
pub const HEAD_LEN: usize = 1 << 20;

/// kamadak-exif sniffs the format from at most this many leading bytes.
const SNIFF_LEN: usize = 4096;

/// [`read_path`] re-reads a file whose EXIF lies past [`HEAD_LEN`] (a TIFF whose IFD comes after
/// the pixels, a HEIF with its Exif item late) only up to this size: kamadak-exif loads a whole
/// TIFF into memory.
const FULL_READ_LIMIT: u64 = 256 << 20;

/// kamadak-exif's message when no known signature is found; pinned by the tests.
const UNKNOWN_FORMAT: &str = "Unknown image format";

#[derive(Debug, thiserror::Error)]
pub enum ExifError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is empty")]
    Empty,
    #[error("not a JPEG, TIFF, HEIF, PNG or WebP file")]
    UnknownFormat,
    #[error("broken EXIF: {0}")]
    Broken(String),
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Metadata {
    pub date_time_original: Option<ExifDateTime>,
    pub date_time_digitized: Option<ExifDateTime>,
    pub date_time: Option<ExifDateTime>,
    /// Trimmed of NULs and spaces; bytes that are not UTF-8 are read as Latin-1.
    pub make: Option<String>,
    pub model: Option<String>,
    /// PixelXDimension, else ImageWidth.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// 1..=8 as stored; any other value is `None`.
    pub orientation: Option<u16>,
    /// Signed decimal degrees, south and west negative.
    pub gps_latitude: Option<f64>,
    pub gps_longitude: Option<f64>,
    /// As stored, e.g. (1, 125); never with a zero denominator.
    pub exposure_time: Option<(u32, u32)>,
    pub f_number: Option<f64>,
    pub iso_speed_ratings: Option<u32>,
    /// As stored, e.g. "0230": each EXIF version has a publication date, so a photo cannot
    /// be older than the version its camera wrote.
    pub exif_version: Option<String>,
    /// BodySerialNumber: tells two bodies of the same model apart in date rules.
    pub serial: Option<String>,
    /// Date fields that are there but are no date ("0000:00:00 00:00:00", blank, 30 February),
    /// described for the user; such a field is `None` above.
    pub unreadable_dates: Vec<String>,
}

/// Parses EXIF out of the first bytes of a file (the scanner hands over the head of the file it
/// is already reading: up to [`HEAD_LEN`]; `complete` says whether `head` is the whole file).
/// `Ok(None)`: the file has no EXIF (e.g. JPEG without APP1, PNG without eXIf), or its EXIF lies
/// past an incomplete head. `Err`: the file is empty, not an image, or its EXIF is broken.
pub fn parse(head: &[u8], complete: bool) -> Result<Option<Metadata>, ExifError> {
    Ok(parse_head(head, complete)?.into_option())
}

/// Reads the head of the file at `path` (up to [`HEAD_LEN`] bytes) and parses it; when the EXIF
/// goes on past the head, reads on in the file (up to [`FULL_READ_LIMIT`]) so a single-file
/// lookup sees what the whole file holds. `Err(ExifError::Io)` for unreadable files.
pub fn read_path(path: &Path) -> Result<Option<Metadata>, ExifError> {
    let mut file = File::open(path)?;
    let mut head = Vec::new();
    (&mut file).take(HEAD_LEN as u64).read_to_end(&mut head)?;
    let complete = head.len() < HEAD_LEN || file.read(&mut [0u8; 1])? == 0;
    match parse_head(&head, complete)? {
        Parsed::Found(meta) => Ok(Some(meta)),
        Parsed::NoExif => Ok(None),
        Parsed::CutShort(partial) if file.metadata()?.len() > FULL_READ_LIMIT => Ok(partial),
        Parsed::CutShort(_) => {
            file.rewind()?;
            let whole = read_container(&mut BufReader::new(file));
            Ok(classify(whole, true, head.len())?.into_option())
        }
    }
}

/// What one attempt found.
enum Parsed {
    Found(Metadata),
    NoExif,
    /// The head ended before the EXIF did: whatever could be read from it.
    CutShort(Option<Metadata>),
}

impl Parsed {
    fn into_option(self) -> Option<Metadata> {
        match self {
            Parsed::Found(meta) => Some(meta),
            Parsed::NoExif => None,
            Parsed::CutShort(meta) => meta,
        }
    }
}

fn parse_head(head: &[u8], complete: bool) -> Result<Parsed, ExifError> {
    if head.is_empty() && complete {
        return Err(ExifError::Empty);
    }
    classify(read_container(&mut Cursor::new(head)), complete, head.len())
}

fn read_container<R: BufRead + Seek>(reader: &mut R) -> Result<Exif, exif::Error> {
    exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(reader)
}

/// Maps kamadak-exif's outcome to ours; see the module documentation for why.
fn classify(
    result: Result<Exif, exif::Error>,
    complete: bool,
    head_len: usize,
) -> Result<Parsed, ExifError> {
    match result {
        Ok(exif) => Ok(Parsed::Found(Metadata::from_exif(&exif))),
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            let read_any = exif.fields().len() > 0;
            match (complete, read_any) {
                (false, _) => Ok(Parsed::CutShort(
                    read_any.then(|| Metadata::from_exif(&exif)),
                )),
                (true, true) => Ok(Parsed::Found(Metadata::from_exif(&exif))),
                (true, false) => Err(ExifError::Broken(
                    errors
                        .first()
                        .map_or_else(|| "no readable field".into(), ToString::to_string),
                )),
            }
        }
        Err(exif::Error::NotFound(_)) => Ok(Parsed::NoExif),
        // A valid file whose EXIF is stored in a way kamadak-exif does not read (a HEIF item
        // built from another item) is not damaged; it just gives no EXIF.
        Err(exif::Error::NotSupported(_)) => Ok(Parsed::NoExif),
        Err(exif::Error::InvalidFormat(UNKNOWN_FORMAT)) if complete || head_len >= SNIFF_LEN => {
            Err(ExifError::UnknownFormat)
        }
        Err(e) if complete => Err(ExifError::Broken(e.to_string())),
        Err(_) => Ok(Parsed::CutShort(None)),
    }
}

impl Metadata {
    fn from_exif(exif: &Exif) -> Metadata {
        // Only the primary image: IFD1 describes the thumbnail (its size, its orientation).
        // Exif and GPS sub-IFD fields are filed under the IFD that points to them.
        let field = |tag| exif.get_field(tag, In::PRIMARY).map(|f| &f.value);
        let date = |main, subsec, offset| date_time(field(main)?, field(subsec), field(offset));
        let uint = |tag| field(tag)?.get_uint(0).filter(|&n| n > 0);
        let unreadable_dates = [
            (Tag::DateTimeOriginal, "DateTimeOriginal"),
            (Tag::DateTimeDigitized, "DateTimeDigitized"),
            (Tag::DateTime, "DateTime"),
        ]
        .into_iter()
        .filter_map(|(tag, name)| {
            let value = field(tag)?;
            date_time(value, None, None)
                .is_none()
                .then(|| unreadable(name, value))
        })
        .collect();
        Metadata {
            date_time_original: date(
                Tag::DateTimeOriginal,
                Tag::SubSecTimeOriginal,
                Tag::OffsetTimeOriginal,
            ),
            date_time_digitized: date(
                Tag::DateTimeDigitized,
                Tag::SubSecTimeDigitized,
                Tag::OffsetTimeDigitized,
            ),
            date_time: date(Tag::DateTime, Tag::SubSecTime, Tag::OffsetTime),
            make: field(Tag::Make).and_then(text),
            model: field(Tag::Model).and_then(text),
            width: uint(Tag::PixelXDimension).or_else(|| uint(Tag::ImageWidth)),
            height: uint(Tag::PixelYDimension).or_else(|| uint(Tag::ImageLength)),
            orientation: uint(Tag::Orientation)
                .filter(|o| (1..=8).contains(o))
                .and_then(|o| u16::try_from(o).ok()),
            gps_latitude: coordinate(field(Tag::GPSLatitude), field(Tag::GPSLatitudeRef), 90.0),
            gps_longitude: coordinate(field(Tag::GPSLongitude), field(Tag::GPSLongitudeRef), 180.0),
            exposure_time: rational(field(Tag::ExposureTime)),
            f_number: rational(field(Tag::FNumber)).map(|(n, d)| f64::from(n) / f64::from(d)),
            iso_speed_ratings: field(Tag::PhotographicSensitivity).and_then(|v| v.get_uint(0)),
            exif_version: field(Tag::ExifVersion)
                .and_then(bytes)
                .map(|b| String::from_utf8_lossy(b).trim().to_owned())
                .filter(|v| v.len() == 4 && v.bytes().all(|c| c.is_ascii_digit())),
            serial: field(Tag::BodySerialNumber).and_then(text),
            unreadable_dates,
        }
    }
}

/// The bytes of a text field. Some writers use BYTE or UNDEFINED instead of ASCII.
fn bytes(value: &Value) -> Option<&[u8]> {
    match value {
        Value::Ascii(parts) => parts.iter().find(|p| !p.is_empty()).map(Vec::as_slice),
        Value::Byte(b) | Value::Undefined(b, _) => b.split(|&c| c == 0).find(|p| !p.is_empty()),
        _ => None,
    }
}

/// Why a date field that is there gives no date, for the user.
fn unreadable(name: &str, value: &Value) -> String {
    let shown = bytes(value)
        .map(|b| {
            String::from_utf8_lossy(b)
                .trim_matches(['\0', ' '])
                .to_owned()
        })
        .unwrap_or_default();
    let digits = || shown.bytes().filter(u8::is_ascii_digit);
    match () {
        _ if digits().next().is_none() => format!("{name} is blank"),
        _ if digits().all(|c| c == b'0') => format!("{name} is all zeros ({shown})"),
        _ => format!("{name} is not a date ({shown})"),
    }
}

fn text(value: &Value) -> Option<String> {
    let raw = bytes(value)?;
    let decoded = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => raw.iter().copied().map(char::from).collect(),
    };
    let trimmed = decoded.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// "YYYY:MM:DD HH:MM:SS" with its SubSecTime and OffsetTime companions. Blank, all-zero and
/// impossible dates are `None`; a bad companion only loses its part.
fn date_time(main: &Value, subsec: Option<&Value>, offset: Option<&Value>) -> Option<ExifDateTime> {
    let mut raw: [u8; 19] = bytes(main)?.get(..19)?.try_into().ok()?;
    // Some software writes ISO-style separators; the fields are in the same places.
    if raw[4] == raw[7] && matches!(raw[4], b'-' | b'/' | b'.') {
        raw[4] = b':';
        raw[7] = b':';
    }
    if raw[10] == b'T' {
        raw[10] = b' ';
    }
    let mut dt = exif::DateTime::from_ascii(&raw).ok()?;
    if let Some(s) = subsec.and_then(bytes) {
        // On error `nanosecond` stays None: the whole seconds are still right.
        let _ = dt.parse_subsec(s.trim_ascii());
    }
    if let Some(o) = offset.and_then(bytes) {
        let _ = dt.parse_offset(o.trim_ascii());
    }
    let date = NaiveDate::from_ymd_opt(dt.year.into(), dt.month.into(), dt.day.into())?;
    let time = NaiveTime::from_hms_nano_opt(
        dt.hour.into(),
        dt.minute.into(),
        dt.second.into(),
        dt.nanosecond.unwrap_or(0),
    )?;
    Some(ExifDateTime {
        local: date.and_time(time),
        // Real zones lie within -12:00..=+14:00; "+99:99" is junk, not a place.
        offset_seconds: dt
            .offset
            .map(|m| i32::from(m) * 60)
            .filter(|s| s.abs() <= 14 * 3600),
    })
}

fn rational(value: Option<&Value>) -> Option<(u32, u32)> {
    match value? {
        Value::Rational(r) => r.first().filter(|r| r.denom != 0).map(|r| (r.num, r.denom)),
        _ => None,
    }
}

/// Degrees, minutes and seconds (some writers store fewer parts) and a N/S or E/W reference.
fn coordinate(dms: Option<&Value>, reference: Option<&Value>, max: f64) -> Option<f64> {
    let parts: Vec<f64> = match dms? {
        Value::Rational(r) => r
            .iter()
            .map(|r| (r.denom != 0).then(|| r.to_f64()))
            .collect::<Option<_>>()?,
        Value::SRational(r) => r
            .iter()
            .map(|r| (r.denom != 0).then(|| r.to_f64()))
            .collect::<Option<_>>()?,
        _ => return None,
    };
    if parts.is_empty() {
        return None;
    }
    let degrees: f64 = parts
        .iter()
        .take(3)
        .zip([1.0, 60.0, 3600.0])
        .map(|(v, unit)| v / unit)
        .sum();
    let negative = matches!(
        reference.and_then(bytes).and_then(|r| r.first()),
        Some(b'S' | b's' | b'W' | b'w')
    );
    let signed = if negative { -degrees.abs() } else { degrees };
    (signed.abs() <= max).then_some(signed)
}

#[cfg(test)]
mod tests;
