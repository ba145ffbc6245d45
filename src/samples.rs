//! A sample photo library that photosync writes itself, for `photosync samples DIR`
//! and the README's walkthrough: a fresh clone has no photos of its own, and the
//! user's real library is the last place to try a new tool.
//!
//! The library is small (29 files, under 100 KB) but holds the cases the
//! rest of photosync must get right: several cameras writing EXIF differently (big-
//! and little-endian, with and without time offsets, GPS, sub-seconds), a camera
//! whose clock was reset to its factory date, an editor export that kept only the
//! main IFD, scans with no EXIF (dated by file name or only by mtime), an exact
//! duplicate, a truncated copy, a file of random bytes named `.jpg`, a text file
//! and OS litter. `notes.txt` in the library lists every file and what it shows.
//!
//! Everything is deterministic: the bytes depend only on the seed (which varies the
//! pixels and the random bytes; names and metadata are fixed), and every file's
//! mtime is set from the table below, so tests of the scanner and of taken-date
//! rules can rely on exact values. Files are only ever created, never overwritten.

use std::fs::{self, OpenOptions};
use std::io::{self, Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use jpeg_encoder::{ColorType, Density, Encoder};

#[derive(Debug, thiserror::Error)]
pub enum SamplesError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} already exists: the sample library never overwrites a file", path.display())]
    Exists { path: PathBuf },
    /// Building a file's bytes failed. The inputs are all constants, so this means a
    /// bug in this module rather than anything about the user's machine.
    #[error("building sample {}: {message}", path.display())]
    Build { path: PathBuf, message: String },
}

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleReport {
    pub files: usize,
    pub bytes: u64,
}

/// Writes the sample library into `dir`, creating it if missing.
///
/// An existing `dir` may hold other files, but if any file the library would write
/// already exists (as anything, even a dangling symlink), nothing is written and
/// `SamplesError::Exists` names it.
pub fn generate(dir: &Path, seed: u64) -> Result<SampleReport, SamplesError> {
    // Build everything in memory first, so a failure cannot leave half a library.
    let files = build(seed)?;

    for file in &files {
        let path = dir.join(file.path);
        match fs::symlink_metadata(&path) {
            Ok(_) => return Err(SamplesError::Exists { path }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(SamplesError::Io { path, source }),
        }
    }

    let mut report = SampleReport { files: 0, bytes: 0 };
    for file in &files {
        let path = dir.join(file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| SamplesError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // create_new as well as the check above: something may appear in between.
        let mut out = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(out) => out,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(SamplesError::Exists { path })
            }
            Err(source) => return Err(SamplesError::Io { path, source }),
        };
        let written = out
            .write_all(&file.bytes)
            .and_then(|()| out.set_modified(file.mtime));
        if let Err(source) = written {
            return Err(SamplesError::Io { path, source });
        }
        report.files += 1;
        report.bytes += file.bytes.len() as u64;
    }
    Ok(report)
}

/// One file of the library, ready to write.
struct Built {
    path: &'static str,
    bytes: Vec<u8>,
    mtime: SystemTime,
}

fn build(seed: u64) -> Result<Vec<Built>, SamplesError> {
    let mut built: Vec<Built> = Vec::with_capacity(LIBRARY.len());
    for entry in LIBRARY {
        let fail = |message: String| SamplesError::Build {
            path: PathBuf::from(entry.path),
            message,
        };
        let bytes = match &entry.content {
            Content::Jpeg(photo) => photo_bytes(photo, seed, entry.path).map_err(fail)?,
            Content::Truncated(photo) => {
                let mut bytes = photo_bytes(photo, seed, entry.path).map_err(fail)?;
                bytes.truncate(bytes.len() / 2);
                bytes
            }
            Content::CopyOf(original) => built
                .iter()
                .find(|b| b.path == *original)
                .map(|b| b.bytes.clone())
                .ok_or_else(|| fail(format!("{original} must come earlier in the table")))?,
            Content::Garbage(len) => {
                let mut rng = XorShift::new(seed, fnv1a(entry.path));
                let mut bytes: Vec<u8> = (0..*len).map(|_| rng.byte()).collect();
                // Never let chance give it a JPEG signature: it must be unreadable.
                if bytes.first() == Some(&0xFF) {
                    bytes[0] = 0;
                }
                bytes
            }
            Content::Notes => notes().into_bytes(),
            Content::DsStore => ds_store(),
        };
        built.push(Built {
            path: entry.path,
            bytes,
            mtime: entry.mtime.system_time(),
        });
    }
    Ok(built)
}

