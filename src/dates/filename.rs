//! Dates in file names: phones, cameras and chat apps put the taken-date there, and a name
//! is often all a scanned or forwarded photo has.

use chrono::{Datelike, Days, Local, NaiveDate, NaiveDateTime, NaiveTime};

/// A date (and time, when there is one) in a camera's, phone's or app's file name, such as
/// `IMG_20190512_143015.jpg`, `PXL_20210704_183012345.jpg`, `2019-05-12 14.30.15.jpg`,
/// `WhatsApp Image 2019-05-12 at 14.30.15.jpeg` or `IMG-20190512-WA0001.jpg` (midnight).
///
/// A date must be whole runs of digits (8 for `20190512`, 4-2-2 for `2019-05-12`), so counters
/// such as `DSC_1234` or `P1000123` and long numbers never pass as dates; it must also be a real
/// day from 1990 to a year from now, since anything else is a counter that happens to parse.
pub fn from_file_name(name: &str) -> Option<NaiveDateTime> {
    let runs = digit_runs(name);
    let latest = Local::now()
        .date_naive()
        .checked_add_days(Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    (0..runs.len()).find_map(|i| {
        let found = compact_date(name, &runs[i..]).or_else(|| dashed_date(name, &runs[i..]))?;
        (found.year() >= 1990 && found.date() <= latest).then_some(found)
    })
}

/// A maximal run of ASCII digits in the name, and where it is.
#[derive(Clone, Copy)]
struct Run<'a> {
    start: usize,
    end: usize,
    digits: &'a str,
}

impl Run<'_> {
    fn value(&self) -> Option<u32> {
        self.digits.parse().ok()
    }
}

fn digit_runs(name: &str) -> Vec<Run<'_>> {
    let mut runs = Vec::new();
    let mut start = None;
    // The sentinel closes a run at the end of the name.
    for (i, b) in name.bytes().chain(std::iter::once(b'.')).enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let digits = name.get(s..i).unwrap_or_default();
                runs.push(Run {
                    start: s,
                    end: i,
                    digits,
                });
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// The text between two runs.
fn between<'a>(name: &'a str, a: &Run, b: &Run) -> &'a str {
    name.get(a.end..b.start).unwrap_or_default()
}

/// `20190512`, optionally followed by `_143015`, `-143015` or `_143015123` (milliseconds).
fn compact_date(name: &str, runs: &[Run]) -> Option<NaiveDateTime> {
    let (date, rest) = runs.split_first()?;
    let d = date.digits;
    if d.len() != 8 {
        return None;
    }
    let date_only = NaiveDate::from_ymd_opt(
        d[0..4].parse().ok()?,
        d[4..6].parse().ok()?,
        d[6..8].parse().ok()?,
    )?;
    let time = rest
        .first()
        .filter(|t| matches!(between(name, date, t), "_" | "-"))
        .and_then(|t| compact_time(t.digits));
    Some(date_only.and_time(time.unwrap_or(NaiveTime::MIN)))
}

/// `143015`, plus up to three digits of fractions of a second.
fn compact_time(d: &str) -> Option<NaiveTime> {
    if !(6..=9).contains(&d.len()) {
        return None;
    }
    let fraction = &d[6..];
    let nanos = match fraction.len() {
        0 => 0,
        n => fraction.parse::<u32>().ok()? * 10u32.pow(9 - n as u32),
    };
    NaiveTime::from_hms_nano_opt(
        d[0..2].parse().ok()?,
        d[2..4].parse().ok()?,
        d[4..6].parse().ok()?,
        nanos,
    )
}

