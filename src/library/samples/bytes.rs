//! The bytes of the sample files: JPEG pixels from a seeded generator, the EXIF each
//! shot carries, and the fixed clock times their mtimes come from.

use super::table::{Photo, Shot, LIBRARY};
use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use jpeg_encoder::{ColorType, Density, Encoder};
use std::io::Cursor;
use std::time::{Duration, SystemTime};
pub(super) fn notes() -> String {
    let mut text = String::from(
        "photosync sample library\n\
         ========================\n\
         \n\
         Written by `photosync samples`. Every file shows one thing photosync must get\n\
         right. Times in EXIF are local camera time; mtimes are set to the UTC times given.\n\
         \n",
    );
    for entry in LIBRARY {
        text.push_str(&format!("{}\n    {}\n", entry.path, entry.why));
    }
    text
}

/// Enough of a real .DS_Store (its "Bud1" header) that tools recognise it.
pub(super) fn ds_store() -> Vec<u8> {
    let mut bytes = vec![0u8; 6148];
    bytes[..8].copy_from_slice(b"\0\0\0\x01Bud1");
    bytes
}

pub(super) fn photo_bytes(photo: &Photo, seed: u64, path: &str) -> Result<Vec<u8>, String> {
    let mut rng = XorShift::new(seed, fnv1a(path));
    let pixels = picture(&mut rng, photo.width, photo.height);
    let app1 = match &photo.exif {
        Some(shot) => Some(exif_app1(shot, photo.width, photo.height).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 85);
    // The same 72 dpi as the EXIF says, so the two headers agree.
    encoder.set_density(Density::Inch { x: 72, y: 72 });
    if let Some(app1) = &app1 {
        encoder
            .add_app_segment(1, app1)
            .map_err(|e| e.to_string())?;
    }
    encoder
        .encode(&pixels, photo.width, photo.height, ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// A sky-like gradient with a disc and some grain: cheap, different for every file
/// and seed, and it compresses to a few KB.
pub(super) fn picture(rng: &mut XorShift, width: u16, height: u16) -> Vec<u8> {
    let (w, h) = (i32::from(width), i32::from(height));
    let top = [rng.byte(), rng.byte(), rng.byte()];
    let bottom = [rng.byte(), rng.byte(), rng.byte()];
    let disc = [rng.byte(), rng.byte(), rng.byte()];
    let (cx, cy) = (rng.below(w), rng.below(h));
    let r = h / 6 + rng.below(h / 4 + 1);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let inside = (x - cx).pow(2) + (y - cy).pow(2) <= r * r;
            for c in 0..3 {
                let base = if inside {
                    i32::from(disc[c])
                } else {
                    let (a, b) = (i32::from(top[c]), i32::from(bottom[c]));
                    a + (b - a) * y / (h - 1).max(1)
                };
                let grain = rng.below(13) - 6;
                pixels.push((base + grain).clamp(0, 255) as u8);
            }
        }
    }
    pixels
}

/// The APP1 payload: the "Exif\0\0" header and a TIFF structure.
pub(super) fn exif_app1(shot: &Shot, width: u16, height: u16) -> Result<Vec<u8>, exif::Error> {
    let camera = shot.camera;
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    let rational = |num, denom| Value::Rational(vec![Rational { num, denom }]);
    let field = |tag, value| Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    };
    let mut fields = vec![
        field(Tag::Make, ascii(camera.make)),
        field(Tag::Model, ascii(camera.model)),
        field(Tag::Orientation, Value::Short(vec![1])),
        field(Tag::XResolution, rational(72, 1)),
        field(Tag::YResolution, rational(72, 1)),
        field(Tag::ResolutionUnit, Value::Short(vec![2])),
        field(Tag::YCbCrPositioning, Value::Short(vec![1])),
        field(Tag::DateTime, ascii(shot.changed)),
    ];
    if let Some(software) = shot.software {
        fields.push(field(Tag::Software, ascii(software)));
    }
    if let Some(taken) = shot.taken {
        let (exposure, f_number) = (camera.exposure, camera.f_number);
        // The offset tags arrived with Exif 2.31; the tool that added them says so.
        let version = match shot.offset {
            Some(_) => b"0231",
            None => camera.exif_version,
        };
        fields.extend([
            field(Tag::ExifVersion, Value::Undefined(version.to_vec(), 0)),
            field(Tag::FlashpixVersion, Value::Undefined(b"0100".to_vec(), 0)),
            field(
                Tag::ComponentsConfiguration,
                Value::Undefined(vec![1, 2, 3, 0], 0),
            ),
            field(Tag::DateTimeOriginal, ascii(taken)),
            field(Tag::DateTimeDigitized, ascii(taken)),
            field(Tag::ExposureTime, rational(exposure.0, exposure.1)),
            field(Tag::FNumber, rational(f_number.0, f_number.1)),
            field(Tag::PhotographicSensitivity, Value::Short(vec![camera.iso])),
            field(Tag::ColorSpace, Value::Short(vec![1])),
            field(Tag::PixelXDimension, Value::Short(vec![width])),
            field(Tag::PixelYDimension, Value::Short(vec![height])),
        ]);
        if let Some(offset) = shot.offset {
            fields.push(field(Tag::OffsetTime, ascii(offset)));
            fields.push(field(Tag::OffsetTimeOriginal, ascii(offset)));
        }
        if let Some(subsec) = shot.subsec {
            fields.push(field(Tag::SubSecTimeOriginal, ascii(subsec)));
        }
    }
    if let Some(gps) = &shot.gps {
        let dms = |[d, m, s]: [u32; 3]| {
            Value::Rational(vec![
                Rational { num: d, denom: 1 },
                Rational { num: m, denom: 1 },
                Rational { num: s, denom: 100 },
            ])
        };
        fields.extend([
            field(Tag::GPSVersionID, Value::Byte(vec![2, 3, 0, 0])),
            field(Tag::GPSLatitudeRef, ascii(&gps.lat.0.to_string())),
            field(Tag::GPSLatitude, dms(gps.lat.1)),
            field(Tag::GPSLongitudeRef, ascii(&gps.lon.0.to_string())),
            field(Tag::GPSLongitude, dms(gps.lon.1)),
        ]);
    }

    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, camera.little_endian)?;
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(tiff.get_ref());
    Ok(app1)
}

