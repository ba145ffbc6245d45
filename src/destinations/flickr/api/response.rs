//! Reading Flickr's answers: REST answers in JSON (`stat` ok or fail), and upload
//! answers, which are always small XML documents. Anything else (an HTML error page,
//! truncated JSON, XML where JSON was asked) becomes a clear error, never a panic.

use super::error::FlickrError;

/// Answers larger than this are refused: no Flickr answer comes close (a 500-photo
/// search page with every extra is about 1 MB).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadAnswer {
    PhotoId(String),
    /// `async=1`: poll flickr.photos.upload.checkTickets with it.
    TicketId(String),
}

impl UploadAnswer {
    pub fn id(&self) -> &str {
        match self {
            UploadAnswer::PhotoId(id) | UploadAnswer::TicketId(id) => id,
        }
    }
}

/// Checks a REST answer; Ok is the parsed JSON of a `stat: ok` answer.
pub fn rest(method: &str, status: u16, body: &[u8]) -> Result<serde_json::Value, FlickrError> {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    match parsed {
        Some(v) if v.get("stat").and_then(|s| s.as_str()) == Some("ok") => Ok(v),
        Some(v) if v.get("stat").and_then(|s| s.as_str()) == Some("fail") => {
            let message = v
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("(no message)");
            // A code that is not a number is kept in the message, not lost.
            let (code, message) = match v.get("code") {
                None => (0, message.to_string()),
                Some(c) => match json_int(c) {
                    Some(code) => (code, message.to_string()),
                    None => (0, format!("{message} (unreadable error code {c})")),
                },
            };
            Err(FlickrError::Api {
                method: method.into(),
                code,
                message,
                extra: None,
            })
        }
        _ if !(200..300).contains(&status) => Err(FlickrError::Http {
            method: method.into(),
            status,
            excerpt: excerpt(body),
        }),
        Some(_) => Err(FlickrError::Malformed {
            method: method.into(),
            message: format!("JSON without stat ok/fail: {}", excerpt(body)),
        }),
        None => Err(FlickrError::Malformed {
            method: method.into(),
            message: format!("not JSON: {}", excerpt(body)),
        }),
    }
}

/// Flickr sends codes as numbers, but some proxies and old endpoints as strings.
fn json_int(v: &serde_json::Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// Reads an upload or replace answer.
pub fn upload(method: &str, status: u16, body: &[u8]) -> Result<UploadAnswer, FlickrError> {
    let text = String::from_utf8_lossy(body);
    let malformed = |message: String| FlickrError::Malformed {
        method: method.into(),
        message,
    };
    if !text.contains("<rsp") {
        if !(200..300).contains(&status) {
            return Err(FlickrError::Http {
                method: method.into(),
                status,
                excerpt: excerpt(body),
            });
        }
        return Err(malformed(format!("not a Flickr answer: {}", excerpt(body))));
    }
    match attr(&text, "rsp", "stat").as_deref() {
        // An id that is no id must never pass for a stored photo: a sync would record
        // it as the photo's remote copy.
        Some("ok") => {
            if let Some(id) = element(&text, "photoid") {
                if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(malformed(format!(
                        "photoid {id:?} is not a Flickr photo id"
                    )));
                }
                Ok(UploadAnswer::PhotoId(id))
            } else if let Some(id) = element(&text, "ticketid") {
                if id.is_empty() || id.contains(|c: char| c.is_whitespace() || c == '<') {
                    return Err(malformed(format!(
                        "ticketid {id:?} is not a Flickr ticket id"
                    )));
                }
                Ok(UploadAnswer::TicketId(id))
            } else {
                Err(malformed(format!(
                    "no photoid or ticketid: {}",
                    excerpt(body)
                )))
            }
        }
        Some("fail") => Err(FlickrError::Api {
            method: method.into(),
            code: attr(&text, "err", "code")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0),
            message: attr(&text, "err", "msg").unwrap_or_else(|| "(no message)".into()),
            extra: ["duplicate_photo_id", "non_pro_desktop_upload_wait_time"]
                .iter()
                .find_map(|name| element(&text, name).or_else(|| attr(&text, "err", name))),
        }),
        _ => Err(malformed(format!("no stat: {}", excerpt(body)))),
    }
}

