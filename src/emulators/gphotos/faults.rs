//! The failures a Google Photos client meets, drawn with the Flickr emulator's seeded `Faults`:
//! 500 and 503, a 429 per-minute limit, 409 ABORTED, a connection closed before any answer, the
//! work done (items created) but the connection closed before the answer, an upload cut midway
//! (part of the bytes kept), and one item of a batchCreate failing with code 13.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    Http500,
    Http503,
    /// 429 RESOURCE_EXHAUSTED, 'WritesPerMinutePerUser'.
    Http429,
    /// 409 ABORTED.
    Aborted,
    DropBeforeAnswer,
    /// The request is carried out, then the connection closes without the answer (a read is
    /// simply not answered).
    DropAfterWork,
    /// An upload request's body is read in part, what a resumable session received is kept
    /// (whole granules), and the connection closes. Other requests: closed before any answer.
    CutUpload,
    /// batchCreate answers 200 with one item's status code 13. Other requests: no fault.
    ItemFailed,
}

impl FaultKind {
    /// The names the Ruby API and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Http500 => "http500",
            FaultKind::Http503 => "http503",
            FaultKind::Http429 => "http429",
            FaultKind::Aborted => "aborted409",
            FaultKind::DropBeforeAnswer => "drop_before_answer",
            FaultKind::DropAfterWork => "drop_after_work",
            FaultKind::CutUpload => "cut_upload",
            FaultKind::ItemFailed => "item_failed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub const ALL: [FaultKind; 8] = [
        FaultKind::Http500,
        FaultKind::Http503,
        FaultKind::Http429,
        FaultKind::Aborted,
        FaultKind::DropBeforeAnswer,
        FaultKind::DropAfterWork,
        FaultKind::CutUpload,
        FaultKind::ItemFailed,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in FaultKind::ALL {
            assert_eq!(FaultKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FaultKind::parse("gremlins"), None);
    }
}