/// `2019-05-12`, optionally followed by a time `14.30.15` or `14-30-15` after one of the
/// separators apps use: ` `, `_`, `-`, `T` or ` at ` (WhatsApp).
fn dashed_date(name: &str, runs: &[Run]) -> Option<NaiveDateTime> {
    let [y, m, d, rest @ ..] = runs else {
        return None;
    };
    let shape_ok = [(y, 4), (m, 2), (d, 2)]
        .iter()
        .all(|(r, len)| r.digits.len() == *len);
    if !shape_ok || between(name, y, m) != "-" || between(name, m, d) != "-" {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.value()? as i32, m.value()?, d.value()?)?;
    let time = match rest {
        [h, mi, s, ..]
            if [h, mi, s].iter().all(|r| r.digits.len() == 2)
                && matches!(between(name, d, h), " " | "_" | "-" | "T" | " at ")
                && matches!(between(name, h, mi), "." | "-" | ":")
                && between(name, h, mi) == between(name, mi, s) =>
        {
            NaiveTime::from_hms_opt(h.value()?, mi.value()?, s.value()?)
        }
        _ => None,
    };
    Some(date.and_time(time.unwrap_or(NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_milli_opt(h, mi, s, ms))
            .expect("valid test date")
    }

    #[test]
    fn file_names_from_phones_cameras_and_apps() {
        let cases = [
            ("IMG_20190512_143015.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            (
                "IMG_20190512_143015123.jpg",
                at(2019, 5, 12, 14, 30, 15, 123),
            ),
            (
                "PXL_20210704_183012345.jpg",
                at(2021, 7, 4, 18, 30, 12, 345),
            ),
            (
                "PXL_20210704_183012345.MP.jpg",
                at(2021, 7, 4, 18, 30, 12, 345),
            ),
            ("VID_20190512_143015.mp4", at(2019, 5, 12, 14, 30, 15, 0)),
            ("20190512_143015.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            (
                "Screenshot_20190512-143015.png",
                at(2019, 5, 12, 14, 30, 15, 0),
            ),
            ("2019-05-12 14.30.15.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            ("2019-05-12 14.30.15-1.jpg", at(2019, 5, 12, 14, 30, 15, 0)),
            ("2019-05-12 14-30-15", at(2019, 5, 12, 14, 30, 15, 0)),
            (
                "Screenshot_2019-05-12-14-30-15.png",
                at(2019, 5, 12, 14, 30, 15, 0),
            ),
            (
                "WhatsApp Image 2019-05-12 at 14.30.15.jpeg",
                at(2019, 5, 12, 14, 30, 15, 0),
            ),
            ("IMG-20190512-WA0001.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12_anything", at(2019, 5, 12, 0, 0, 0, 0)),
            (
                "Ferien 2019-05-12 Strand 3.jpg",
                at(2019, 5, 12, 0, 0, 0, 0),
            ),
            ("photo 1 2019-05-12.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            // A time that is not one leaves the date at midnight.
            ("IMG_20190512_996015.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12 25.30.15.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("2019-05-12 14.30-15.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("Ünïcødé 2019-05-12.jpg", at(2019, 5, 12, 0, 0, 0, 0)),
            ("1990-01-01.jpg", at(1990, 1, 1, 0, 0, 0, 0)),
        ];
        for (name, want) in cases {
            assert_eq!(from_file_name(name), Some(want), "{name}");
        }
    }

    #[test]
    fn counters_long_numbers_and_impossible_dates_are_not_dates() {
        let next_year = Local::now().year() + 2;
        let future = format!("IMG_{next_year}0101_120000.jpg");
        let names = [
            "DSC_1234.JPG",
            "P1000123.JPG",
            "12345678901234.jpg",
            "20190512143015.jpg",
            "IMG_120190512_143015.jpg",
            "IMG_20191312_143015.jpg",
            "IMG_20190230_143015.jpg",
            "2019-02-30.jpg",
            "2019-13-01.jpg",
            "2019-5-12.jpg",
            "12019-05-12.jpg",
            "2019-05-123.jpg",
            "2019_05_12.jpg",
            "IMG_19890512_143015.jpg",
            "1989-12-31.jpg",
            future.as_str(),
            "",
            "...",
            "IMG_0001.HEIC",
        ];
        for name in names {
            assert_eq!(from_file_name(name), None, "{name}");
        }
    }
}
