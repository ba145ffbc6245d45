//! How reports and events serialize (derived `serde::Serialize`), so that a binding or a
//! JSON writer converts them generically instead of spelling every field again.
//!
//! Two field shapes need an attribute, because serde's own forms lose what a caller needs:
//! - paths (`PathBuf`, and vectors, options and pairs holding them):
//!   `#[serde(serialize_with = "crate::serial::paths")]`. A file name need not be UTF-8, and
//!   serde's `Path` impl fails on one; here a UTF-8 path is a string, any other its raw bytes.
//! - durations: `#[serde(serialize_with = "crate::serial::seconds")]`, seconds as a float
//!   (serde's own form is a `{secs, nanos}` struct).

use serde::ser::{SerializeTuple, Serializer};
use serde::Serialize;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A value that holds paths, serialized with each path as a string or, when it is not
/// UTF-8, as its bytes.
pub trait WithPaths {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
}

impl WithPaths for Path {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes = self.as_os_str().as_bytes();
        match std::str::from_utf8(bytes) {
            Ok(text) => s.serialize_str(text),
            Err(_) => s.serialize_bytes(bytes),
        }
    }
}

impl WithPaths for PathBuf {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_path().serialize_paths(s)
    }
}

impl<T: WithPaths + ?Sized> WithPaths for &T {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_paths(s)
    }
}

impl<T: WithPaths> WithPaths for Option<T> {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => s.serialize_some(&Paths(v)),
            None => s.serialize_none(),
        }
    }
}

impl<T: WithPaths> WithPaths for Vec<T> {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Paths))
    }
}

/// A path with what is said about it (an error message): a two-element sequence.
impl<T: WithPaths, U: Serialize> WithPaths for (T, U) {
    fn serialize_paths<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&Paths(&self.0))?;
        t.serialize_element(&self.1)?;
        t.end()
    }
}

/// `WithPaths` as `Serialize`, for nesting.
struct Paths<'a, T: ?Sized>(&'a T);

impl<T: WithPaths + ?Sized> Serialize for Paths<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_paths(s)
    }
}

/// For `serialize_with` on any field holding paths.
pub fn paths<T: WithPaths + ?Sized, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    v.serialize_paths(s)
}

/// For `serialize_with` on a `Duration`: seconds as a float.
pub fn seconds<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[derive(Serialize)]
    struct Sample {
        #[serde(serialize_with = "paths")]
        path: PathBuf,
        #[serde(serialize_with = "paths")]
        errors: Vec<(PathBuf, String)>,
        #[serde(serialize_with = "paths")]
        maybe: Option<PathBuf>,
        #[serde(serialize_with = "seconds")]
        elapsed: Duration,
    }

    #[test]
    fn paths_are_strings_or_their_bytes_and_durations_seconds() {
        let odd = PathBuf::from(OsStr::from_bytes(b"caf\xe9.jpg"));
        let s = Sample {
            path: PathBuf::from("a/b.jpg"),
            errors: vec![(odd.clone(), "unreadable".into())],
            maybe: Some(odd),
            elapsed: Duration::from_millis(1500),
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["path"], "a/b.jpg");
        let bytes = serde_json::json!([99, 97, 102, 0xe9, 46, 106, 112, 103]);
        assert_eq!(json["errors"][0][0], bytes);
        assert_eq!(json["errors"][0][1], "unreadable");
        assert_eq!(json["maybe"], bytes);
        assert_eq!(json["elapsed"], 1.5);
    }
}
