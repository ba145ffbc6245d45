//! EXIF from hostile and odd input: what is read, what is None, what is an error.

use super::*;
use exif::experimental::Writer;
use exif::{Field, Rational, SRational};

fn ascii(tag: Tag, s: &[u8]) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![s.to_vec()]),
    }
}

fn field(tag: Tag, value: Value) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    }
}

fn rationals(parts: &[(u32, u32)]) -> Value {
    Value::Rational(parts.iter().map(|&p| Rational::from(p)).collect())
}

fn tiff(fields: &[Field]) -> Vec<u8> {
    let mut writer = Writer::new();
    fields.iter().for_each(|f| writer.push_field(f));
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, false).expect("test EXIF encodes");
    out.into_inner()
}

fn jpeg(app1_payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(app1_payload.len() + 8).expect("small test segment");
    let mut out = vec![0xff, 0xd8, 0xff, 0xe1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(app1_payload);
    out.extend_from_slice(&[0xff, 0xd9]);
    out
}

fn parsed(fields: &[Field]) -> Metadata {
    parse(&jpeg(&tiff(fields)), true)
        .expect("parses")
        .expect("has EXIF")
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_nano_opt(h, mi, s, nanos))
        .expect("valid test date")
}

#[test]
fn reads_every_field() {
    let meta = parsed(&[
        ascii(Tag::Make, b"Canon  "),
        ascii(Tag::Model, b"Canon EOS 40D"),
        field(Tag::Orientation, Value::Short(vec![6])),
        field(Tag::ImageWidth, Value::Long(vec![160])),
        field(Tag::PixelXDimension, Value::Long(vec![4032])),
        field(Tag::PixelYDimension, Value::Short(vec![3024])),
        ascii(Tag::DateTimeOriginal, b"2021:07:29 21:28:46"),
        ascii(Tag::SubSecTimeOriginal, b"123"),
        ascii(Tag::OffsetTimeOriginal, b"+03:00"),
        ascii(Tag::DateTimeDigitized, b"2021:07:29 21:28:47"),
        ascii(Tag::OffsetTimeDigitized, b"-05:30"),
        ascii(Tag::DateTime, b"2021-07-30T08:00:00"),
        field(Tag::ExposureTime, rationals(&[(1, 125)])),
        field(Tag::FNumber, rationals(&[(189, 100)])),
        field(Tag::PhotographicSensitivity, Value::Short(vec![400, 800])),
        ascii(Tag::GPSLatitudeRef, b"S"),
        field(
            Tag::GPSLatitude,
            rationals(&[(40, 1), (39, 1), (233883, 5000)]),
        ),
        ascii(Tag::GPSLongitudeRef, b"W"),
        field(Tag::GPSLongitude, rationals(&[(3, 1), (30, 1), (0, 1)])),
    ]);
    let original = ExifDateTime {
        local: at(2021, 7, 29, 21, 28, 46, 123_000_000),
        offset_seconds: Some(3 * 3600),
    };
    let digitized = ExifDateTime {
        local: at(2021, 7, 29, 21, 28, 47, 0),
        offset_seconds: Some(-(5 * 3600 + 1800)),
    };
    let date_time = ExifDateTime {
        local: at(2021, 7, 30, 8, 0, 0, 0),
        offset_seconds: None,
    };
    assert_eq!(meta.date_time_original, Some(original));
    assert_eq!(meta.date_time_digitized, Some(digitized));
    assert_eq!(meta.date_time, Some(date_time));
    assert_eq!(meta.make.as_deref(), Some("Canon"));
    assert_eq!(meta.model.as_deref(), Some("Canon EOS 40D"));
    assert_eq!(
        (meta.width, meta.height, meta.orientation),
        (Some(4032), Some(3024), Some(6))
    );
    assert_eq!(meta.exposure_time, Some((1, 125)));
    assert_eq!(meta.f_number, Some(1.89));
    assert_eq!(meta.iso_speed_ratings, Some(400));
    let lat = meta.gps_latitude.expect("latitude");
    assert!((lat - -40.662_994_4).abs() < 1e-6, "{lat}");
    assert_eq!(meta.gps_longitude, Some(-3.5));
}

#[test]
fn blank_zero_and_impossible_values_are_none() {
    let meta = parsed(&[
        ascii(Tag::Make, b" \0 "),
        field(Tag::Model, Value::Undefined(b"\0".to_vec(), 0)),
        field(Tag::Orientation, Value::Short(vec![9])),
        field(Tag::PixelXDimension, Value::Long(vec![0])),
        ascii(Tag::DateTimeOriginal, b"0000:00:00 00:00:00"),
        ascii(Tag::DateTimeDigitized, b"    :  :     :  :  "),
        ascii(Tag::DateTime, b"2019:02:30 12:00:00"),
        field(Tag::ExposureTime, rationals(&[(1, 0)])),
        field(Tag::FNumber, rationals(&[(0, 0)])),
        field(Tag::GPSLatitude, rationals(&[(40, 1), (0, 0), (0, 1)])),
        field(Tag::GPSLongitude, rationals(&[(200, 1), (0, 1), (0, 1)])),
    ]);
    assert_eq!(
        meta.unreadable_dates,
        [
            "DateTimeOriginal is all zeros (0000:00:00 00:00:00)",
            "DateTimeDigitized is blank",
            "DateTime is not a date (2019:02:30 12:00:00)",
        ]
    );
    assert_eq!(
        Metadata {
            unreadable_dates: Vec::new(),
            ..meta
        },
        Metadata::default()
    );
}

