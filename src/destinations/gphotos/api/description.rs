//! The description every upload carries: the user's own text first, then
//! `checksum:md5=<hex>`, 1,000 characters in all, so the record of what photosync uploaded
//! can be rebuilt from the app's listing if the catalog is lost.

pub const DESCRIPTION_LIMIT: usize = 1000;
const PREFIX: &str = "checksum:md5=";

pub fn description_for(user_text: Option<&str>, md5: &str) -> String {
    let tag = format!("{PREFIX}{md5}");
    let text = user_text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return tag;
    }
    // The tag and a newline always fit; the user's text is cut to what is left.
    let room = DESCRIPTION_LIMIT.saturating_sub(tag.chars().count() + 1);
    let cut: String = text.chars().take(room).collect();
    format!("{}\n{tag}", cut.trim_end())
}

/// The MD5 a description ends with, if it has photosync's tag.
pub fn checksum_of(description: &str) -> Option<String> {
    let (_, hex) = description.trim_end().rsplit_once(PREFIX)?;
    let ok = hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| hex.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD5: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn the_tag_ends_the_description_and_the_whole_fits_google_s_limit() {
        assert_eq!(description_for(None, MD5), format!("checksum:md5={MD5}"));
        let d = description_for(Some("Rome, 2019"), MD5);
        assert_eq!(d, format!("Rome, 2019\nchecksum:md5={MD5}"));
        let long = "é".repeat(2000);
        let d = description_for(Some(&long), MD5);
        assert_eq!(d.chars().count(), DESCRIPTION_LIMIT);
        assert_eq!(checksum_of(&d).as_deref(), Some(MD5));
        assert_eq!(checksum_of("a holiday"), None);
        assert_eq!(checksum_of("checksum:md5=xyz"), None);
    }
}
