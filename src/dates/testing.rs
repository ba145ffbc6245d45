//! Builders shared by the dates tests.

use super::{DateFacts, DateSource, TakenAt};
use chrono::NaiveDateTime;

/// A photo for the dates tests: a JPEG at `path` from `model` (make "Make"), taken `local`.
pub(crate) fn photo(
    path: &str,
    model: Option<&str>,
    local: NaiveDateTime,
    source: DateSource,
) -> crate::library::photo::Photo {
    crate::library::photo::Photo {
        path: path.into(),
        size: 1,
        mtime_ns: 0,
        inode: 0,
        kind: crate::library::kind::MediaKind::Jpeg,
        md5: Some(format!("{:032x}", path.len())),
        imgmd5: None,
        taken: TakenAt {
            local,
            offset_seconds: None,
            source,
        },
        date_facts: DateFacts::default(),
        make: model.map(|_| "Make".to_string()),
        model: model.map(String::from),
        width: None,
        height: None,
        orientation: None,
        error: None,
        damaged: None,
    }
}

pub(crate) fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_opt(h, mi, s))
        .expect("valid test date")
}
