//! What can go wrong talking to Flickr, each marked retryable or not, so the sync
//! engine can retry a 503 but fail a bad signature at once.

#[derive(Debug, thiserror::Error)]
pub enum FlickrError {
    /// Flickr answered `stat="fail"`.
    #[error("Flickr error {code} in {method}: {message}")]
    Api {
        method: String,
        code: i64,
        message: String,
        /// The value the upload API gives beside some errors: `duplicate_photo_id`
        /// (code 9), `non_pro_desktop_upload_wait_time` (code 14).
        extra: Option<String>,
    },
    /// The request did not get an answer (connection refused or dropped, timeout).
    /// The request may or may not have reached Flickr.
    #[error("network error calling {method}: {message}")]
    Transport { method: String, message: String },
    /// An HTTP error status without a Flickr error body.
    #[error("HTTP {status} from Flickr calling {method}: {excerpt}")]
    Http {
        method: String,
        status: u16,
        excerpt: String,
    },
    /// An answer that is not what Flickr sends (HTML, truncated JSON, wrong shape).
    #[error("unexpected answer from Flickr to {method}: {message}")]
    Malformed { method: String, message: String },
    #[error("cannot read {path}: {message}")]
    File { path: String, message: String },
    #[error("cancelled")]
    Cancelled,
}

impl FlickrError {
    /// Worth trying again later: the service was busy or the network failed.
    pub fn is_retryable(&self) -> bool {
        match self {
            // 0: Flickr's generic "something went wrong"; 105: service unavailable;
            // 106: write operation failed.
            FlickrError::Api { code, .. } => matches!(code, 0 | 105 | 106),
            FlickrError::Transport { .. } => true,
            FlickrError::Http { status, .. } => *status == 429 || *status >= 500,
            FlickrError::Malformed { .. } => true,
            FlickrError::File { .. } | FlickrError::Cancelled => false,
        }
    }

    /// The outcome of the request is unknown: it may have been carried out.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, FlickrError::Transport { .. })
    }

    /// Upload code 9's `duplicate_photo_id`, when it is a photo id.
    pub fn duplicate_photo_id(&self) -> Option<&str> {
        match self {
            FlickrError::Api {
                code: 9,
                extra: Some(id),
                ..
            } if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => Some(id),
            _ => None,
        }
    }

    /// Upload code 14's `non_pro_desktop_upload_wait_time`, in seconds.
    pub fn upload_wait(&self) -> Option<std::time::Duration> {
        match self {
            FlickrError::Api {
                code: 14,
                extra: Some(secs),
                ..
            } => secs
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|s| std::time::Duration::try_from_secs_f64(s.min(3600.0)).ok()),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<i64> {
        match self {
            FlickrError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}
