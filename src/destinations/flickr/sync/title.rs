//! The title an upload gets, from a template the user picks: the old script used the
//! file's stem, others want the folder or the date in it. Checked once when the options
//! are built, so a typo fails the run before any upload, not 10,000 titles later.

use crate::library::photo::Photo;

/// What the template may name.
const FIELDS: [&str; 5] = ["stem", "name", "ext", "folder", "date"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(&'static str),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TitleError {
    #[error("title template {template:?}: unknown field {{{field}}}; use {{stem}}, {{name}}, {{ext}}, {{folder}} or {{date}}")]
    UnknownField { template: String, field: String },
    #[error("title template {template:?}: a {{ without its }}")]
    Unclosed { template: String },
}

impl Default for TitleTemplate {
    /// The file name without its extension, as the old script did.
    fn default() -> Self {
        TitleTemplate {
            parts: vec![Part::Field("stem")],
        }
    }
}

impl TitleTemplate {
    /// `{stem}` (`IMG_0001`), `{name}` (`IMG_0001.JPG`), `{ext}` (`JPG`), `{folder}` (the
    /// parent folder's name) and `{date}` (taken date, `2019-07-14`) among plain text. An
    /// empty template gives untitled uploads.
    pub fn parse(template: &str) -> Result<Self, TitleError> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or_else(|| TitleError::Unclosed {
                template: template.to_string(),
            })? + open;
            let name = &rest[open + 1..close];
            let field =
                FIELDS
                    .iter()
                    .find(|f| **f == name)
                    .ok_or_else(|| TitleError::UnknownField {
                        template: template.to_string(),
                        field: name.to_string(),
                    })?;
            parts.push(Part::Field(field));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(TitleTemplate { parts })
    }

    pub fn render(&self, photo: &Photo) -> String {
        let lossy = |s: Option<&std::ffi::OsStr>| {
            s.map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut title = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => title.push_str(t),
                Part::Field("stem") => title.push_str(&lossy(photo.path.file_stem())),
                Part::Field("name") => title.push_str(&lossy(photo.path.file_name())),
                Part::Field("ext") => title.push_str(&lossy(photo.path.extension())),
                Part::Field("folder") => {
                    title.push_str(&lossy(photo.path.parent().and_then(|p| p.file_name())))
                }
                Part::Field(_) => title.push_str(&photo.taken.local.format("%Y-%m-%d").to_string()),
            }
        }
        title.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{DateSource, TakenAt};
    use crate::library::kind::MediaKind;

    fn photo(path: &str) -> Photo {
        Photo {
            path: path.into(),
            size: 1,
            mtime_ns: 0,
            inode: 0,
            kind: MediaKind::Jpeg,
            md5: None,
            imgmd5: None,
            taken: TakenAt {
                local: chrono::NaiveDate::from_ymd_opt(2019, 7, 14)
                    .and_then(|d| d.and_hms_opt(10, 0, 0))
                    .unwrap_or_default(),
                offset_seconds: None,
                source: DateSource::ExifOriginal,
            },
            date_facts: Default::default(),
            make: None,
            model: None,
            width: None,
            height: None,
            orientation: None,
            error: None,
            damaged: None,
        }
    }

    #[test]
    fn renders_every_field() {
        let p = photo("/lib/Holiday 2019/IMG_0001.JPG");
        let t = |s: &str| TitleTemplate::parse(s).map(|t| t.render(&p));
        assert_eq!(t("{stem}"), Ok("IMG_0001".into()));
        assert_eq!(TitleTemplate::default().render(&p), "IMG_0001");
        assert_eq!(
            t("{folder} - {date} ({name}, {ext})"),
            Ok("Holiday 2019 - 2019-07-14 (IMG_0001.JPG, JPG)".into())
        );
        assert_eq!(t(""), Ok("".into()));
        assert_eq!(t("Scans"), Ok("Scans".into()));
    }

    #[test]
    fn refuses_unknown_and_unclosed_fields() {
        assert!(matches!(
            TitleTemplate::parse("{stme}"),
            Err(TitleError::UnknownField { field, .. }) if field == "stme"
        ));
        assert!(matches!(
            TitleTemplate::parse("x {stem"),
            Err(TitleError::Unclosed { .. })
        ));
    }
}
