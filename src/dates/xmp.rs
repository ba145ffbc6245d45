//! The taken-date in a file's XMP packet (photoshop:DateCreated, else xmp:CreateDate), read
//! from the head the scanner already has. Editors and scanning software keep the capture date
//! there when they drop or never had EXIF.
//!
//! Two properties are all we need, so the packet is searched for them as text rather than
//! parsed as RDF: XMP writes a simple property either as an attribute (`xmp:CreateDate="…"`)
//! or as an element (`<xmp:CreateDate>…</xmp:CreateDate>`), and both are handled.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use memchr::memmem;

use super::ExifDateTime;

/// The JPEG APP1 segment that holds XMP starts with this namespace.
const JPEG_XMP_HEADER: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// Every XMP packet (in any container) has this root element.
const XMPMETA: &[u8] = b"<x:xmpmeta";
const XMPMETA_END: &[u8] = b"</x:xmpmeta>";

/// The XMP date in `head` (the start of any image file), if there is one.
pub fn date_in(head: &[u8]) -> Option<ExifDateTime> {
    let packet = if head.starts_with(&[0xff, 0xd8]) {
        jpeg_packet(head)?
    } else {
        // HEIF, TIFF, PNG and WebP keep the packet in an item, tag or chunk; its root
        // element is the same in all of them.
        let start = memmem::find(head, XMPMETA)?;
        let rest = &head[start..];
        let end = memmem::find(rest, XMPMETA_END).map_or(rest.len(), |e| e + XMPMETA_END.len());
        &rest[..end]
    };
    let text = String::from_utf8_lossy(packet);
    ["photoshop:DateCreated", "xmp:CreateDate"]
        .iter()
        .find_map(|name| property(&text, name).and_then(parse_date))
}

/// The payload of the APP1 XMP segment, walking the segments up to the image data.
fn jpeg_packet(head: &[u8]) -> Option<&[u8]> {
    let mut at = 2;
    while let [0xff, marker, hi, lo, ..] = *head.get(at..)? {
        // Start of scan: metadata segments all come before it.
        if marker == 0xda {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        let body = head.get(at + 4..(at + 2 + len).min(head.len()))?;
        if marker == 0xe1 && body.starts_with(JPEG_XMP_HEADER) {
            return Some(&body[JPEG_XMP_HEADER.len()..]);
        }
        if len < 2 {
            return None;
        }
        at += 2 + len;
    }
    None
}

/// The value of a simple property written as an attribute or as an element.
fn property<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find(name) {
        let after = from + found + name.len();
        let rest = text.get(after..)?.trim_start();
        if let Some(quoted) = rest.strip_prefix('=') {
            let quoted = quoted.trim_start();
            let quote = quoted.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            let value = &quoted[1..];
            return value.find(quote).map(|end| &value[..end]);
        }
        if let Some(element) = rest.strip_prefix('>') {
            return element.find('<').map(|end| element[..end].trim());
        }
        from = after;
    }
    None
}

/// An XMP (ISO 8601) date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then optionally `Thh:mm`,
/// `:ss`, `.fraction` and a zone (`Z`, `+hh:mm`). Missing parts are the first month, day or
/// midnight; the zone, when given, is kept as the offset.
pub fn parse_date(value: &str) -> Option<ExifDateTime> {
    let value = value.trim();
    let (date_part, time_part) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let mut parts = date_part.split('-');
    let year: i32 = number(parts.next()?, 4)?;
    let month = parts.next().map(|m| number(m, 2)).unwrap_or(Some(1))?;
    let day = parts.next().map(|d| number(d, 2)).unwrap_or(Some(1))?;
    if parts.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let Some(time_part) = time_part else {
        return Some(ExifDateTime {
            local: date.and_time(NaiveTime::MIN),
            offset_seconds: None,
        });
    };
    let (clock, offset_seconds) = split_zone(time_part)?;
    let time = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .ok()?;
    Some(ExifDateTime {
        local: NaiveDateTime::new(date, time),
        offset_seconds,
    })
}

