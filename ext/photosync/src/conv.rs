//! Conversions between Ruby values and the core's types that several classes share:
//! paths (which on Unix are bytes, not always UTF-8) and dates.

use magnus::{RArray, RString, Ruby};
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

/// The outcome fields every destination's report has: `counts` (a Hash), and the files
/// not taken and refused as `[path, reason]` pairs.
pub fn set_outcomes(
    ruby: &Ruby,
    h: magnus::RHash,
    counts: &photosync::engine::outcome::Counts,
    not_taken: &[(PathBuf, String)],
    refused: &[(PathBuf, String)],
) -> Result<(), magnus::Error> {
    let c = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    c.aset(sym("done"), counts.done)?;
    c.aset(sym("already_there"), counts.already_there)?;
    c.aset(sym("duplicates"), counts.duplicates)?;
    c.aset(sym("not_taken"), counts.not_taken)?;
    c.aset(sym("refused"), counts.refused)?;
    c.aset(sym("refused_before"), counts.refused_before)?;
    c.aset(sym("failed"), counts.failed)?;
    c.aset(sym("unreadable"), counts.unreadable)?;
    h.aset(sym("counts"), c)?;
    for (key, list) in [("not_taken", not_taken), ("refused", refused)] {
        let a = ruby.ary_new_capa(list.len());
        for (path, reason) in list {
            a.push((path_to(ruby, path), reason.as_str()))?;
        }
        h.aset(sym(key), a)?;
    }
    Ok(())
}