/// xorshift64*: tiny, and its output is the same on every platform and Rust version,
/// which a library-provided RNG does not promise.
pub(super) struct XorShift(u64);

impl XorShift {
    pub(super) fn new(seed: u64, salt: u64) -> Self {
        // splitmix64 spreads nearby seeds apart; xorshift needs a non-zero state.
        let mut z = seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        XorShift(if z == 0 { 0x9E37_79B9_7F4A_7C15 } else { z })
    }

    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn byte(&mut self) -> u8 {
        (self.next() >> 56) as u8
    }

    /// A value in `0..n` for a small positive `n`.
    pub(super) fn below(&mut self, n: i32) -> i32 {
        ((self.next() >> 33) % n.max(1) as u64) as i32
    }
}

/// Seeds each file's pixels by its name, so adding a file changes no other file.
pub(super) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A UTC time written as calendar fields, so the table reads like the dates it means.
#[derive(Debug, Clone, Copy)]
pub(super) struct Utc(
    pub(super) i64,
    pub(super) i64,
    pub(super) i64,
    pub(super) i64,
    pub(super) i64,
    pub(super) i64,
);

impl Utc {
    pub(super) fn unix_seconds(self) -> i64 {
        let Utc(year, month, day, hour, minute, second) = self;
        // Howard Hinnant's days_from_civil: proleptic Gregorian, no table needed.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    pub(super) fn system_time(self) -> SystemTime {
        // Every date in the table is after 1970.
        let secs = u64::try_from(self.unix_seconds()).unwrap_or(0);
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }
}