/// The text of the first `<name>...</name>` (attributes allowed on the open tag).
fn element(xml: &str, name: &str) -> Option<String> {
    let open = xml.find(&format!("<{name}"))?;
    let start = open + xml[open..].find('>')? + 1;
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(unescape(xml[start..end].trim()))
}

/// The value of attribute `attr` on the first `<tag ...>`.
fn attr(xml: &str, tag: &str, attr: &str) -> Option<String> {
    let open = xml.find(&format!("<{tag} "))?;
    let close = open + xml[open..].find('>')?;
    let head = &xml[open..close];
    let key = format!(" {attr}=");
    let at = head.find(&key)? + key.len();
    let quote = head[at..].chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let rest = &head[at + 1..];
    let end = rest.find(quote)?;
    Some(unescape(&rest[..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The start of an unexpected answer, for an error message.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        "(empty answer)".into()
    } else if body.len() > 200 {
        format!("{flat}…")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_ok_and_fail() {
        let ok = rest("m", 200, br#"{"user":{"id":"1"},"stat":"ok"}"#).unwrap();
        assert_eq!(ok["user"]["id"], "1");
        let err = rest(
            "m",
            200,
            br#"{"stat":"fail","code":98,"message":"Invalid auth token"}"#,
        )
        .unwrap_err();
        assert_eq!(err.code(), Some(98));
        assert!(!err.is_retryable());
        let busy = rest(
            "m",
            200,
            br#"{"stat":"fail","code":"105","message":"busy"}"#,
        )
        .unwrap_err();
        assert!(busy.is_retryable());
    }

    #[test]
    fn rest_hostile_answers_are_clear_errors() {
        let html = rest("m", 502, b"<html><body>Bad Gateway</body></html>").unwrap_err();
        assert!(
            matches!(html, FlickrError::Http { status: 502, .. }),
            "{html}"
        );
        assert!(html.is_retryable());
        let cut = rest("m", 200, br#"{"photos":{"page":1,"#).unwrap_err();
        assert!(cut.to_string().contains("not JSON"), "{cut}");
        let xml = rest("m", 200, br#"<rsp stat="ok"><user/></rsp>"#).unwrap_err();
        assert!(matches!(xml, FlickrError::Malformed { .. }));
        let wrong = rest("m", 200, br#"[1,2]"#).unwrap_err();
        assert!(wrong.to_string().contains("without stat"));
        let empty = rest("m", 200, b"").unwrap_err();
        assert!(empty.to_string().contains("not JSON"));
    }

    #[test]
    fn upload_answers() {
        let id = upload(
            "upload",
            200,
            b"<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photoid>1234</photoid>\n</rsp>",
        );
        assert_eq!(id.unwrap(), UploadAnswer::PhotoId("1234".into()));
        let ticket = upload(
            "upload",
            200,
            b"<rsp stat=\"ok\"><ticketid>77-1</ticketid></rsp>",
        );
        assert_eq!(ticket.unwrap(), UploadAnswer::TicketId("77-1".into()));
        let photo_with_attrs = upload(
            "replace",
            200,
            b"<rsp stat=\"ok\"><photoid secret=\"abc\" originalsecret=\"def\">99</photoid></rsp>",
        );
        assert_eq!(photo_with_attrs.unwrap().id(), "99");
        let fail = upload(
            "upload",
            200,
            b"<rsp stat=\"fail\"><err code=\"5\" msg=\"Filetype was not recognised &amp; refused\" /></rsp>",
        )
        .unwrap_err();
        assert_eq!(fail.code(), Some(5));
        assert!(fail.to_string().contains("recognised & refused"));
        assert!(upload("upload", 503, b"Service Unavailable")
            .unwrap_err()
            .is_retryable());
        assert!(upload("upload", 200, b"<rsp stat=\"ok\"></rsp>").is_err());
    }

    #[test]
    fn never_panics_on_prefixes_of_answers() {
        let doc = b"<rsp stat=\"fail\"><err code=\"5\" msg=\"x\" /></rsp>";
        for n in 0..doc.len() {
            let _ = upload("upload", 200, &doc[..n]);
        }
        let json = br#"{"stat":"fail","code":98,"message":"Invalid auth token"}"#;
        for n in 0..json.len() {
            let _ = rest("m", 200, &json[..n]);
        }
    }
}
