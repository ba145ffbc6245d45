//! Media items and albums: `mediaItems:batchCreate` (at most 50 tokens a call, one call at a
//! time, each item's own status read), the app's listing (its page-repeat quirk removed), and
//! albums the app creates and fills.

use super::client::Client;
use super::error::GphotosError;
use crate::cancel::Cancel;
use serde_json::{json, Value};
use std::collections::HashSet;

/// Items per batchCreate and per batchAddMediaItems.
pub const BATCH_LIMIT: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub upload_token: String,
    pub file_name: String,
    pub description: String,
}

/// One item's outcome in a batchCreate answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemStatus {
    Created {
        id: String,
    },
    /// Code 6: the library has it already (the id when Google names it).
    Exists {
        id: Option<String>,
    },
    Failed {
        code: i64,
        message: String,
    },
}

/// An item of the app's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedItem {
    pub id: String,
    pub filename: String,
    pub description: String,
    /// Where its bytes are served (for an hour); `=d` asks for the download.
    pub base_url: String,
    /// `mediaMetadata.creationTime`, RFC 3339 (`2019-07-14T10:00:00Z`).
    pub creation_time: String,
}

fn malformed(what: &'static str, message: impl Into<String>) -> GphotosError {
    GphotosError::Malformed {
        what,
        message: message.into(),
    }
}

