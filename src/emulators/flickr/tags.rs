//! Flickr tags as the service parses and shows them. A tag list is space separated, with double
//! quotes around a tag (or a machine tag's value) that holds spaces. Each tag keeps its raw text
//! and Flickr's "clean" form (lowercase, letters and digits only: `checksum:md5=ABC` shows as
//! `checksummd5abc`). Machine tags are `namespace:predicate=value`, namespace and predicate
//! `[a-z][a-z0-9_]*`, case-insensitive (Flickr API group post "Machine tags", 2007). Searches use
//! the wildcard forms of that post: `ns:`, `ns:pred=`, `ns:pred=value`, `*:pred=value`,
//! `ns:*=value`, `*:*=value`, `*:pred=`; values compare in clean form.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineTag {
    pub namespace: String,
    pub predicate: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// As the user typed it (quotes removed).
    pub raw: String,
    /// Flickr's normalised form, used for display and matching.
    pub clean: String,
    pub machine: Option<MachineTag>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TagError {
    #[error("machine tag query \"{0}\" is not of the form namespace:predicate=value")]
    BadQuery(String),
}

impl Tag {
    pub fn new(raw: &str) -> Tag {
        Tag {
            raw: raw.to_string(),
            clean: clean(raw),
            machine: parse_machine(raw),
        }
    }

    /// The machine tag as Flickr lists it in `extras=machine_tags`.
    pub fn machine_text(&self) -> Option<String> {
        self.machine.as_ref().map(|m| {
            let value = if m.value.chars().any(char::is_whitespace) {
                format!("\"{}\"", m.value)
            } else {
                m.value.clone()
            };
            format!("{}:{}={}", m.namespace, m.predicate, value)
        })
    }
}

/// Flickr's clean form: lowercase, only letters and digits kept.
pub fn clean(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits a tag list: whitespace separates tags, double quotes group words (also mid-tag, as in
/// `geo:locality="san francisco"`). Empty tags are dropped.
pub fn split_list(input: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in input.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                push_tag(&mut tags, &mut current);
            }
            c => current.push(c),
        }
    }
    push_tag(&mut tags, &mut current);
    tags
}

fn push_tag(tags: &mut Vec<String>, current: &mut String) {
    let tag = current.trim().to_string();
    current.clear();
    if !tag.is_empty() {
        tags.push(tag);
    }
}

/// Parses tags from a list, dropping those whose clean form repeats (Flickr keeps the first).
pub fn parse_list(input: &str) -> Vec<Tag> {
    let mut out: Vec<Tag> = Vec::new();
    for raw in split_list(input) {
        add_unique(&mut out, Tag::new(&raw));
    }
    out
}

/// Adds `tag` unless a tag with the same clean form (or same machine tag) is there.
pub fn add_unique(tags: &mut Vec<Tag>, tag: Tag) {
    if tag.clean.is_empty() && tag.machine.is_none() {
        return;
    }
    if !tags.iter().any(|t| same_tag(t, &tag)) {
        tags.push(tag);
    }
}

fn same_tag(a: &Tag, b: &Tag) -> bool {
    match (&a.machine, &b.machine) {
        (Some(x), Some(y)) => {
            x.namespace == y.namespace && x.predicate == y.predicate && x.value == y.value
        }
        _ => a.clean == b.clean,
    }
}

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_machine(raw: &str) -> Option<MachineTag> {
    let (namespace, rest) = raw.split_once(':')?;
    let (predicate, value) = rest.split_once('=')?;
    if !is_name(namespace) || !is_name(predicate) || value.trim().is_empty() {
        return None;
    }
    Some(MachineTag {
        namespace: namespace.to_ascii_lowercase(),
        predicate: predicate.to_ascii_lowercase(),
        value: value.trim().to_string(),
    })
}

/// One term of a `machine_tags` search; `None` parts are wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineQuery {
    pub namespace: Option<String>,
    pub predicate: Option<String>,
    /// Clean form of the wanted value; `None` means any value.
    pub value: Option<String>,
}

