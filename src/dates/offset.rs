//! Clock offsets written the way people fix dates with exiftool: `+1y2m3d 4:05:06`,
//! `-0:30` (minus half an hour), `+2d`, `-1y`, or exiftool's own `+1:2:3 4:05:06`
//! (years:months:days hours:minutes:seconds). Years and months are calendar steps (Jan 31
//! plus one month is Feb 28/29, as exiftool does); days and the time are exact.

use chrono::{Duration, Months, NaiveDateTime};

use super::DatesError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Offset {
    pub negative: bool,
    pub months: u32,
    pub days: u32,
    pub seconds: u32,
}

impl Offset {
    pub fn parse(text: &str) -> Result<Offset, DatesError> {
        let bad = |why: &str| DatesError::Offset {
            text: text.to_owned(),
            message: why.to_owned(),
        };
        let s = text.trim();
        let (negative, s) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => return Err(bad("start with + or -, e.g. +1y2m3d 4:05:06")),
        };
        let s = s.trim_start();
        let mut words = s.split_whitespace();
        let (date, time) = match (words.next(), words.next(), words.next()) {
            (Some(a), Some(b), None) => (Some(a), Some(b)),
            (Some(a), None, None) if a.contains(':') && !a.contains(['y', 'm', 'd']) => {
                (None, Some(a))
            }
            (Some(a), None, None) => (Some(a), None),
            (None, ..) => return Err(bad("nothing after the sign")),
            _ => return Err(bad("at most a date part and a time part")),
        };
        let (years, months, days) = match date {
            Some(d) if d.contains(':') => colon_date(d).ok_or_else(|| bad("date part is Y:M:D"))?,
            Some(d) => unit_date(d).ok_or_else(|| bad("date part is like 1y2m3d"))?,
            None => (0, 0, 0),
        };
        let seconds = match time {
            Some(t) => clock(t).ok_or_else(|| bad("time part is H:MM:SS or H:MM"))?,
            None => 0,
        };
        let months = years
            .checked_mul(12)
            .and_then(|m| m.checked_add(months))
            .filter(|&m| m <= 12 * 10_000)
            .ok_or_else(|| bad("too large"))?;
        if days > 366_000 {
            return Err(bad("too large"));
        }
        Ok(Offset {
            negative,
            months,
            days,
            seconds,
        })
    }

    /// `date` moved by the offset; None when the result leaves chrono's range.
    pub fn apply(&self, date: NaiveDateTime) -> Option<NaiveDateTime> {
        let months = Months::new(self.months);
        let exact = Duration::days(self.days.into()) + Duration::seconds(self.seconds.into());
        if self.negative {
            date.checked_sub_months(months)?.checked_sub_signed(exact)
        } else {
            date.checked_add_months(months)?.checked_add_signed(exact)
        }
    }
}

impl std::fmt::Display for Offset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negative { '-' } else { '+' };
        let (y, m) = (self.months / 12, self.months % 12);
        let (h, mi, s) = (
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60,
        );
        write!(f, "{sign}{y}y{m}m{}d {h}:{mi:02}:{s:02}", self.days)
    }
}

/// `1y2m3d`, any of the three in that order, each at most once.
fn unit_date(s: &str) -> Option<(u32, u32, u32)> {
    let mut out = [None; 3];
    let mut rest = s;
    let mut next_unit = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let unit = rest.as_bytes().get(digits)?;
        let index = [b'y', b'm', b'd'].iter().position(|u| u == unit)?;
        if digits == 0 || index < next_unit {
            return None;
        }
        out[index] = Some(rest[..digits].parse().ok()?);
        next_unit = index + 1;
        rest = &rest[digits + 1..];
    }
    out.iter().any(Option::is_some).then(|| {
        let [y, m, d] = out.map(|v| v.unwrap_or(0));
        (y, m, d)
    })
}

/// exiftool's `Y:M:D`.
fn colon_date(s: &str) -> Option<(u32, u32, u32)> {
    let parts = numbers(s)?;
    match parts[..] {
        [y, m, d] => Some((y, m, d)),
        _ => None,
    }
}

