//! The sample library's table: every file, what it holds and why, with the cameras
//! and shots whose EXIF the photos carry.

use super::bytes::Utc;
/// One row of the library: where the file goes, what it holds, its mtime, and
/// the line `notes.txt` gives it.
pub(super) struct Entry {
    pub(super) path: &'static str,
    pub(super) content: Content,
    pub(super) mtime: Utc,
    pub(super) why: &'static str,
}

pub(super) enum Content {
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

pub(super) struct Photo {
    pub(super) width: u16,
    pub(super) height: u16,
    pub(super) exif: Option<Shot>,
}

pub(super) struct Camera {
    pub(super) make: &'static str,
    pub(super) model: &'static str,
    pub(super) little_endian: bool,
    pub(super) exif_version: &'static [u8; 4],
    pub(super) exposure: (u32, u32),
    pub(super) f_number: (u32, u32),
    pub(super) iso: u16,
}

/// The EXIF of one photo.
pub(super) struct Shot {
    pub(super) camera: &'static Camera,
    /// DateTimeOriginal and DateTimeDigitized. `None` stands for an editor export
    /// that kept only IFD0, so DateTime is all a reader can find.
    pub(super) taken: Option<&'static str>,
    /// DateTime: the last change. A camera writes the moment it took the photo.
    pub(super) changed: &'static str,
    /// OffsetTimeOriginal and OffsetTime.
    pub(super) offset: Option<&'static str>,
    pub(super) subsec: Option<&'static str>,
    pub(super) software: Option<&'static str>,
    pub(super) gps: Option<Gps>,
}

/// Degrees, minutes and hundredths of seconds, as cameras store them.
pub(super) struct Gps {
    pub(super) lat: (char, [u32; 3]),
    pub(super) lon: (char, [u32; 3]),
}

pub(super) const fn shot(camera: &'static Camera, taken: &'static str) -> Shot {
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

pub(super) const fn jpeg(width: u16, height: u16, exif: Shot) -> Content {
    Content::Jpeg(Photo {
        width,
        height,
        exif: Some(exif),
    })
}

pub(super) const fn plain_jpeg(width: u16, height: u16) -> Content {
    Content::Jpeg(Photo {
        width,
        height,
        exif: None,
    })
}

// Sanyo wrote big-endian EXIF; the others little-endian. Both orders must be read.
pub(super) const SANYO: Camera = Camera {
    make: "SANYO Electric Co.,Ltd.",
    model: "SR6",
    little_endian: false,
    exif_version: b"0220",
    exposure: (1, 125),
    f_number: (28, 10),
    iso: 100,
};
pub(super) const CANON: Camera = Camera {
    make: "Canon",
    model: "Canon PowerShot S95",
    little_endian: true,
    exif_version: b"0230",
    exposure: (1, 60),
    f_number: (20, 10),
    iso: 400,
};
pub(super) const PIXEL: Camera = Camera {
    make: "Google",
    model: "Pixel 3",
    little_endian: true,
    exif_version: b"0220",
    exposure: (1, 980),
    f_number: (18, 10),
    iso: 55,
};

pub(super) const LISBON: Gps = Gps {
    lat: ('N', [38, 42, 4920]),
    lon: ('W', [9, 8, 2160]),
};

// Holiday mtimes are the day the card was copied off, so a wrong preference for
// mtime over EXIF shows, and the reset-clock photos have a plausible fallback.
pub(super) const HOLIDAY_COPIED: Utc = Utc(2004, 8, 22, 18, 5, 0);
pub(super) const BIRTHDAY_COPIED: Utc = Utc(2011, 6, 26, 20, 0, 0);
pub(super) const PHONE_SYNCED: Utc = Utc(2019, 5, 20, 7, 45, 0);
pub(super) const SCANNED: Utc = Utc(2005, 1, 9, 20, 15, 0);

pub(super) const LIBRARY: &[Entry] = &[
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
