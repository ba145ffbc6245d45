//! Where a photo goes inside the archive: a pattern such as `%Y/%m/%d/%n` turned into
//! a relative path from the photo's taken-date, its file name and its MD5.
//!
//! Tokens: `%Y` year (4 digits), `%m` month, `%d` day, `%H` hour, `%M` minute, `%S`
//! second (2 digits each), `%n` the original file name, `%f` its stem (the name
//! without the extension), `%e` its extension (without the dot, as it was), `%h` the
//! first 8 hex digits of the MD5, `%c` the camera model (`unknown-camera` when there is
//! none), `%%` a percent sign. `/` separates folders.

use crate::library::photo::Photo;
use chrono::{Datelike, Timelike};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// The default: `YYYY/MM/DD/original-name.ext`.
pub const DEFAULT_LAYOUT: &str = "%Y/%m/%d/%n";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LayoutError {
    #[error("archive layout {pattern:?}: unknown token %{token}; use %Y %m %d %H %M %S %n %f %e %h %c or %%")]
    UnknownToken { pattern: String, token: char },
    #[error("archive layout {pattern:?}: the last part must name the file with %n, or %f (and %e), or %h")]
    NoFileName { pattern: String },
    #[error("archive layout {pattern:?}: must be relative, without empty parts or parts that start with a dot")]
    BadFolder { pattern: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Token(char),
}

/// A parsed pattern: folders, then the file name part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pattern: String,
    parts: Vec<Vec<Piece>>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout::parse(DEFAULT_LAYOUT).unwrap_or_else(|_| unreachable!("the default layout parses"))
    }
}

