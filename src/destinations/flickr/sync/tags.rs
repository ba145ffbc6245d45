//! The checksum machine tags that identify a file on Flickr (`checksum:md5=<hex>`, as
//! the old script wrote it, and `checksum:imgmd5=<hex>`, the image-data MD5 that a
//! metadata edit leaves unchanged), and the other upload fields built from a photo.

use super::options::SyncOptions;
use crate::library::photo::Photo;

/// `checksum:md5=<lowercase hex>`.
pub fn checksum_tag(md5: &str) -> String {
    format!("checksum:md5={}", md5.to_ascii_lowercase())
}

/// `checksum:imgmd5=<lowercase hex>`.
pub fn imgmd5_tag(imgmd5: &str) -> String {
    format!("checksum:imgmd5={}", imgmd5.to_ascii_lowercase())
}

/// The machine tag a damaged original ([`crate::library::damage`]) carries on Flickr, so
/// that the copy itself says so to whoever looks at it there.
pub const DAMAGED_TAG: &str = "photosync:damaged=true";

/// The MD5s in a `machine_tags` extra (space-separated raw machine tags). Namespace
/// and predicate are matched without regard to case, as Flickr does.
pub fn checksums_in(machine_tags: &str) -> Vec<String> {
    hashes_in(machine_tags, "checksum:md5")
}

/// The image-data MD5s (`checksum:imgmd5=`) in a `machine_tags` extra.
pub fn imgmd5s_in(machine_tags: &str) -> Vec<String> {
    hashes_in(machine_tags, "checksum:imgmd5")
}

fn hashes_in(machine_tags: &str, wanted: &str) -> Vec<String> {
    machine_tags
        .split_whitespace()
        .filter_map(|tag| {
            let (key, value) = tag.split_once('=')?;
            if !key.eq_ignore_ascii_case(wanted) {
                return None;
            }
            let value = value.trim_matches('"').to_ascii_lowercase();
            (value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())).then_some(value)
        })
        .collect()
}

/// Flickr's `tags` field: space-separated, a tag with spaces in double quotes.
pub fn tags_field(md5: &str, imgmd5: Option<&str>, extra: &[String]) -> String {
    let mut field = checksum_tag(md5);
    if let Some(img) = imgmd5 {
        field.push(' ');
        field.push_str(&imgmd5_tag(img));
    }
    for tag in extra {
        let tag = tag.replace('"', "");
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        field.push(' ');
        if tag.contains(char::is_whitespace) {
            field.push('"');
            field.push_str(tag);
            field.push('"');
        } else {
            field.push_str(tag);
        }
    }
    field
}

/// Upload parameters: title (from the template; none when it renders empty), tags
/// with the checksum, privacy, and `async=1` when uploads are asynchronous.
pub fn upload_params(photo: &Photo, md5: &str, opts: &SyncOptions) -> Vec<(String, String)> {
    let mut tags = tags_field(md5, photo.imgmd5.as_deref(), &opts.extra_tags);
    if photo.damaged.is_some() {
        tags.push(' ');
        tags.push_str(DAMAGED_TAG);
    }
    let mut params = vec![("tags".to_string(), tags)];
    let title = opts.title.render(photo);
    if !title.is_empty() {
        params.push(("title".to_string(), title));
    }
    if opts.async_uploads {
        params.push(("async".to_string(), "1".to_string()));
    }
    for (k, v) in opts.privacy.upload_params() {
        params.push((k.to_string(), v.to_string()));
    }
    params
}

/// The taken date to set after upload (`YYYY-MM-DD HH:MM:SS`), when Flickr would not read
/// it from the file's EXIF: it came from XMP, a video's header, the file name, the mtime,
/// or a date rule that corrects what the EXIF says.
pub fn date_to_set(photo: &Photo) -> Option<String> {
    (!photo.taken.source.is_exif()).then(|| crate::dates::flickr_format(&photo.taken.local))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_checksums_among_machine_tags() {
        let md5 = "5b2fa91c0123456789abcdef01234567";
        let tags = format!(
            "geo:lat=1.5 checksum:md5={} Checksum:MD5=\"{}\" other:md5=x",
            md5,
            md5.to_uppercase()
        );
        assert_eq!(checksums_in(&tags), vec![md5.to_string(), md5.to_string()]);
        assert!(checksums_in("checksum:md5=nothex").is_empty());
        let img = "0123456789abcdef0123456789abcdef";
        let both = format!("checksum:md5={md5} checksum:imgmd5={img}");
        assert_eq!(checksums_in(&both), vec![md5.to_string()]);
        assert_eq!(imgmd5s_in(&both), vec![img.to_string()]);
    }

    #[test]
    fn quotes_extra_tags_with_spaces() {
        let md5 = "5b2fa91c0123456789abcdef01234567";
        assert_eq!(
            tags_field(
                md5,
                None,
                &["family trip".into(), "2019".into(), " ".into()]
            ),
            format!("checksum:md5={md5} \"family trip\" 2019")
        );
        assert_eq!(
            tags_field(md5, Some("ABC"), &[]),
            format!("checksum:md5={md5} checksum:imgmd5=abc")
        );
    }
}
