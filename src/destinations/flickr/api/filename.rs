//! The file name a multipart upload carries, escaped as browsers escape it. The part
//! header is one line of text inside quotes: a raw line break ends the header early and
//! a raw quote ends the name, and Flickr (like any multipart server) then cannot read
//! the body at all. The WHATWG HTML standard's form-data encoding writes `"` as `%22`,
//! CR as `%0D` and LF as `%0A` (https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart-form-data),
//! and servers keep those as written. The name is only informational for Flickr: the
//! title comes from its own field.

use std::path::Path;

/// The name to send for `path`: UTF-8 (bytes that are not are replaced, as browsers
/// do with names they cannot encode), with `"`, CR and LF percent-encoded.
pub fn multipart_file_name(path: &Path) -> String {
    let raw = match path.file_name() {
        Some(name) => name.as_encoded_bytes(),
        None => return "photo".to_string(),
    };
    let mut out = String::with_capacity(raw.len());
    for c in String::from_utf8_lossy(raw).chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_line_breaks_are_percent_encoded() {
        let name = multipart_file_name(Path::new("/x/say \"hi\"\r\nthere.jpg"));
        assert_eq!(name, "say %22hi%22%0D%0Athere.jpg");
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_are_replaced() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9.jpg"));
        assert_eq!(multipart_file_name(path), "caf\u{fffd}.jpg");
    }

    #[test]
    fn plain_names_are_unchanged() {
        assert_eq!(
            multipart_file_name(Path::new("a/IMG_0001.JPG")),
            "IMG_0001.JPG"
        );
    }
}