impl Layout {
    pub fn parse(pattern: &str) -> Result<Layout, LayoutError> {
        let bad = || LayoutError::BadFolder {
            pattern: pattern.to_string(),
        };
        if pattern.starts_with('/') {
            return Err(bad());
        }
        let mut parts = Vec::new();
        for part in pattern.split('/') {
            // A part starting with a dot would be hidden, and skipped by verify.
            if part.is_empty() || part.starts_with('.') {
                return Err(bad());
            }
            parts.push(pieces(pattern, part)?);
        }
        let names_file = parts.last().is_some_and(|last| {
            last.iter()
                .any(|p| matches!(p, Piece::Token('n' | 'f' | 'h')))
        });
        if !names_file {
            return Err(LayoutError::NoFileName {
                pattern: pattern.to_string(),
            });
        }
        Ok(Layout {
            pattern: pattern.to_string(),
            parts,
        })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The photo's place in the archive, relative to its root. `md5` is the photo's.
    pub fn render(&self, photo: &Photo, md5: &str) -> PathBuf {
        let name = photo.path.file_name().unwrap_or(OsStr::new("unnamed"));
        let (stem, ext) = split_name(name.as_bytes());
        let t = photo.taken.local;
        let mut out = PathBuf::new();
        for part in &self.parts {
            let mut bytes = Vec::new();
            for piece in part {
                match piece {
                    Piece::Text(s) => bytes.extend_from_slice(s.as_bytes()),
                    Piece::Token(c) => {
                        let text = match c {
                            'Y' => format!("{:04}", t.year()),
                            'm' => format!("{:02}", t.month()),
                            'd' => format!("{:02}", t.day()),
                            'H' => format!("{:02}", t.hour()),
                            'M' => format!("{:02}", t.minute()),
                            'S' => format!("{:02}", t.second()),
                            'h' => md5.chars().take(8).collect(),
                            'c' => camera(photo),
                            'n' => {
                                bytes.extend_from_slice(name.as_bytes());
                                continue;
                            }
                            'f' => {
                                bytes.extend_from_slice(stem);
                                continue;
                            }
                            'e' => {
                                bytes.extend_from_slice(ext.unwrap_or_default());
                                continue;
                            }
                            _ => "%".to_string(),
                        };
                        bytes.extend_from_slice(text.as_bytes());
                    }
                }
            }
            // A token never adds a folder level or climbs out of the archive.
            for b in bytes.iter_mut().filter(|b| **b == b'/' || **b == 0) {
                *b = b'_';
            }
            if bytes.is_empty() || bytes == b"." || bytes == b".." {
                bytes = b"_".to_vec();
            }
            out.push(OsString::from_vec(bytes));
        }
        out
    }
}

fn pieces(pattern: &str, part: &str) -> Result<Vec<Piece>, LayoutError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = part.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => text.push('%'),
            Some(t @ ('Y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'n' | 'f' | 'e' | 'h' | 'c')) => {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Token(t));
            }
            other => {
                return Err(LayoutError::UnknownToken {
                    pattern: pattern.to_string(),
                    token: other.unwrap_or(' '),
                })
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// `IMG_1.JPG` -> (`IMG_1`, Some(`JPG`)); a leading dot is not an extension.
fn split_name(name: &[u8]) -> (&[u8], Option<&[u8]>) {
    match name.iter().rposition(|b| *b == b'.') {
        Some(i) if i > 0 => (&name[..i], Some(&name[i + 1..])),
        _ => (name, None),
    }
}

fn camera(photo: &Photo) -> String {
    let model = photo.model.as_deref().map(str::trim).unwrap_or_default();
    if model.is_empty() {
        "unknown-camera".into()
    } else {
        model.to_string()
    }
}

/// `dir/IMG_1.JPG` -> `dir/IMG_1-<first 8 of md5>.JPG`: the name a different photo
/// gets when its own is taken.
pub fn with_hash_suffix(rel: &Path, md5: &str) -> PathBuf {
    let name = rel.file_name().unwrap_or_default().as_bytes();
    let (stem, ext) = split_name(name);
    let mut bytes = stem.to_vec();
    bytes.push(b'-');
    bytes.extend(md5.bytes().take(8));
    if let Some(ext) = ext {
        bytes.push(b'.');
        bytes.extend_from_slice(ext);
    }
    rel.with_file_name(OsString::from_vec(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{DateSource, TakenAt};
    use crate::library::kind::MediaKind;

    fn photo(path: &str, taken: &str, model: Option<&str>) -> Photo {
        Photo {
            path: PathBuf::from(path),
            size: 1,
            mtime_ns: 0,
            inode: 0,
            kind: MediaKind::Jpeg,
            md5: None,
            imgmd5: None,
            taken: TakenAt {
                local: chrono::NaiveDateTime::parse_from_str(taken, "%Y-%m-%d %H:%M:%S").unwrap(),
                offset_seconds: None,
                source: DateSource::ExifOriginal,
            },
            make: None,
            model: model.map(String::from),
            width: None,
            height: None,
            orientation: None,
            error: None,
            damaged: None,
            date_facts: Default::default(),
        }
    }

    const MD5: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn the_default_is_year_month_day_and_the_name() {
        let p = photo("/lib/x/IMG_0001.JPG", "2019-05-02 14:30:15", None);
        assert_eq!(
            Layout::default().render(&p, MD5),
            PathBuf::from("2019/05/02/IMG_0001.JPG")
        );
    }

    #[test]
    fn every_token() {
        let p = photo("/lib/a.b.jpeg", "2003-12-31 23:59:58", Some("Canon / 40D"));
        let layout = Layout::parse("%c/%Y-%m/%d_%H%M%S_%f_%h.%e%%").unwrap();
        assert_eq!(
            layout.render(&p, MD5),
            PathBuf::from("Canon _ 40D/2003-12/31_235958_a.b_01234567.jpeg%")
        );
        let none = photo("/lib/noext", "2003-12-31 23:59:58", None);
        assert_eq!(
            Layout::parse("%c/%f.%e").unwrap().render(&none, MD5),
            PathBuf::from("unknown-camera/noext.")
        );
    }

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        assert!(matches!(
            Layout::parse("%Y/%q/%n"),
            Err(LayoutError::UnknownToken { token: 'q', .. })
        ));
        assert!(matches!(
            Layout::parse("%Y/%m"),
            Err(LayoutError::NoFileName { .. })
        ));
        for bad in ["/abs/%n", "%Y//%n", "../%n", "%Y/./%n", "%Y/.%n"] {
            assert!(
                matches!(Layout::parse(bad), Err(LayoutError::BadFolder { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_hash_suffix_goes_before_the_extension() {
        assert_eq!(
            with_hash_suffix(Path::new("2019/05/02/IMG_1.JPG"), MD5),
            PathBuf::from("2019/05/02/IMG_1-01234567.JPG")
        );
        assert_eq!(
            with_hash_suffix(Path::new("a/noext"), MD5),
            PathBuf::from("a/noext-01234567")
        );
    }
}