impl MachineQuery {
    pub fn parse(term: &str) -> Result<MachineQuery, TagError> {
        let bad = || TagError::BadQuery(term.to_string());
        let term = term.trim();
        let (namespace, rest) = term.split_once(':').ok_or_else(bad)?;
        let (predicate, value) = match rest.split_once('=') {
            Some((p, v)) => (p, v),
            None => (rest, ""),
        };
        let part = |text: &str| -> Result<Option<String>, TagError> {
            match text {
                "*" => Ok(None),
                t if is_name(t) => Ok(Some(t.to_ascii_lowercase())),
                _ => Err(bad()),
            }
        };
        let namespace = part(namespace)?;
        let predicate = if predicate.is_empty() {
            None
        } else {
            part(predicate)?
        };
        let value = value.trim().trim_matches('"');
        let value = if value.is_empty() {
            None
        } else {
            Some(clean(value))
        };
        if namespace.is_none() && predicate.is_none() && value.is_none() {
            // `*:*=` would match every machine tag on Flickr: it is refused there too.
            return Err(bad());
        }
        Ok(MachineQuery {
            namespace,
            predicate,
            value,
        })
    }

    pub fn matches(&self, tag: &MachineTag) -> bool {
        let part_ok = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        part_ok(&self.namespace, &tag.namespace)
            && part_ok(&self.predicate, &tag.predicate)
            && match &self.value {
                None => true,
                Some(v) => !v.is_empty() && *v == clean(&tag.value),
            }
    }
}

/// Splits a `machine_tags` search parameter into terms (comma separated, commas inside quotes
/// kept).
pub fn split_query(input: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in input.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => {
                if !current.trim().is_empty() {
                    terms.push(current.trim().to_string());
                }
                current.clear();
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        terms.push(current.trim().to_string());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD5: &str = "5b2fa91c0e1e4b3b9d0c7f1a2b3c4d5e";

    #[test]
    fn machine_tag_is_cleaned_for_display() {
        let tag = Tag::new(&format!("checksum:md5={}", MD5.to_uppercase()));
        assert_eq!(tag.clean, format!("checksummd5{MD5}"));
        let machine = tag.machine.unwrap();
        assert_eq!(
            (machine.namespace.as_str(), machine.predicate.as_str()),
            ("checksum", "md5")
        );
    }

    #[test]
    fn splits_quoted_tags_and_quoted_values() {
        let tags = split_list(r#"holiday "san francisco"  geo:locality="plateau mont royal""#);
        assert_eq!(
            tags,
            vec![
                "holiday",
                "san francisco",
                "geo:locality=plateau mont royal"
            ]
        );
        assert_eq!(Tag::new("San Francisco!").clean, "sanfrancisco");
    }

    #[test]
    fn not_machine_tags() {
        assert!(Tag::new("1abc:def=x").machine.is_none());
        assert!(Tag::new("abc:def=").machine.is_none());
        assert!(Tag::new("abc-d:def=x").machine.is_none());
        assert!(Tag::new("Geo:Lat=12").machine.is_some());
    }

    #[test]
    fn wildcard_queries() {
        let tag = Tag::new(&format!("checksum:md5={MD5}")).machine.unwrap();
        for query in [
            "checksum:".to_string(),
            "checksum:md5=".to_string(),
            format!("checksum:md5={MD5}"),
            format!("CHECKSUM:MD5={}", MD5.to_uppercase()),
            format!("*:md5={MD5}"),
            format!("checksum:*={MD5}"),
            format!("*:*={MD5}"),
            "*:md5=".to_string(),
        ] {
            assert!(
                MachineQuery::parse(&query).unwrap().matches(&tag),
                "{query}"
            );
        }
        for query in [
            "checksum:sha1=",
            "other:",
            "checksum:md5=abc",
            "checksum:md5=*",
        ] {
            assert!(
                !MachineQuery::parse(query).unwrap().matches(&tag),
                "{query}"
            );
        }
        assert!(MachineQuery::parse("*:*=").is_err());
        assert!(MachineQuery::parse("nocolon").is_err());
    }

    #[test]
    fn quoted_query_values_compare_clean() {
        let tag = Tag::new("dc:title=Mr. Camera").machine.unwrap();
        let query = MachineQuery::parse(r#"dc:title="mr. camera""#).unwrap();
        assert!(query.matches(&tag));
        assert_eq!(
            split_query(r#"a:b="x, y",c:"#),
            vec![r#"a:b="x, y""#.to_string(), "c:".to_string()]
        );
    }

    #[test]
    fn duplicates_are_dropped() {
        let tags = parse_list("Cat cat CAT dog");
        assert_eq!(tags.len(), 2);
    }
}
