//! The image-data hash (`imgmd5`): an MD5 of what defines a photo's pixels, with its
//! metadata left out, so that editing a date or a caption (exiftool, a photo manager)
//! does not make the photo look new. It is fed the file chunk by chunk during the
//! scanner's single read ([`crate::library::hash`]), never reading the file again.
//!
//! Defined for baseline and progressive JPEG only. The hash covers, in file order:
//! `FF D8` (SOI); every marker segment except APP0-APP15 (`FF E0`-`FF EF`) and COM
//! (`FF FE`), as `FF`, the marker byte, the two length bytes and the payload (so DQT,
//! DHT, DRI, SOFn, DAC, DNL and the SOS headers are in); the entropy-coded data after
//! each SOS byte for byte, stuffed `FF 00` pairs and RST markers included; and the
//! final `FF D9` (EOI). Fill bytes (extra `FF`s before a marker) and everything after
//! EOI (camera trailers, appended previews) are left out. A file that does not start
//! with SOI, has a segment length below 2, lacks a SOF or SOS, or ends before EOI
//! (truncated) has no image-data hash: [`ImageHasher::finish`] returns `None`, never
//! an error.
//!
//! TIFF and HEIC get none: their pixel data is found through offsets (TIFF strip
//! offsets, HEIC `iloc`) that may point anywhere in the file, including before the
//! directory that names them, which a single forward pass cannot follow without
//! buffering the file.

use md5::{Digest as _, Md5};

/// A streaming JPEG segment walker that hashes the image-defining bytes.
pub struct ImageHasher {
    md5: Md5,
    walk: JpegWalk,
}

/// The walker alone: hands the image-defining bytes to a sink, so that they can go to
/// md-5 ([`ImageHasher`]) or to a lane of the multi-buffer engine
/// ([`crate::library::md5x`]).
#[derive(Debug, Clone)]
pub struct JpegWalk {
    state: State,
    seen_frame: bool,
    seen_scan: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Expecting `FF D8`; `got` bytes of it seen.
    Soi {
        got: u8,
    },
    /// Expecting `FF` (more `FF`s are fill), then a marker byte.
    Marker {
        saw_ff: bool,
    },
    /// Reading a segment's two length bytes.
    Length {
        marker: u8,
        high: Option<u8>,
    },
    /// Inside a segment's payload.
    Payload {
        marker: u8,
        left: u16,
        keep: bool,
    },
    /// Entropy-coded data after an SOS header; `saw_ff`: the last byte was an `FF`
    /// not yet known to be stuffing, a restart marker or the next segment's start.
    Entropy {
        saw_ff: bool,
    },
    Done,
    Invalid,
}

impl Default for ImageHasher {
    fn default() -> Self {
        ImageHasher::new()
    }
}

impl ImageHasher {
    pub fn new() -> Self {
        ImageHasher {
            md5: Md5::new(),
            walk: JpegWalk::new(),
        }
    }

    /// Feeds the next bytes of the file.
    pub fn update(&mut self, data: &[u8]) {
        let md5 = &mut self.md5;
        self.walk.feed(data, &mut |b| md5.update(b));
    }

    /// Whether the bytes ended inside the JPEG's structure (see [`JpegWalk::ended_early`]).
    pub fn ended_early(&self) -> bool {
        self.walk.ended_early()
    }

    /// The image-data MD5, when the bytes fed were a complete JPEG.
    pub fn finish(self) -> Option<[u8; 16]> {
        self.walk.complete().then(|| self.md5.finalize().into())
    }
}

impl Default for JpegWalk {
    fn default() -> Self {
        JpegWalk::new()
    }
}

impl JpegWalk {
    pub fn new() -> Self {
        JpegWalk {
            state: State::Soi { got: 0 },
            seen_frame: false,
            seen_scan: false,
        }
    }

    /// Feeds the next bytes of the file; the image-defining ones go to `out`, in order.
    pub fn feed(&mut self, mut data: &[u8], out: &mut dyn FnMut(&[u8])) {
        while !data.is_empty() {
            match self.state {
                State::Done | State::Invalid => return,
                State::Entropy { saw_ff: false } => {
                    // The bulk of a file: hash up to the next FF in one go.
                    let run = memchr::memchr(0xFF, data).unwrap_or(data.len());
                    out(&data[..run]);
                    data = &data[run..];
                    if let Some((_, rest)) = data.split_first() {
                        self.state = State::Entropy { saw_ff: true };
                        data = rest;
                    }
                }
                State::Payload { marker, left, keep } => {
                    let n = data.len().min(usize::from(left));
                    if keep {
                        out(&data[..n]);
                    }
                    data = &data[n..];
                    let left = left - n as u16;
                    self.state = match (left, marker) {
                        (0, 0xDA) => State::Entropy { saw_ff: false },
                        (0, _) => State::Marker { saw_ff: false },
                        _ => State::Payload { marker, left, keep },
                    };
                }
                _ => {
                    self.byte(data[0], out);
                    data = &data[1..];
                }
            }
        }
    }