fn number<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `14:30:15+02:00` -> ("14:30:15", Some(7200)); `Z` is UTC; no zone is None.
fn split_zone(time: &str) -> Option<(&str, Option<i32>)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, Some(0)));
    }
    match time.rfind(['+', '-']) {
        Some(at) => {
            let zone: FixedOffset = time[at..].parse().ok()?;
            Some((&time[..at], Some(zone.local_minus_utc())))
        }
        None => Some((time, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_opt(h, mi, s))
            .expect("valid test date")
    }

    fn jpeg_with_xmp(packet: &str) -> Vec<u8> {
        let mut body = JPEG_XMP_HEADER.to_vec();
        body.extend_from_slice(packet.as_bytes());
        let len = u16::try_from(body.len() + 2).expect("small");
        // A JFIF APP0 first, as cameras and editors write it.
        let mut out = b"\xff\xd8\xff\xe0\x00\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xe1".to_vec();
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(b"\xff\xda\x00\x02\xff\xd9");
        out
    }

    #[test]
    fn reads_attribute_and_element_forms_preferring_photoshop() {
        let attr = r#"<x:xmpmeta><rdf:Description xmp:CreateDate="2013-09-23T10:09:46+02:00"/></x:xmpmeta>"#;
        let got = date_in(&jpeg_with_xmp(attr)).expect("date");
        assert_eq!(got.local, at(2013, 9, 23, 10, 9, 46));
        assert_eq!(got.offset_seconds, Some(7200));

        let both = "<x:xmpmeta><xmp:CreateDate>2005-12-17T22:03:32Z</xmp:CreateDate>\
                    <photoshop:DateCreated>2003-08-31</photoshop:DateCreated></x:xmpmeta>";
        let got = date_in(&jpeg_with_xmp(both)).expect("date");
        assert_eq!(
            (got.local, got.offset_seconds),
            (at(2003, 8, 31, 0, 0, 0), None)
        );

        // Not a JPEG: the packet is found by its root element.
        let mut heif = b"\0\0\0\x18ftypheic".to_vec();
        heif.extend_from_slice(attr.as_bytes());
        assert_eq!(
            date_in(&heif).map(|d| d.local),
            Some(at(2013, 9, 23, 10, 9, 46))
        );
    }

    #[test]
    fn no_packet_or_no_date_is_none() {
        assert_eq!(date_in(b""), None);
        assert_eq!(date_in(b"\xff\xd8\xff\xda\0\x02"), None);
        assert_eq!(date_in(&jpeg_with_xmp("<x:xmpmeta></x:xmpmeta>")), None);
        assert_eq!(
            date_in(&jpeg_with_xmp(r#"<x:xmpmeta xmp:CreateDate="yesterday"/>"#)),
            None
        );
        // A segment length running past the head is not a panic.
        assert_eq!(date_in(b"\xff\xd8\xff\xe1\xff\xff http"), None);
        assert_eq!(date_in(b"\xff\xd8\xff\xe1\x00\x00"), None);
    }

    #[test]
    fn iso_dates_of_every_precision() {
        let d = |s| parse_date(s).map(|d| (d.local, d.offset_seconds));
        assert_eq!(d("2003"), Some((at(2003, 1, 1, 0, 0, 0), None)));
        assert_eq!(d("2003-08"), Some((at(2003, 8, 1, 0, 0, 0), None)));
        assert_eq!(
            d("2003-08-31T14:05"),
            Some((at(2003, 8, 31, 14, 5, 0), None))
        );
        assert_eq!(
            d("2003-08-31T14:05:06.25-05:00").map(|(l, o)| (l.and_utc().timestamp(), o)),
            Some((
                at(2003, 8, 31, 14, 5, 6).and_utc().timestamp(),
                Some(-5 * 3600)
            ))
        );
        for bad in [
            "",
            "03-08-31",
            "2003-13-01",
            "2003-02-30",
            "2003-08-31T25:00",
            "2003-08-31-1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
