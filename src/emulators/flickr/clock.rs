//! Time as Flickr writes it: upload dates are unix seconds, taken dates are MySQL datetimes
//! (`2019-05-12 14:30:15`, no zone). Search bounds accept either form.

use chrono::{DateTime, NaiveDateTime};

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `ts` as a MySQL datetime (UTC).
pub fn mysql(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "1970-01-01 00:00:00".to_string())
}

/// Parses a MySQL datetime (date only, or with time) into seconds, reading it as UTC.
pub fn parse_mysql(text: &str) -> Option<i64> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(&format!("{text} 00:00:00"), "%Y-%m-%d %H:%M:%S")
        })
        .ok()
        .map(|d| d.and_utc().timestamp())
}

/// A search bound: a unix timestamp or a MySQL datetime.
pub fn parse_bound(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    parse_mysql(text)
}

/// Normalises a taken date given to `setDates` or read from EXIF (`2019:05:12 14:30:15`).
pub fn normalise_taken(text: &str) -> Option<String> {
    let text = text.trim();
    let exif_form = text.len() >= 10 && text.as_bytes().get(4) == Some(&b':');
    let text = if exif_form {
        text.replacen(':', "-", 2)
    } else {
        text.to_string()
    };
    parse_mysql(&text).map(mysql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(mysql(0), "1970-01-01 00:00:00");
        assert_eq!(
            parse_mysql("2019-05-12 14:30:15").map(mysql).as_deref(),
            Some("2019-05-12 14:30:15")
        );
        assert_eq!(parse_bound("1557671415"), Some(1557671415));
        assert_eq!(
            parse_bound("2019-05-12"),
            parse_mysql("2019-05-12 00:00:00")
        );
        assert_eq!(
            normalise_taken("2019:05:12 14:30:15").as_deref(),
            Some("2019-05-12 14:30:15")
        );
        assert_eq!(normalise_taken("garbage"), None);
    }
}
