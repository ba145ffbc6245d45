//! Why a Google Photos call failed, and whether Google's advice is to try it again.

#[derive(Debug, thiserror::Error)]
pub enum GphotosError {
    /// The refresh token was revoked, or expired (7 days on a project in Testing).
    #[error(
        "Google refused the stored Google Photos login ({0}): a login lasts only 7 days while \
         the Google Cloud project is in Testing status (Google's rule; publishing the project \
         lifts it), and ends when revoked or unused for 6 months; run `photosync login gphotos` \
         again"
    )]
    Revoked(String),
    #[error("{what}: HTTP {status}: {message}")]
    Http {
        what: &'static str,
        status: u16,
        message: String,
    },
    /// No answer: the connection failed or closed before the answer came.
    #[error("{what}: {message}")]
    Transport { what: &'static str, message: String },
    #[error("{what}: unexpected answer: {message}")]
    Malformed { what: &'static str, message: String },
    #[error("cannot read {path}: {source}")]
    File {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The day's request budget is spent (counted by photosync, or said by Google).
    #[error("the daily request quota is used up")]
    QuotaSpent,
    #[error("login: {0}")]
    Login(String),
    #[error("cancelled")]
    Cancelled,
}

/// What Google's best practices say to do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// 429: wait at least 30 s.
    RateLimited,
    /// 5xx or no answer: exponential backoff with jitter from 1 s.
    Backoff,
    No,
}

impl GphotosError {
    pub fn retry(&self) -> Retry {
        match self {
            GphotosError::Http { status: 429, .. } => Retry::RateLimited,
            GphotosError::Http { status, .. } if *status >= 500 => Retry::Backoff,
            GphotosError::Transport { .. } => Retry::Backoff,
            _ => Retry::No,
        }
    }

    /// Google refused a whole batchCreate for an upload token it does not take (unknown,
    /// expired, already used): 400 "Request must contain a valid upload token."
    /// (gphotosuploader/gphotos-uploader-cli#132, #223).
    pub fn is_bad_upload_token(&self) -> bool {
        matches!(self, GphotosError::Http { status: 400, message, .. }
            if message.to_ascii_lowercase().contains("valid upload token"))
    }

    /// albums:batchAddMediaItems refused for an item the app did not create.
    pub fn is_invalid_media_item(&self) -> bool {
        matches!(self, GphotosError::Http { status: 400, message, .. }
            if message.to_ascii_lowercase().contains("invalid media item id"))
    }

    /// A 429 whose quota metric is a per-day one ('All requests per day',
    /// 'ApiCallsPerProjectPerDay'): waiting minutes will not help, the next day will. Per
    /// minute ones ('WritesPerMinutePerUser', 'Write requests per minute per user') and
    /// 'concurrent write request' are waited out.
    pub(crate) fn is_daily_quota(status: u16, message: &str) -> bool {
        let words: String = message
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        status == 429 && words.contains("perday")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_errors_are_daily_or_per_minute_by_their_metric() {
        let daily = [
            "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com'",
            "Quota exceeded for quota metric 'ApiCallsPerProjectPerDay' and limit 'ApiCallsPerProjectPerDay'",
        ];
        let minute = [
            "Quota exceeded for quota metric 'Write requests' and limit 'WritesPerMinutePerUser'",
            "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'",
            "Quota exceeded for quota metric 'Write requests' and limit 'concurrent write request'",
        ];
        assert!(daily.iter().all(|m| GphotosError::is_daily_quota(429, m)));
        assert!(!minute.iter().any(|m| GphotosError::is_daily_quota(429, m)));
        assert!(!GphotosError::is_daily_quota(400, daily[0]));
    }
}