/// `H:MM:SS` or `H:MM`, as seconds.
fn clock(s: &str) -> Option<u32> {
    let parts = numbers(s)?;
    let (h, m, sec) = match parts[..] {
        [h, m, s] => (h, m, s),
        [h, m] => (h, m, 0),
        _ => return None,
    };
    if m >= 60 || sec >= 60 {
        return None;
    }
    h.checked_mul(3600)?.checked_add(m * 60 + sec)
}

fn numbers(s: &str) -> Option<Vec<u32>> {
    s.split(':')
        .map(|p| {
            (!p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_opt(h, mi, s))
            .expect("valid test date")
    }

    fn shift(text: &str, from: NaiveDateTime) -> NaiveDateTime {
        Offset::parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .apply(from)
            .expect("in range")
    }

    #[test]
    fn the_issue_example_and_its_negative() {
        let o = Offset::parse("+1y2m3d 4:05:06").expect("parses");
        assert_eq!(
            o,
            Offset {
                negative: false,
                months: 14,
                days: 3,
                seconds: 4 * 3600 + 5 * 60 + 6
            }
        );
        let base = at(1998, 1, 1, 0, 0, 0);
        assert_eq!(shift("+1y2m3d 4:05:06", base), at(1999, 3, 4, 4, 5, 6));
        assert_eq!(shift("-1y2m3d 4:05:06", at(1999, 3, 4, 4, 5, 6)), base);
        assert_eq!(o.to_string(), "+1y2m3d 4:05:06");
    }

    #[test]
    fn every_accepted_form() {
        let base = at(2008, 7, 31, 17, 32, 6);
        let cases = [
            ("+1y", at(2009, 7, 31, 17, 32, 6)),
            ("-1y", at(2007, 7, 31, 17, 32, 6)),
            ("+2m", at(2008, 9, 30, 17, 32, 6)), // clamped to the month's end
            ("+1m", at(2008, 8, 31, 17, 32, 6)),
            ("+3d", at(2008, 8, 3, 17, 32, 6)),
            ("+1y3d", at(2009, 8, 3, 17, 32, 6)),
            ("+2m3d", at(2008, 10, 3, 17, 32, 6)),
            ("-0:30", at(2008, 7, 31, 17, 2, 6)),
            ("+0:30:00", at(2008, 7, 31, 18, 2, 6)),
            ("+7:00", at(2008, 8, 1, 0, 32, 6)),
            ("-36:00:00", at(2008, 7, 30, 5, 32, 6)),
            ("+1:2:3 4:05:06", at(2009, 10, 3, 21, 37, 12)),
            ("- 1d", at(2008, 7, 30, 17, 32, 6)),
            ("  +10y  ", at(2018, 7, 31, 17, 32, 6)),
            ("+0d", base),
            ("+1d 0:00:01", at(2008, 8, 1, 17, 32, 7)),
            // One word with colons and no unit is a time, as in exiftool.
            ("+1:2:3", at(2008, 7, 31, 18, 34, 9)),
        ];
        for (text, want) in cases {
            assert_eq!(shift(text, base), want, "{text}");
        }
        // Leap day: a year on from Feb 29 is Feb 28.
        assert_eq!(
            shift("+1y", at(2004, 2, 29, 12, 0, 0)),
            at(2005, 2, 28, 12, 0, 0)
        );
        assert_eq!(
            shift("-1m", at(2004, 3, 31, 12, 0, 0)),
            at(2004, 2, 29, 12, 0, 0)
        );
    }

    #[test]
    fn rejects_what_is_not_an_offset() {
        for bad in [
            "",
            "+",
            "-",
            "1y",
            "y",
            "+y",
            "+1x",
            "+1d2m",
            "+1m1m",
            "+1y 2",
            "+1:2 3:4 5",
            "+1:2 3:04",
            "+4:60",
            "+4:05:60",
            "+:05",
            "+1y2m3d 4:05:06 7",
            "+-1d",
            "+1.5d",
            "+12345678901y",
            "+1000000d",
            "+99999y",
            "++1d",
            "+1y 1d",
        ] {
            assert!(Offset::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        let e = Offset::parse("+1x").expect_err("bad").to_string();
        assert!(e.contains("+1x") && e.contains("1y2m3d"), "{e}");
    }

    #[test]
    fn out_of_range_results_are_none() {
        let far = Offset::parse("+9999y").expect("parses");
        assert_eq!(far.apply(at(262_000, 1, 1, 0, 0, 0)), None);
    }
}