/// One row of the library: where the file goes, what it holds, its mtime, and
/// the line `notes.txt` gives it.
struct Entry {
    path: &'static str,
    content: Content,
    mtime: Utc,
    why: &'static str,
}

enum Content {
    Jpeg(Photo),
    /// The first half of the photo's bytes, like a copy that was cut off.
    Truncated(Photo),
    /// The same bytes as an earlier entry.
    CopyOf(&'static str),
    /// Random bytes, so no parser can make sense of them.
    Garbage(usize),
    Notes,
    DsStore,
}

struct Photo {
    width: u16,
    height: u16,
    exif: Option<Shot>,
}

struct Camera {
    make: &'static str,
    model: &'static str,
    little_endian: bool,
    exif_version: &'static [u8; 4],
    exposure: (u32, u32),
    f_number: (u32, u32),
    iso: u16,
}

/// The EXIF of one photo.
struct Shot {
    camera: &'static Camera,
    /// DateTimeOriginal and DateTimeDigitized. `None` stands for an editor export
    /// that kept only IFD0, so DateTime is all a reader can find.
    taken: Option<&'static str>,
    /// DateTime: the last change. A camera writes the moment it took the photo.
    changed: &'static str,
    /// OffsetTimeOriginal and OffsetTime.
    offset: Option<&'static str>,
    subsec: Option<&'static str>,
    software: Option<&'static str>,
    gps: Option<Gps>,
}

/// Degrees, minutes and hundredths of seconds, as cameras store them.
struct Gps {
    lat: (char, [u32; 3]),
    lon: (char, [u32; 3]),
}

const fn shot(camera: &'static Camera, taken: &'static str) -> Shot {
    Shot {
        camera,
        taken: Some(taken),
        changed: taken,
        offset: None,
        subsec: None,
        software: None,
        gps: None,
    }
}

const fn jpeg(width: u16, height: u16, exif: Shot) -> Content {
    Content::Jpeg(Photo {
        width,
        height,
        exif: Some(exif),
    })
}

const fn plain_jpeg(width: u16, height: u16) -> Content {
    Content::Jpeg(Photo {
        width,
        height,
        exif: None,
    })
}

// Sanyo wrote big-endian EXIF; the others little-endian. Both orders must be read.
const SANYO: Camera = Camera {
    make: "SANYO Electric Co.,Ltd.",
    model: "SR6",
    little_endian: false,
    exif_version: b"0220",
    exposure: (1, 125),
    f_number: (28, 10),
    iso: 100,
};
const CANON: Camera = Camera {
    make: "Canon",
    model: "Canon PowerShot S95",
    little_endian: true,
    exif_version: b"0230",
    exposure: (1, 60),
    f_number: (20, 10),
    iso: 400,
};
const PIXEL: Camera = Camera {
    make: "Google",
    model: "Pixel 3",
    little_endian: true,
    exif_version: b"0220",
    exposure: (1, 980),
    f_number: (18, 10),
    iso: 55,
};

const LISBON: Gps = Gps {
    lat: ('N', [38, 42, 4920]),
    lon: ('W', [9, 8, 2160]),
};

// Holiday mtimes are the day the card was copied off, so a wrong preference for
// mtime over EXIF shows, and the reset-clock photos have a plausible fallback.
const HOLIDAY_COPIED: Utc = Utc(2004, 8, 22, 18, 5, 0);
const BIRTHDAY_COPIED: Utc = Utc(2011, 6, 26, 20, 0, 0);
const PHONE_SYNCED: Utc = Utc(2019, 5, 20, 7, 45, 0);
const SCANNED: Utc = Utc(2005, 1, 9, 20, 15, 0);

const LIBRARY: &[Entry] = &[
    Entry {
        path: "2004/holiday/SANY0001.JPG",
        content: jpeg(80, 60, shot(&SANYO, "2004:08:14 10:02:31")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF DateTimeOriginal 2004:08:14 10:02:31, big-endian EXIF, upper-case .JPG",
    },
    Entry {
        path: "2004/holiday/SANY0002.JPG",
        content: jpeg(80, 60, shot(&SANYO, "2004:08:14 10:05:12")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF DateTimeOriginal 2004:08:14 10:05:12",
    },
    Entry {
        path: "2004/holiday/SANY0003.JPG",
        content: jpeg(80, 60, shot(&SANYO, "2004:08:14 16:40:07")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF DateTimeOriginal 2004:08:14 16:40:07",
    },
    Entry {
        path: "2004/holiday/SANY0004.JPG",
        content: jpeg(60, 80, shot(&SANYO, "2004:08:15 09:12:44")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF DateTimeOriginal 2004:08:15 09:12:44, portrait pixels",
    },
    Entry {
        path: "2004/holiday/SANY0005.JPG",
        content: jpeg(80, 60, shot(&SANYO, "2004:08:15 13:27:58")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF DateTimeOriginal 2004:08:15 13:27:58, the last one before the battery ran out",
    },
    // A dead backup cell resets the clock to the factory date at every power-on.
    Entry {
        path: "2004/holiday/SANY0006.JPG",
        content: jpeg(80, 60, shot(&SANYO, "1998:01:01 00:00:00")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF 1998:01:01 00:00:00: the camera's factory-reset date, a bogus date",
    },
    Entry {
        path: "2004/holiday/SANY0007.JPG",
        content: jpeg(80, 60, shot(&SANYO, "1998:01:01 00:00:00")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF 1998:01:01 00:00:00 again: bogus, and the same second as SANY0006",
    },
    Entry {
        path: "2004/holiday/SANY0008.JPG",
        content: jpeg(64, 48, shot(&SANYO, "1998:01:01 00:01:26")),
        mtime: HOLIDAY_COPIED,
        why: "EXIF 1998:01:01 00:01:26: 86 seconds after a reset, still bogus",
    },
    Entry {
        path: "2004/holiday/.DS_Store",
        content: Content::DsStore,
        mtime: HOLIDAY_COPIED,
        why: "macOS folder litter: to be skipped",
    },
    // Offsets came from a geotagging tool run later; the S95 itself wrote none.
    Entry {
        path: "2011/birthday/IMG_0412.JPG",
        content: jpeg(
            160,
            120,
            Shot {
                offset: Some("+02:00"),
                ..shot(&CANON, "2011:06:18 15:02:11")
            },
        ),
        mtime: BIRTHDAY_COPIED,
        why: "EXIF DateTimeOriginal 2011:06:18 15:02:11 with OffsetTimeOriginal +02:00",
    },
    Entry {
        path: "2011/birthday/IMG_0413.JPG",
        content: jpeg(
            160,
            120,
            Shot {
                offset: Some("+02:00"),
                subsec: Some("20"),
                ..shot(&CANON, "2011:06:18 16:21:07")
            },
        ),
        mtime: BIRTHDAY_COPIED,
        why: "EXIF 2011:06:18 16:21:07.20 +02:00: a burst, told apart by SubSecTimeOriginal",
    },
    Entry {
        path: "2011/birthday/IMG_0414.JPG",
        content: jpeg(
            160,
            120,
            Shot {
                offset: Some("+02:00"),
                subsec: Some("85"),
                ..shot(&CANON, "2011:06:18 16:21:07")
            },
        ),
        mtime: BIRTHDAY_COPIED,
        why: "EXIF 2011:06:18 16:21:07.85 +02:00: the same second as IMG_0413",
    },
    Entry {
        path: "2011/birthday/IMG_0415.JPG",
        content: jpeg(160, 120, shot(&CANON, "2011:06:18 17:45:30")),
        mtime: BIRTHDAY_COPIED,
        why: "EXIF DateTimeOriginal 2011:06:18 17:45:30, no offset",
    },
    Entry {
        path: "2011/birthday/IMG_0416.JPG",
        content: jpeg(120, 160, shot(&CANON, "2011:06:18 18:03:52")),
        mtime: BIRTHDAY_COPIED,
        why: "EXIF DateTimeOriginal 2011:06:18 18:03:52, portrait pixels",
    },
    Entry {
        path: "2011/birthday/IMG_0417.JPG",
        content: jpeg(160, 120, shot(&CANON, "2011:06:18 21:30:00")),
        mtime: BIRTHDAY_COPIED,
        why: "EXIF DateTimeOriginal 2011:06:18 21:30:00, no offset",
    },
    Entry {
        path: "2011/birthday/IMG_0416 small.jpg",
        content: jpeg(
            90,
            120,
            Shot {
                taken: None,
                changed: "2011:06:19 21:14:03",
                software: Some("Picasa 3.8"),
                ..shot(&CANON, "")
            },
        ),
        // The export's own mtime: 21:14:03 at +02:00.
        mtime: Utc(2011, 6, 19, 19, 14, 3),
        why: "an export with only IFD0: no DateTimeOriginal, EXIF DateTime 2011:06:19 21:14:03 (the edit), a space in the name",
    },
    Entry {
        path: "favourites/IMG_0415.JPG",
        content: Content::CopyOf("2011/birthday/IMG_0415.JPG"),
        mtime: Utc(2012, 1, 2, 10, 0, 0),
        why: "the same bytes as 2011/birthday/IMG_0415.JPG (same MD5): upload once",
    },
    // The Pixel names files by local time, the same clock as its EXIF.
    Entry {
        path: "2019/phone/IMG_20190512_143015.jpg",
        content: jpeg(
            160,
            120,
            Shot {
                offset: Some("+01:00"),
                subsec: Some("412"),
                gps: Some(LISBON),
                ..shot(&PIXEL, "2019:05:12 14:30:15")
            },
        ),
        mtime: PHONE_SYNCED,
        why: "EXIF 2019:05:12 14:30:15.412 +01:00 with GPS; the name says the same",
    },
    Entry {
        path: "2019/phone/IMG_20190512_143102.jpg",
        content: jpeg(
            160,
            120,
            Shot {
                offset: Some("+01:00"),
                subsec: Some("077"),
                gps: Some(LISBON),
                ..shot(&PIXEL, "2019:05:12 14:31:02")
            },
        ),
        mtime: PHONE_SYNCED,
        why: "EXIF 2019:05:12 14:31:02.077 +01:00 with GPS",
    },
    Entry {
        path: "2019/phone/IMG_20190512_150244.jpg",
        content: Content::Truncated(Photo {
            width: 160,
            height: 120,
            exif: Some(Shot {
                offset: Some("+01:00"),
                gps: Some(LISBON),
                ..shot(&PIXEL, "2019:05:12 15:02:44")
            }),
        }),
        mtime: PHONE_SYNCED,
        why: "cut off half-way through the image data: EXIF 2019:05:12 15:02:44 still reads, the picture does not",
    },
    Entry {
        path: "2019/phone/IMG_20190513_091547.jpg",
        content: jpeg(
            160,
            120,
            Shot {
                offset: Some("+01:00"),
                subsec: Some("930"),
                gps: Some(LISBON),
                ..shot(&PIXEL, "2019:05:13 09:15:47")
            },
        ),
        mtime: PHONE_SYNCED,
        why: "EXIF 2019:05:13 09:15:47.930 +01:00 with GPS",
    },
    Entry {
        path: "2019/phone/IMG_20190513_201233.jpg",
        content: jpeg(
            120,
            160,
            Shot {
                offset: Some("+01:00"),
                subsec: Some("004"),
                ..shot(&PIXEL, "2019:05:13 20:12:33")
            },
        ),
        mtime: PHONE_SYNCED,
        why: "EXIF 2019:05:13 20:12:33.004 +01:00, no GPS, portrait pixels",
    },
    // Messaging apps strip EXIF; the name is the only date left.
    Entry {
        path: "2019/phone/IMG-20190514-WA0003.jpg",
        content: plain_jpeg(128, 96),
        mtime: PHONE_SYNCED,
        why: "no EXIF (a messaging app stripped it): the file name's date 2019-05-14",
    },
    Entry {
        path: "scans/2003-07-14 scan.jpg",
        content: plain_jpeg(120, 80),
        mtime: SCANNED,
        why: "no EXIF: the file name's date 2003-07-14",
    },
    Entry {
        path: "scans/1987-12-24 christmas.jpg",
        content: plain_jpeg(96, 64),
        mtime: Utc(2005, 1, 9, 20, 31, 10),
        why: "no EXIF: the file name's date 1987-12-24, a scanned print older than any digital camera",
    },
    Entry {
        path: "scans/scan0001.jpg",
        content: plain_jpeg(120, 80),
        mtime: Utc(2005, 1, 9, 20, 15, 0),
        why: "no EXIF, no date in the name (0001 is not one): only the mtime 2005-01-09 20:15:00 UTC",
    },
    Entry {
        path: "scans/scan0002.jpg",
        content: plain_jpeg(80, 120),
        mtime: Utc(2005, 1, 9, 20, 16, 40),
        why: "no EXIF, no date in the name: only the mtime 2005-01-09 20:16:40 UTC",
    },
    Entry {
        path: "scans/unreadable.jpg",
        content: Content::Garbage(2048),
        mtime: SCANNED,
        why: "random bytes named .jpg: a per-file error, and the run goes on",
    },
    Entry {
        path: "notes.txt",
        content: Content::Notes,
        mtime: Utc(2020, 1, 1, 12, 0, 0),
        why: "this file: not a photo, to be skipped",
    },
];

fn notes() -> String {
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
fn ds_store() -> Vec<u8> {
    let mut bytes = vec![0u8; 6148];
    bytes[..8].copy_from_slice(b"\0\0\0\x01Bud1");
    bytes
}

fn photo_bytes(photo: &Photo, seed: u64, path: &str) -> Result<Vec<u8>, String> {
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
fn picture(rng: &mut XorShift, width: u16, height: u16) -> Vec<u8> {
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
fn exif_app1(shot: &Shot, width: u16, height: u16) -> Result<Vec<u8>, exif::Error> {
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
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64, salt: u64) -> Self {
        // splitmix64 spreads nearby seeds apart; xorshift needs a non-zero state.
        let mut z = seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        XorShift(if z == 0 { 0x9E37_79B9_7F4A_7C15 } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn byte(&mut self) -> u8 {
        (self.next() >> 56) as u8
    }

    /// A value in `0..n` for a small positive `n`.
    fn below(&mut self, n: i32) -> i32 {
        ((self.next() >> 33) % n.max(1) as u64) as i32
    }
}

/// Seeds each file's pixels by its name, so adding a file changes no other file.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A UTC time written as calendar fields, so the table reads like the dates it means.
#[derive(Debug, Clone, Copy)]
struct Utc(i64, i64, i64, i64, i64, i64);

impl Utc {
    fn unix_seconds(self) -> i64 {
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

    fn system_time(self) -> SystemTime {
        // Every date in the table is after 1970.
        let secs = u64::try_from(self.unix_seconds()).unwrap_or(0);
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::io::BufReader;

    const JPEG_SOI: &[u8] = &[0xFF, 0xD8];
    const JPEG_EOI: &[u8] = &[0xFF, 0xD9];

    fn generated(seed: u64) -> (tempfile::TempDir, SampleReport) {
        let dir = tempfile::tempdir().expect("tempdir");
        let report = generate(dir.path(), seed).expect("generate");
        (dir, report)
    }

    /// Every file under `dir`, by path relative to it with `/` separators.
    fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in fs::read_dir(dir).expect("read_dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path.strip_prefix(root).expect("under root");
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    out.insert(rel, fs::read(&path).expect("read"));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    fn read_exif(path: &Path) -> Result<exif::Exif, exif::Error> {
        let file = fs::File::open(path).expect("open");
        exif::Reader::new().read_from_container(&mut BufReader::new(file))
    }

    fn ascii(exif: &exif::Exif, tag: Tag) -> Option<String> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Ascii(v) => v.first().map(|s| String::from_utf8_lossy(s).into_owned()),
            _ => None,
        }
    }

    fn uint(exif: &exif::Exif, tag: Tag) -> Option<u32> {
        exif.get_field(tag, In::PRIMARY)?.value.get_uint(0)
    }

    /// Walks the JPEG's segments to the end of the scan and returns the SOF's
    /// dimensions: a check of well-formedness without a decoder dependency.
    fn jpeg_dimensions(bytes: &[u8]) -> Option<(u16, u16)> {
        if !bytes.starts_with(JPEG_SOI) || !bytes.ends_with(JPEG_EOI) {
            return None;
        }
        let mut at = 2;
        let mut dims = None;
        loop {
            let (marker, len) = match bytes.get(at..at + 4)? {
                [0xFF, m, hi, lo] => (*m, usize::from(*hi) << 8 | usize::from(*lo)),
                _ => return None,
            };
            let body = bytes.get(at + 4..at + 2 + len)?;
            if marker == 0xC0 || marker == 0xC2 {
                let h = u16::from_be_bytes([body[1], body[2]]);
                let w = u16::from_be_bytes([body[3], body[4]]);
                dims = Some((w, h));
            }
            at += 2 + len;
            if marker == 0xDA {
                // Entropy-coded data runs to EOI; 0xFF inside it is stuffed or RSTn.
                let rest = &bytes[at..bytes.len() - 2];
                let clean = rest.windows(2).all(|p| {
                    p[0] != 0xFF || p[1] == 0 || (0xD0..=0xD7).contains(&p[1]) || p[1] == 0xFF
                });
                return if clean { dims } else { None };
            }
        }
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_pixels() {
        let (a, report_a) = generated(7);
        let (b, report_b) = generated(7);
        let (c, _) = generated(8);
        let (a, b, c) = (contents(a.path()), contents(b.path()), contents(c.path()));
        assert_eq!(a, b);
        assert_eq!(report_a, report_b);
        assert_eq!(a.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            let photo = path.ends_with(".jpg") || path.ends_with(".JPG");
            assert_eq!(
                photo,
                bytes != &c[path],
                "{path}: only pixels depend on the seed"
            );
        }
    }

    #[test]
    fn report_matches_what_is_on_disk() {
        let (dir, report) = generated(1);
        let files = contents(dir.path());
        assert_eq!(report.files, files.len());
        assert_eq!(report.files, LIBRARY.len());
        let bytes: u64 = files.values().map(|b| b.len() as u64).sum();
        assert_eq!(report.bytes, bytes);
        assert!((50_000..600_000).contains(&bytes), "{bytes} bytes");
        for entry in LIBRARY {
            assert!(files.contains_key(entry.path), "{}", entry.path);
        }
    }

    #[test]
    fn photos_are_well_formed_jpegs_of_their_size() {
        let (dir, _) = generated(3);
        for entry in LIBRARY {
            let bytes = fs::read(dir.path().join(entry.path)).expect("read");
            match &entry.content {
                Content::Jpeg(photo) => assert_eq!(
                    jpeg_dimensions(&bytes),
                    Some((photo.width, photo.height)),
                    "{}",
                    entry.path
                ),
                Content::Truncated(_) => {
                    assert!(bytes.starts_with(JPEG_SOI));
                    assert!(!bytes.ends_with(JPEG_EOI));
                    // Cut inside the image data, after the headers and the EXIF.
                    assert!(bytes.windows(2).any(|m| m == [0xFF, 0xDA]));
                }
                Content::CopyOf(_) => assert!(jpeg_dimensions(&bytes).is_some()),
                _ => assert!(!bytes.starts_with(JPEG_SOI), "{}", entry.path),
            }
        }
    }

    #[test]
    fn exif_reads_back_as_written() {
        let (dir, _) = generated(5);
        let mut checked = 0;
        for entry in LIBRARY {
            let (Content::Jpeg(photo) | Content::Truncated(photo)) = &entry.content else {
                continue;
            };
            let read = read_exif(&dir.path().join(entry.path));
            let Some(shot) = &photo.exif else {
                assert!(
                    matches!(read, Err(exif::Error::NotFound(_))),
                    "{}: {:?}",
                    entry.path,
                    read.as_ref().err()
                );
                continue;
            };
            let exif = read.expect(entry.path);
            let camera = shot.camera;
            assert_eq!(exif.little_endian(), camera.little_endian);
            assert_eq!(ascii(&exif, Tag::Make).as_deref(), Some(camera.make));
            assert_eq!(ascii(&exif, Tag::Model).as_deref(), Some(camera.model));
            assert_eq!(ascii(&exif, Tag::DateTime).as_deref(), Some(shot.changed));
            assert_eq!(ascii(&exif, Tag::DateTimeOriginal).as_deref(), shot.taken);
            assert_eq!(ascii(&exif, Tag::DateTimeDigitized).as_deref(), shot.taken);
            assert_eq!(
                ascii(&exif, Tag::OffsetTimeOriginal).as_deref(),
                shot.offset
            );
            assert_eq!(
                ascii(&exif, Tag::SubSecTimeOriginal).as_deref(),
                shot.subsec
            );
            assert_eq!(uint(&exif, Tag::Orientation), Some(1));
            if shot.taken.is_some() {
                assert_eq!(
                    uint(&exif, Tag::PixelXDimension),
                    Some(u32::from(photo.width))
                );
                assert_eq!(
                    uint(&exif, Tag::PixelYDimension),
                    Some(u32::from(photo.height))
                );
            }
            assert_eq!(
                exif.get_field(Tag::GPSLatitude, In::PRIMARY).is_some(),
                shot.gps.is_some()
            );
            checked += 1;
        }
        assert!(checked >= 18, "{checked}");
    }

    // Spot checks written out by hand, so a wrong table cannot pass by agreeing with itself.
    #[test]
    fn the_library_holds_the_promised_cases() {
        let (dir, _) = generated(11);
        let exif = |p: &str| read_exif(&dir.path().join(p));

        let reset = exif("2004/holiday/SANY0006.JPG").expect("sanyo");
        assert_eq!(
            ascii(&reset, Tag::DateTimeOriginal).as_deref(),
            Some("1998:01:01 00:00:00")
        );
        assert_eq!(
            ascii(&reset, Tag::Make).as_deref(),
            Some("SANYO Electric Co.,Ltd.")
        );
        assert!(!reset.little_endian());

        let canon = exif("2011/birthday/IMG_0412.JPG").expect("canon");
        assert_eq!(
            ascii(&canon, Tag::Model).as_deref(),
            Some("Canon PowerShot S95")
        );
        assert_eq!(
            ascii(&canon, Tag::OffsetTimeOriginal).as_deref(),
            Some("+02:00")
        );

        let edit = exif("2011/birthday/IMG_0416 small.jpg").expect("export");
        assert_eq!(ascii(&edit, Tag::DateTimeOriginal), None);
        assert_eq!(
            ascii(&edit, Tag::DateTime).as_deref(),
            Some("2011:06:19 21:14:03")
        );

        let pixel = exif("2019/phone/IMG_20190512_143015.jpg").expect("pixel");
        assert_eq!(
            ascii(&pixel, Tag::DateTimeOriginal).as_deref(),
            Some("2019:05:12 14:30:15")
        );
        let lat = pixel
            .get_field(Tag::GPSLatitude, In::PRIMARY)
            .expect("latitude");
        assert_eq!(lat.display_value().to_string(), "38 deg 42 min 49.2 sec");

        // The truncated copy still has its EXIF: only the image data is gone.
        let cut = exif("2019/phone/IMG_20190512_150244.jpg").expect("truncated");
        assert_eq!(
            ascii(&cut, Tag::DateTimeOriginal).as_deref(),
            Some("2019:05:12 15:02:44")
        );

        for no_exif in [
            "scans/2003-07-14 scan.jpg",
            "scans/scan0001.jpg",
            "2019/phone/IMG-20190514-WA0003.jpg",
        ] {
            assert!(matches!(exif(no_exif), Err(exif::Error::NotFound(_))));
        }
        assert!(exif("scans/unreadable.jpg").is_err());

        let ds_store = fs::read(dir.path().join("2004/holiday/.DS_Store")).expect(".DS_Store");
        assert_eq!(&ds_store[4..8], b"Bud1");
        let notes = fs::read_to_string(dir.path().join("notes.txt")).expect("notes");
        assert!(notes.contains("scans/unreadable.jpg\n"));
    }

    #[test]
    fn the_duplicate_is_byte_identical_and_nothing_else_is() {
        let (dir, _) = generated(2);
        let files = contents(dir.path());
        assert_eq!(
            files["favourites/IMG_0415.JPG"],
            files["2011/birthday/IMG_0415.JPG"]
        );
        let mut seen: BTreeMap<&Vec<u8>, Vec<&String>> = BTreeMap::new();
        for (path, bytes) in &files {
            seen.entry(bytes).or_default().push(path);
        }
        let shared: Vec<_> = seen.values().filter(|paths| paths.len() > 1).collect();
        assert_eq!(
            shared,
            vec![&vec![
                &"2011/birthday/IMG_0415.JPG".to_string(),
                &"favourites/IMG_0415.JPG".to_string()
            ]]
        );
    }

    #[test]
    fn mtimes_are_set_from_the_table() {
        let (dir, _) = generated(4);
        let mtime = |p: &str| {
            fs::metadata(dir.path().join(p))
                .and_then(|m| m.modified())
                .expect("mtime")
        };
        // 2005-01-09 20:15:00 UTC, worked out independently with chrono.
        let expected = chrono::NaiveDate::from_ymd_opt(2005, 1, 9)
            .and_then(|d| d.and_hms_opt(20, 15, 0))
            .expect("date")
            .and_utc()
            .timestamp();
        assert_eq!(expected, 1_105_301_700);
        assert_eq!(
            mtime("scans/scan0001.jpg"),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_105_301_700)
        );
        assert_eq!(
            mtime("scans/scan0002.jpg"),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_105_301_800)
        );
        for entry in LIBRARY {
            assert_eq!(
                mtime(entry.path),
                entry.mtime.system_time(),
                "{}",
                entry.path
            );
        }
    }

    #[test]
    fn civil_dates_agree_with_chrono() {
        for &(y, m, d) in &[
            (1970, 1, 1),
            (2000, 2, 29),
            (2004, 8, 22),
            (2019, 12, 31),
            (2100, 3, 1),
        ] {
            let ours = Utc(y, m, d, 13, 4, 5).unix_seconds();
            let chrono = chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
                .and_then(|date| date.and_hms_opt(13, 4, 5))
                .expect("date")
                .and_utc()
                .timestamp();
            assert_eq!(ours, chrono, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn never_overwrites_and_writes_nothing_when_refusing() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("notes.txt"), "mine").expect("write");
        match generate(dir.path(), 1) {
            Err(SamplesError::Exists { path }) => assert_eq!(path, dir.path().join("notes.txt")),
            other => panic!("expected Exists, got {other:?}"),
        }
        assert_eq!(
            fs::read_to_string(dir.path().join("notes.txt")).expect("read"),
            "mine"
        );
        assert_eq!(fs::read_dir(dir.path()).expect("read_dir").count(), 1);

        // A second run over a complete library refuses too, leaving it as it was.
        let (dir, _) = generated(1);
        let before = contents(dir.path());
        assert!(matches!(
            generate(dir.path(), 2),
            Err(SamplesError::Exists { .. })
        ));
        assert_eq!(contents(dir.path()), before);
    }

    #[test]
    fn writes_beside_unrelated_files_and_creates_missing_dirs() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("mine.txt"), "mine").expect("write");
        fs::create_dir(dir.path().join("scans")).expect("mkdir");
        let report = generate(dir.path(), 1).expect("generate");
        assert_eq!(report.files, LIBRARY.len());
        assert_eq!(
            fs::read_to_string(dir.path().join("mine.txt")).expect("read"),
            "mine"
        );

        let nested = dir.path().join("a/b/library");
        assert_eq!(generate(&nested, 1).expect("nested").files, LIBRARY.len());
    }

    #[test]
    fn a_file_in_the_way_of_the_directory_is_an_io_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("photos");
        fs::write(&file, "not a dir").expect("write");
        let err = generate(&file, 1).expect_err("must fail");
        assert!(matches!(err, SamplesError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("photos"), "{err}");
    }
}
