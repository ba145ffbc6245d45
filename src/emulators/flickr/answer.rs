//! Flickr's answer envelope. Every method builds one JSON value in the shape of Flickr's JSON
//! format; this module renders it either as that JSON (`stat` added, optional JSONP wrapper) or
//! as Flickr's XML (`<rsp stat="ok">`), where scalars become attributes, `_content` becomes the
//! element's text and arrays become repeated elements — the same mapping Flickr uses.

use serde_json::{Map, Value};

pub use crate::markup::escape;

/// The response format a caller asked for with `format=` (XML when absent, `rest` means XML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Xml,
    /// `callback` is the JSONP function name; `None` with `nojsoncallback=1`.
    Json {
        callback: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("Format \"{0}\" not found")]
    Unknown(String),
}

impl Format {
    /// Reads `format`, `nojsoncallback` and `jsoncallback` from a call's parameters.
    pub fn from_params(params: &[(String, String)]) -> Result<Format, FormatError> {
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        match get("format").unwrap_or("rest") {
            "rest" | "xml" | "" => Ok(Format::Xml),
            "json" => {
                let callback = if get("nojsoncallback") == Some("1") {
                    None
                } else {
                    Some(get("jsoncallback").unwrap_or("jsonFlickrApi").to_string())
                };
                Ok(Format::Json { callback })
            }
            other => Err(FormatError::Unknown(other.to_string())),
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json { callback: None } => "application/json",
            Format::Json { callback: Some(_) } => "text/javascript; charset=utf-8",
        }
    }
}

/// A successful answer: `body` is an object such as `{"photos": {...}}` (may be empty).
pub fn ok(format: &Format, body: Value) -> String {
    match format {
        Format::Xml => {
            let mut out =
                String::from("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n");
            if let Value::Object(map) = &body {
                for (name, value) in map {
                    element(name, value, &mut out);
                }
            }
            out.push_str("</rsp>\n");
            out
        }
        Format::Json { callback } => {
            let mut map = match body {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            map.insert("stat".into(), Value::from("ok"));
            wrap(callback, Value::Object(map))
        }
    }
}

/// A failure answer with Flickr's error `code` and `message`.
pub fn fail(format: &Format, code: u32, message: &str) -> String {
    match format {
        Format::Xml => format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"fail\">\n\t<err code=\"{code}\" msg=\"{}\" />\n</rsp>\n",
            escape(message)
        ),
        Format::Json { callback } => wrap(
            callback,
            serde_json::json!({"stat": "fail", "code": code, "message": message}),
        ),
    }
}

/// An upload API failure (always XML) that carries one more value beside the error, as
/// Flickr's upload documentation says codes 9 (`duplicate_photo_id`) and 14
/// (`non_pro_desktop_upload_wait_time`) do.
pub fn fail_with(code: u32, message: &str, name: &str, value: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"fail\">\n\t<err code=\"{code}\" msg=\"{}\" />\n\t<{name}>{}</{name}>\n</rsp>\n",
        escape(message),
        escape(value)
    );
    (
        [(axum::http::header::CONTENT_TYPE, Format::Xml.content_type())],
        body,
    )
        .into_response()
}

fn wrap(callback: &Option<String>, value: Value) -> String {
    match callback {
        None => value.to_string(),
        Some(name) => format!("{name}({value})"),
    }
}

fn element(name: &str, value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            for item in items {
                element(name, item, out);
            }
        }
        Value::Object(map) => {
            out.push('<');
            out.push_str(name);
            let mut text = None;
            let mut children = Vec::new();
            for (key, v) in map {
                match v {
                    _ if key == "_content" => text = Some(scalar(v)),
                    Value::Object(_) | Value::Array(_) => children.push((key, v)),
                    _ => {
                        out.push_str(&format!(" {key}=\"{}\"", escape(&scalar(v))));
                    }
                }
            }
            if text.is_none() && children.is_empty() {
                out.push_str(" />\n");
                return;
            }
            out.push('>');
            if let Some(text) = text {
                out.push_str(&escape(&text));
            }
            if !children.is_empty() {
                out.push('\n');
                for (key, v) in children {
                    element(key, v, out);
                }
            }
            out.push_str(&format!("</{name}>\n"));
        }
        other => out.push_str(&format!("<{name}>{}</{name}>\n", escape(&scalar(other)))),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xml_maps_scalars_to_attributes_and_content_to_text() {
        let body = json!({"photo": {"id": "1", "title": {"_content": "a<b"}, "tags": {"tag": [{"raw": "x", "_content": "x"}]}}});
        let xml = ok(&Format::Xml, body);
        assert!(xml.contains("<photo id=\"1\">"), "{xml}");
        assert!(xml.contains("<title>a&lt;b</title>"), "{xml}");
        assert!(xml.contains("<tag raw=\"x\">x</tag>"), "{xml}");
    }

    #[test]
    fn json_failure_has_flickr_shape() {
        let format = Format::Json { callback: None };
        let text = fail(&format, 112, "Method \"x\" not found");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["stat"], "fail");
        assert_eq!(value["code"], 112);
    }

    #[test]
    fn json_without_nojsoncallback_is_wrapped() {
        let params = vec![("format".to_string(), "json".to_string())];
        let format = Format::from_params(&params).unwrap();
        assert!(ok(&format, json!({})).starts_with("jsonFlickrApi({"));
    }
}