    /// One byte outside the bulk paths (markers, lengths, an `FF` in entropy data).
    fn byte(&mut self, b: u8, out: &mut dyn FnMut(&[u8])) {
        self.state = match self.state {
            State::Soi { got: 0 } if b == 0xFF => State::Soi { got: 1 },
            State::Soi { got: 1 } if b == 0xD8 => {
                out(&[0xFF, 0xD8]);
                State::Marker { saw_ff: false }
            }
            State::Marker { saw_ff: false } if b == 0xFF => State::Marker { saw_ff: true },
            State::Marker { saw_ff: true } | State::Entropy { saw_ff: true } if b == 0xFF => {
                self.state // fill byte
            }
            State::Entropy { saw_ff: true } if b == 0x00 || (0xD0..=0xD7).contains(&b) => {
                out(&[0xFF, b]);
                State::Entropy { saw_ff: false }
            }
            State::Marker { saw_ff: true } | State::Entropy { saw_ff: true } => self.marker(b, out),
            State::Length { marker, high: None } => State::Length {
                marker,
                high: Some(b),
            },
            State::Length {
                marker,
                high: Some(high),
            } => {
                let len = u16::from_be_bytes([high, b]);
                let keep = !is_metadata(marker);
                if keep {
                    out(&[0xFF, marker, high, b]);
                }
                match len.checked_sub(2) {
                    None => State::Invalid,
                    Some(0) if marker == 0xDA => State::Invalid,
                    Some(0) => State::Marker { saw_ff: false },
                    Some(left) => State::Payload { marker, left, keep },
                }
            }
            _ => State::Invalid,
        };
    }

    /// The marker byte after an `FF`, outside a payload.
    fn marker(&mut self, m: u8, out: &mut dyn FnMut(&[u8])) -> State {
        match m {
            0xD9 => {
                out(&[0xFF, 0xD9]);
                State::Done
            }
            // A second SOI, a stray restart marker or TEM outside entropy data: not a
            // JPEG this walker can vouch for.
            0x00 | 0x01 | 0xD0..=0xD8 => State::Invalid,
            0xDA => {
                self.seen_scan = true;
                State::Length {
                    marker: m,
                    high: None,
                }
            }
            _ => {
                self.seen_frame |= is_frame(m);
                State::Length {
                    marker: m,
                    high: None,
                }
            }
        }
    }

    /// Whether the bytes fed were a complete JPEG, so that what went out is its image data.
    pub fn complete(&self) -> bool {
        self.state == State::Done && self.seen_frame && self.seen_scan
    }

    /// Whether the bytes fed so far ended inside a JPEG's structure (a segment or the
    /// image data) before its end marker: when they were the whole file, the file is cut
    /// short. A file the walk gave up on (not a JPEG, or a structure it does not know) is
    /// not said to end early: only a file that was a well-formed JPEG up to its last byte.
    pub fn ended_early(&self) -> bool {
        !self.stopped() && self.state != State::Soi { got: 0 }
    }

    /// Whether the walk has stopped: what follows would not go out.
    pub fn stopped(&self) -> bool {
        matches!(self.state, State::Done | State::Invalid)
    }
}

/// APPn and COM: metadata (EXIF, XMP, ICC profiles, maker notes, comments).
fn is_metadata(marker: u8) -> bool {
    (0xE0..=0xEF).contains(&marker) || marker == 0xFE
}

/// SOF0-SOF15, which are C0-CF except DHT (C4), JPG (C8) and DAC (CC).
pub(crate) fn is_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// The image-data MD5 of a whole buffer, for tests and small files.
pub fn image_md5(bytes: &[u8]) -> Option<[u8; 16]> {
    let mut h = ImageHasher::new();
    h.update(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, APP1, DQT, SOF0, DHT, SOS, entropy data with a stuffed FF
    /// and a restart marker, EOI.
    fn jpeg(app: &[u8], entropy: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend([0xFF, 0xE1]);
        v.extend(((app.len() + 2) as u16).to_be_bytes());
        v.extend(app);
        v.extend([0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02]);
        v.extend([0xFF, 0xFE, 0x00, 0x04, b'h', b'i']);
        v.extend([0xFF, 0xC0, 0x00, 0x05, 0x08, 0x00, 0x10]);
        v.extend([0xFF, 0xC4, 0x00, 0x03, 0x00]);
        v.extend([0xFF, 0xDA, 0x00, 0x03, 0x01]);
        v.extend(entropy);
        v.extend([0xFF, 0xFF, 0xD9, 0xAA, 0xBB]);
        v
    }

    const DATA: &[u8] = &[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4, 5];

    #[test]
    fn metadata_does_not_count_and_pixels_do() {
        let a = image_md5(&jpeg(b"Exif date one", DATA)).unwrap();
        assert_eq!(image_md5(&jpeg(b"another, longer date", DATA)), Some(a));
        assert_ne!(image_md5(&jpeg(b"Exif date one", &[1, 2, 3])), Some(a));
    }

    #[test]
    fn any_chunking_gives_the_same_hash() {
        let bytes = jpeg(b"x", DATA);
        let whole = image_md5(&bytes).unwrap();
        for size in 1..bytes.len() {
            let mut h = ImageHasher::new();
            bytes.chunks(size).for_each(|c| h.update(c));
            assert_eq!(h.finish(), Some(whole), "chunks of {size}");
        }
    }

    #[test]
    fn malformed_files_have_none() {
        let good = jpeg(b"x", DATA);
        for cut in 0..good.len() - 2 {
            assert_eq!(image_md5(&good[..cut]), None, "cut at {cut}");
        }
        assert_eq!(image_md5(b"II*\0 a tiff"), None);
        let mut short_len = good.clone();
        short_len[5] = 1; // APP1 length 1
        assert_eq!(image_md5(&short_len), None);
        let no_frame: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xDA, 0, 3, 1, 9, 0xFF, 0xD9].into();
        assert_eq!(image_md5(&no_frame), None);
    }
}
