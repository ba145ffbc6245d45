//! Conversions between Ruby values and the core's types that several classes share:
//! paths (which on Unix are bytes, not always UTF-8), dates, and any report or event
//! that derives `serde::Serialize`.

use magnus::{Error, RArray, RString, Ruby, TryConvert};
use photosync::dates::{ExifDateTime, TakenAt};
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// A Ruby path string, byte for byte (a file name need not be valid UTF-8).
pub fn path_from(s: RString) -> PathBuf {
    // SAFETY: the bytes are copied before any other Ruby call can touch the string.
    let bytes = unsafe { s.as_slice() }.to_vec();
    PathBuf::from(OsString::from_vec(bytes))
}

/// A path as a Ruby String: UTF-8 when it is, else binary, never lossy.
pub fn path_to(ruby: &Ruby, p: &Path) -> RString {
    let bytes = p.as_os_str().as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(s) => ruby.str_new(s),
        Err(_) => ruby.str_from_slice(bytes),
    }
}

/// `[year, month, day, hour, min, sec, nsec, utc_offset_or_nil]`, which Ruby turns into
/// a Time (lib/photosync/time_parts.rb) with the offset when the camera recorded one.
pub fn time_parts(ruby: &Ruby, local: chrono::NaiveDateTime, offset: Option<i32>) -> RArray {
    use chrono::{Datelike, Timelike};
    let a = ruby.ary_new_capa(8);
    let _ = a.push(local.year());
    let _ = a.push(local.month());
    let _ = a.push(local.day());
    let _ = a.push(local.hour());
    let _ = a.push(local.minute());
    let _ = a.push(local.second());
    let _ = a.push(local.nanosecond());
    let _ = a.push(offset);
    a
}

pub fn taken_parts(ruby: &Ruby, t: &TakenAt) -> RArray {
    time_parts(ruby, t.local, t.offset_seconds)
}

pub fn exif_date_parts(ruby: &Ruby, t: &Option<ExifDateTime>) -> Option<RArray> {
    t.as_ref()
        .map(|d| time_parts(ruby, d.local, d.offset_seconds))
}

/// A core value in its serde form as a Ruby value: structs as Hashes with Symbol keys,
/// sequences as Arrays, strings as UTF-8 Strings, bytes as binary Strings (a path that is
/// not UTF-8: see `photosync::serial`), None as nil. A field the core adds reaches Ruby
/// with no change here.
pub fn to_ruby<T: serde::Serialize + ?Sized, O: TryConvert>(
    ruby: &Ruby,
    v: &T,
) -> Result<O, Error> {
    serde_magnus::serialize(ruby, v)
}