/// The string at `pointer` in `v`, or empty.
fn text(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn json_post(http: &reqwest::Client, url: &str, body: &Value) -> reqwest::RequestBuilder {
    http.post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
}

async fn json_of(what: &'static str, r: reqwest::Response) -> Result<Value, GphotosError> {
    let text = r.text().await.map_err(|e| GphotosError::Transport {
        what,
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| malformed(what, e.to_string()))
}

fn status_of(result: &Value) -> ItemStatus {
    let code = result
        .pointer("/status/code")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let message = result
        .pointer("/status/message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let id = result
        .pointer("/mediaItem/id")
        .and_then(Value::as_str)
        .map(str::to_string);
    match (code, id) {
        (0, Some(id)) => ItemStatus::Created { id },
        (6, id) => ItemStatus::Exists { id },
        (_, _) if message.starts_with("EXISTS") => ItemStatus::Exists { id: None },
        (0, None) => ItemStatus::Failed {
            code: 0,
            message: "no media item in a successful result".into(),
        },
        (code, _) => ItemStatus::Failed { code, message },
    }
}

impl Client {
    /// One batchCreate call (not retried: the caller decides, since its outcome may be
    /// unknown). Returns each item's status in the order given.
    pub async fn batch_create(
        &self,
        items: &[NewItem],
        album: Option<&str>,
    ) -> Result<Vec<ItemStatus>, GphotosError> {
        const WHAT: &str = "mediaItems:batchCreate";
        if items.is_empty() || items.len() > BATCH_LIMIT {
            return Err(malformed(
                WHAT,
                format!("{} items (1 to {BATCH_LIMIT} allowed)", items.len()),
            ));
        }
        let mut body = json!({
            "newMediaItems": items.iter().map(|i| json!({
                "description": i.description,
                "simpleMediaItem": {"uploadToken": i.upload_token, "fileName": i.file_name},
            })).collect::<Vec<_>>(),
        });
        if let Some(album) = album {
            body["albumId"] = json!(album);
        }
        let url = format!("{}/v1/mediaItems:batchCreate", self.config.endpoints.api);
        let _one_at_a_time = self.writing.lock().await;
        let r = self
            .api(WHAT, &|http, _| json_post(http, &url, &body))
            .await?;
        let value = json_of(WHAT, r).await?;
        let results = value
            .get("newMediaItemResults")
            .and_then(Value::as_array)
            .ok_or_else(|| malformed(WHAT, "no newMediaItemResults"))?;
        if results.len() != items.len() {
            return Err(malformed(
                WHAT,
                format!("{} results for {} items", results.len(), items.len()),
            ));
        }
        // Matched by token where Google names it, else by position.
        Ok(items
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let by_token = results.iter().find(|r| {
                    r.get("uploadToken").and_then(Value::as_str) == Some(&item.upload_token)
                });
                status_of(by_token.unwrap_or(&results[n]))
            })
            .collect())
    }

    /// One page of the app's items: the items and the next page's token.
    pub async fn list_page(
        &self,
        page_token: Option<&str>,
    ) -> Result<(Vec<ListedItem>, Option<String>), GphotosError> {
        const WHAT: &str = "listing media items";
        let url = format!("{}/v1/mediaItems", self.config.endpoints.api);
        let mut query = vec![("pageSize", "100".to_string())];
        if let Some(t) = page_token {
            query.push(("pageToken", t.to_string()));
        }
        let r = self
            .api(WHAT, &|http, _| http.get(&url).query(&query))
            .await?;
        let value = json_of(WHAT, r).await?;
        let items = value
            .get("mediaItems")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|i| {
                        Some(ListedItem {
                            id: i.get("id")?.as_str()?.to_string(),
                            filename: i
                                .get("filename")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                            description: text(i, "/description"),
                            base_url: text(i, "/baseUrl"),
                            creation_time: text(i, "/mediaMetadata/creationTime"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let next = value
            .get("nextPageToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        Ok((items, next))
    }

    /// Every item the app created, each once (a page may repeat the previous page's last).
    pub async fn list_all(
        &self,
        cancel: &Cancel,
        on_retry: &(dyn Fn(u32, &GphotosError) + Send + Sync),
    ) -> Result<Vec<ListedItem>, GphotosError> {
        let mut seen = HashSet::new();
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let t = token.clone();
            let (items, next) = self
                .retrying(cancel, on_retry, || self.list_page(t.as_deref()))
                .await?;
            for item in items {
                if seen.insert(item.id.clone()) {
                    all.push(item);
                }
            }
            match next {
                Some(n) => token = Some(n),
                None => return Ok(all),
            }
        }
    }

    /// Streams an item's download (`baseUrl=d`: Google's recompressed copy, not the
    /// original) into `sink`; returns its length. Not retried here.
    pub async fn download(
        &self,
        base_url: &str,
        sink: &mut (dyn FnMut(&[u8]) -> std::io::Result<()> + Send),
    ) -> Result<u64, GphotosError> {
        const WHAT: &str = "downloading a media item";
        let url = format!("{base_url}=d");
        let mut response = self.api(WHAT, &|http, _| http.get(&url)).await?;
        let mut bytes = 0u64;
        loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| GphotosError::Transport {
                    what: WHAT,
                    message: e.to_string(),
                })?;
            let Some(chunk) = chunk else { return Ok(bytes) };
            sink(&chunk).map_err(|e| GphotosError::Transport {
                what: WHAT,
                message: format!("writing it: {e}"),
            })?;
            bytes += chunk.len() as u64;
        }
    }

    /// Creates an album (owned by the app) and returns its id.
    pub async fn create_album(&self, title: &str) -> Result<String, GphotosError> {
        const WHAT: &str = "creating an album";
        let url = format!("{}/v1/albums", self.config.endpoints.api);
        let body = json!({"album": {"title": title}});
        let r = self
            .api(WHAT, &|http, _| json_post(http, &url, &body))
            .await?;
        let value = json_of(WHAT, r).await?;
        value
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| malformed(WHAT, "no album id"))
    }

    /// Adds app-created items (at most 50) to an app-created album; all or nothing.
    pub async fn add_to_album(&self, album: &str, ids: &[String]) -> Result<(), GphotosError> {
        const WHAT: &str = "albums:batchAddMediaItems";
        if ids.is_empty() || ids.len() > BATCH_LIMIT {
            return Err(malformed(WHAT, format!("{} ids", ids.len())));
        }
        let url = format!(
            "{}/v1/albums/{album}:batchAddMediaItems",
            self.config.endpoints.api
        );
        let body = json!({ "mediaItemIds": ids });
        self.api(WHAT, &|http, _| json_post(http, &url, &body))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_statuses_are_read_one_by_one() {
        let ok = json!({"status": {"message": "Success"}, "mediaItem": {"id": "A"}});
        assert_eq!(status_of(&ok), ItemStatus::Created { id: "A".into() });
        let exists = json!({"status": {"code": 6, "message": "EXISTS: already"}});
        assert_eq!(status_of(&exists), ItemStatus::Exists { id: None });
        let failed = json!({"status": {"code": 13, "message": "Failed"}});
        assert!(matches!(
            status_of(&failed),
            ItemStatus::Failed { code: 13, .. }
        ));
    }
}