#[test]
fn damaged_companions_lose_only_their_part() {
    let meta = parsed(&[
        ascii(Tag::DateTimeOriginal, b"2020:01:02 03:04:05"),
        ascii(Tag::SubSecTimeOriginal, b"1x"),
        ascii(Tag::OffsetTimeOriginal, b"+99:99"),
        ascii(Tag::DateTime, b"2020:01:02 03:04:05"),
        ascii(Tag::SubSecTime, b" 5 "),
        ascii(Tag::OffsetTime, b"bogus"),
    ]);
    let plain = ExifDateTime {
        local: at(2020, 1, 2, 3, 4, 5, 0),
        offset_seconds: None,
    };
    assert_eq!(meta.date_time_original, Some(plain));
    assert_eq!(
        meta.date_time.map(|d| d.local),
        Some(at(2020, 1, 2, 3, 4, 5, 500_000_000))
    );
}

#[test]
fn odd_encodings_of_text_and_coordinates() {
    let meta = parsed(&[
        field(Tag::Make, Value::Undefined(b"Nikon\0\0\0".to_vec(), 0)),
        ascii(Tag::Model, b"Caf\xe9 Cam"),
        ascii(Tag::GPSLatitudeRef, b"N"),
        field(
            Tag::GPSLatitude,
            Value::SRational(vec![SRational::from((60, 1)), SRational::from((30, 1))]),
        ),
        field(Tag::GPSLongitude, rationals(&[(24, 1)])),
    ]);
    assert_eq!(meta.make.as_deref(), Some("Nikon"));
    assert_eq!(meta.model.as_deref(), Some("Café Cam"));
    assert_eq!(
        (meta.gps_latitude, meta.gps_longitude),
        (Some(60.5), Some(24.0))
    );
}

#[test]
fn image_without_exif_is_none() {
    let jfif = b"\xff\xd8\xff\xe0\x00\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";
    assert!(matches!(parse(jfif, true), Ok(None)));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90\x77\x53\xde\
                \0\0\0\0IEND\xae\x42\x60\x82";
    assert!(
        matches!(parse(png, true), Ok(None)),
        "{:?}",
        parse(png, true)
    );
}

#[test]
fn empty_and_unknown_bytes_are_errors() {
    assert!(matches!(parse(b"", true), Err(ExifError::Empty)));
    let mut noise = vec![0u8; SNIFF_LEN];
    let mut x = 0x9e37_79b9_u32;
    for b in &mut noise {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x.to_le_bytes()[0];
    }
    assert!(matches!(parse(&noise, true), Err(ExifError::UnknownFormat)));
    assert!(matches!(
        parse(&noise, false),
        Err(ExifError::UnknownFormat)
    ));
    assert!(matches!(
        parse(b"hello", true),
        Err(ExifError::UnknownFormat)
    ));
    // Too little of the file to tell what it is.
    assert!(matches!(parse(b"hello", false), Ok(None)));
    assert!(matches!(parse(b"", false), Ok(None)));
}

#[test]
fn broken_exif_is_an_error_unless_the_head_was_cut() {
    let bad_header = jpeg(b"XX\0\x2a\0\0\0\x08");
    assert!(matches!(
        parse(&bad_header, true),
        Err(ExifError::Broken(_))
    ));

    let good = jpeg(&tiff(&[ascii(Tag::Make, b"Canon")]));
    let cut = &good[..good.len() - 12];
    assert!(
        matches!(parse(cut, true), Err(ExifError::Broken(_))),
        "{:?}",
        parse(cut, true)
    );
    assert!(matches!(parse(cut, false), Ok(None)));
}

/// A big-endian TIFF whose only IFD (Make = "Canon") starts at `ifd_at`, after filler.
fn tiff_with_late_ifd(ifd_at: u32) -> Vec<u8> {
    let mut out = b"MM\0\x2a".to_vec();
    out.extend_from_slice(&ifd_at.to_be_bytes());
    out.resize(ifd_at as usize, 0);
    out.extend_from_slice(&[0, 1, 0x01, 0x0f, 0, 2, 0, 0, 0, 6]);
    out.extend_from_slice(&(ifd_at + 18).to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(b"Canon\0");
    out
}

#[test]
fn exif_past_the_head_is_not_broken_and_read_path_reads_on() {
    let late = tiff_with_late_ifd(u32::try_from(HEAD_LEN).expect("fits") + 100);
    let make = |m: Option<Metadata>| m.and_then(|m| m.make);
    assert_eq!(
        make(parse(&late, true).expect("whole file parses")).as_deref(),
        Some("Canon")
    );
    assert!(matches!(parse(&late[..HEAD_LEN], false), Ok(None)));

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("late.tif");
    std::fs::write(&path, &late).expect("write");
    assert_eq!(
        make(read_path(&path).expect("reads")).as_deref(),
        Some("Canon")
    );
}

#[test]
fn read_path_reports_unreadable_and_empty_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(matches!(
        read_path(&dir.path().join("missing.jpg")),
        Err(ExifError::Io(_))
    ));
    assert!(matches!(read_path(dir.path()), Err(ExifError::Io(_))));
    let empty = dir.path().join("empty.jpg");
    std::fs::write(&empty, b"").expect("write");
    assert!(matches!(read_path(&empty), Err(ExifError::Empty)));
}
