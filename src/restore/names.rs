//! Safe file names from other people's words. Titles and album names on Flickr are
//! written by any software: `../../etc/x`, absolute paths, NUL, control characters,
//! names Windows reserves, 1,000 characters. Every name made here is one plain path
//! component that stays inside the restore folder, readable, and short enough for
//! every file system.

use std::path::PathBuf;

/// Bytes a name may take before its extension; ext4 allows 255 in all.
const MAX_NAME_BYTES: usize = 180;

/// Names Windows (and so exFAT drives shared with it) will not create, with any extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// One safe path component from `text`, or `fallback` when nothing of it is left.
pub fn component(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_NAME_BYTES));
    let mut last_space = false;
    for c in text.chars() {
        let c = match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || c == '\u{FEFF}' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (last_space || out.is_empty()) {
            continue;
        }
        last_space = c == ' ';
        if out.len() + c.len_utf8() > MAX_NAME_BYTES {
            break;
        }
        out.push(c);
    }
    // Leading dots would hide the file (or make `..`); trailing dots and spaces are
    // dropped by Windows.
    let trimmed = out
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    if trimmed.is_empty() {
        return fallback.to_string();
    }
    let stem = trimmed.split('.').next().unwrap_or("").trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return format!("_{trimmed}");
    }
    trimmed
}

/// A file extension from Flickr's `originalformat` (`jpg`, `mov`), or `bin`.
pub fn extension(format: &str) -> String {
    let ext: String = format
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    if ext.is_empty() {
        "bin".into()
    } else {
        ext
    }
}

/// The `n`th candidate file name: `name.ext`, then `name (2).ext`, ... (no dot when
/// `ext` is empty).
pub fn numbered(name: &str, ext: &str, n: u32) -> String {
    let dot = if ext.is_empty() { "" } else { "." };
    if n <= 1 {
        format!("{name}{dot}{ext}")
    } else {
        format!("{name} ({n}){dot}{ext}")
    }
}

/// An album's folder: a title holding `/` (`2004/holiday`, as `--albums folders` names
/// nested folders) keeps its nesting, each part made safe.
pub fn album_folder(title: &str) -> PathBuf {
    let parts: Vec<&str> = title
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts.is_empty() {
        true => PathBuf::from(component(title, "Album")),
        false => parts.iter().map(|p| component(p, "Album")).collect(),
    }
}

/// A file name from elsewhere (an archive's `IMG_0001.JPG`) as a safe stem and its
/// extension, case kept; `fallback` when nothing of the stem is left.
pub fn split_file_name(file_name: &str, fallback: &str) -> (String, String) {
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext),
        _ => (file_name, ""),
    };
    let ext: String = ext
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    (component(stem, fallback), ext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Component, Path};

    fn is_one_plain_component(name: &str) -> bool {
        let mut parts = Path::new(name).components();
        matches!(parts.next(), Some(Component::Normal(_))) && parts.next().is_none()
    }

    #[test]
    fn hostile_titles_become_one_plain_readable_component() {
        let long = "x".repeat(1000);
        let cases = [
            ("../../etc/x", "_.._etc_x"),
            ("/etc/passwd", "_etc_passwd"),
            ("a\0b\u{7}c\nd", "a b c d"),
            ("..", "photo"),
            ("...", "photo"),
            ("   ", "photo"),
            ("", "photo"),
            ("CON", "_CON"),
            ("con.txt", "_con.txt"),
            ("Lpt9", "_Lpt9"),
            ("trailing. ", "trailing"),
            (".hidden", "hidden"),
            ("Ferien am Meer: Tag 1?", "Ferien am Meer_ Tag 1_"),
            ("日本の夏", "日本の夏"),
        ];
        for (title, want) in cases {
            let got = component(title, "photo");
            assert_eq!(got, want, "{title:?}");
            assert!(is_one_plain_component(&got), "{got:?}");
        }
        let got = component(&long, "photo");
        assert_eq!(got.len(), MAX_NAME_BYTES);
        let wide = "é".repeat(500);
        assert!(component(&wide, "photo").len() <= MAX_NAME_BYTES);
    }

    #[test]
    fn album_titles_keep_their_nesting_safely() {
        assert_eq!(album_folder("2004/holiday"), PathBuf::from("2004/holiday"));
        assert_eq!(album_folder(" a / b "), PathBuf::from("a/b"));
        for hostile in ["../..", "/", "..//x"] {
            let folder = album_folder(hostile);
            assert!(
                folder
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
                "{hostile}"
            );
        }
    }

    #[test]
    fn extensions_and_numbered_names() {
        assert_eq!(extension("JPG"), "jpg");
        assert_eq!(extension("../x"), "x");
        assert_eq!(extension(""), "bin");
        assert_eq!(numbered("a", "jpg", 1), "a.jpg");
        assert_eq!(numbered("a", "jpg", 3), "a (3).jpg");
        assert_eq!(numbered("a", "", 2), "a (2)");
        assert_eq!(
            split_file_name("IMG_1.JPG", "p"),
            ("IMG_1".into(), "JPG".into())
        );
        assert_eq!(
            split_file_name("../x.j/pg", "p"),
            ("_x".into(), "jpg".into())
        );
        assert_eq!(
            split_file_name(".hidden", "p"),
            ("hidden".into(), String::new())
        );
    }
}
