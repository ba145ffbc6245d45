//! The bucket, through the `object_store` crate (Apache Arrow's): it signs requests
//! (SigV4, session tokens), pages listings, sends the `x-amz-checksum-sha256` of every
//! PUT and part so the server refuses bytes damaged on the way, and retries 5xx and
//! SlowDown answers with backoff. Here: where the settings come from (the standard AWS
//! environment names), how a photo's relative key maps to an object, and the few calls
//! the destination, verify and restore make.

use super::{Connection, S3Error, S3Url, OWN};
use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AwsAuthorizer, AwsCredential};
use object_store::client::HttpRequestBody;
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, GetOptions, GetResult, ObjectStore, PutOptions, PutPayload,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::collections::HashMap;
use std::sync::Arc;

/// The metadata names a photo's object carries (`x-amz-meta-md5`, `x-amz-meta-imgmd5`).
pub const META_MD5: &str = "md5";
pub const META_IMGMD5: &str = "imgmd5";

/// HEAD requests at once when reading the metadata of many objects.
const HEADS: usize = 16;

/// How S3 escapes a key in a URL: every byte but the unreserved ones and `/`.
const KEY_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// One bucket and prefix, connected.
pub struct Bucket {
    store: Arc<AmazonS3>,
    pub url: S3Url,
    storage_class: Option<String>,
    /// For the one request signed here (an upload in parts started with metadata).
    credential: AwsCredential,
    region: String,
    /// The bucket's URL, without a trailing slash.
    base: String,
    http: reqwest::Client,
}

/// What a request signed here was answered.
pub struct Answer {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

/// One object of the listing, below the prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its key below the prefix: the catalog's remote id.
    pub rel: String,
    pub size: u64,
    /// The MD5 of its bytes when its ETag is one (a single-part upload).
    pub etag_md5: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Bucket {
    pub fn connect(
        url: &S3Url,
        conn: &Connection,
        storage_class: Option<String>,
    ) -> Result<Bucket, S3Error> {
        let key_id = conn
            .access_key_id
            .clone()
            .or_else(|| env("AWS_ACCESS_KEY_ID"));
        let secret = conn
            .secret_access_key
            .clone()
            .or_else(|| env("AWS_SECRET_ACCESS_KEY"));
        let (Some(key_id), Some(secret)) = (key_id, secret) else {
            return Err(S3Error::NoCredentials);
        };
        let credential = AwsCredential {
            key_id,
            secret_key: secret,
            token: conn
                .session_token
                .clone()
                .or_else(|| env("AWS_SESSION_TOKEN")),
        };
        let region = conn
            .region
            .clone()
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        let endpoint = conn
            .endpoint
            .clone()
            .or_else(|| env("PHOTOSYNC_S3_ENDPOINT"))
            .or_else(|| env("AWS_ENDPOINT_URL"));
        let base = match &endpoint {
            Some(e) => format!("{}/{}", e.trim_end_matches('/'), url.bucket),
            None => format!("https://{}.s3.{region}.amazonaws.com", url.bucket),
        };
        let store = super::store::store(url, &credential, &region, endpoint)
            .build()
            .map_err(|e| store_error(url, "settings", e))?;
        Ok(Bucket {
            store: Arc::new(store),
            url: url.clone(),
            storage_class,
            credential,
            region,
            base,
            http: reqwest::Client::new(),
        })
    }

    /// The store, for the parts of an upload.
    pub fn store(&self) -> &AmazonS3 {
        &self.store
    }

    /// Starts an upload in parts of `rel` whose object will carry the photo's MD5s and the
    /// storage class; its upload id.
    pub async fn start_multipart(
        &self,
        rel: &str,
        md5: &str,
        imgmd5: Option<&str>,
    ) -> Result<String, object_store::Error> {
        let mut headers = vec![
            ("x-amz-meta-md5", md5.to_string()),
            ("x-amz-checksum-algorithm", "SHA256".to_string()),
        ];
        headers.extend(imgmd5.map(|img| ("x-amz-meta-imgmd5", img.to_string())));
        headers.extend(
            self.storage_class
                .clone()
                .map(|c| ("x-amz-storage-class", c)),
        );
        let answer = self
            .signed(http::Method::POST, rel, "?uploads=", &headers, Vec::new())
            .await?;
        let id = answer
            .body
            .split_once("<UploadId>")
            .and_then(|(_, rest)| rest.split_once("</UploadId>"))
            .map(|(id, _)| id.to_string());
        match id {
            Some(id) if answer.status.is_success() => Ok(id),
            _ => Err(generic(format!(
                "starting an upload in parts: {}: {}",
                answer.status, answer.body
            ))),
        }
    }

    /// One request to the object `rel` signed here (SigV4, by object_store's signer), for
    /// what object_store does not send: an upload in parts started with metadata, a HEAD
    /// that reads the storage class, a thaw request.
    pub async fn signed(
        &self,
        method: http::Method,
        rel: &str,
        query: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Answer, object_store::Error> {
        let key = self.key(rel);
        let url = format!(
            "{}/{}{query}",
            self.base,
            utf8_percent_encode(key.as_ref(), KEY_SET)
        );
        let mut request = http::Request::builder().method(method).uri(&url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let mut request = request
            .body(HttpRequestBody::from(body.clone()))
            .map_err(|e| generic(e.to_string()))?;
        AwsAuthorizer::new(&self.credential, "s3", &self.region).authorize(&mut request, None);
        let (head, _) = request.into_parts();
        let answer = self
            .http
            .request(head.method, &url)
            .headers(head.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| generic(e.to_string()))?;
        let (status, headers) = (answer.status(), answer.headers().clone());
        let body = answer.text().await.map_err(|e| generic(e.to_string()))?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// The object of the relative key `rel`.
    pub fn key(&self, rel: &str) -> Key {
        match self.url.prefix.as_str() {
            "" => Key::from(rel),
            prefix => Key::from(format!("{prefix}/{rel}")),
        }
    }

    /// `key` below the prefix, as the catalog names it.
    fn rel(&self, key: &Key) -> Option<String> {
        let key = key.as_ref();
        match self.url.prefix.as_str() {
            "" => Some(key.to_string()),
            prefix => key
                .strip_prefix(prefix)
                .and_then(|k| k.strip_prefix('/'))
                .map(str::to_string),
        }
    }

    /// Every object below the prefix but photosync's own (`.photosync/`).
    pub async fn list(&self) -> Result<Vec<Listed>, S3Error> {
        let prefix = (!self.url.prefix.is_empty()).then(|| Key::from(self.url.prefix.as_str()));
        let metas: Vec<_> = self
            .store
            .list(prefix.as_ref())
            .try_collect()
            .await
            .map_err(|e| store_error(&self.url, "listing the bucket", e))?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let rel = self.rel(&m.location)?;
                let own = rel == OWN || rel.starts_with(&format!("{OWN}/"));
                (!own).then(|| Listed {
                    rel,
                    size: m.size,
                    etag_md5: m.e_tag.as_deref().and_then(etag_md5),
                })
            })
            .collect())
    }

    /// The MD5 an object's metadata names (objects uploaded in parts have no MD5 ETag).
    async fn meta_md5(&self, rel: &str) -> Result<Option<String>, object_store::Error> {
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        let got = self.store.get_opts(&self.key(rel), head).await?;
        let md5 = got.attributes.get(&Attribute::Metadata(META_MD5.into()));
        Ok(md5.map(|v| v.to_string()))
    }

    /// The `md5` metadata of each object of `rels`.
    pub async fn meta_md5s(
        &self,
        rels: Vec<String>,
    ) -> HashMap<String, Result<Option<String>, object_store::Error>> {
        self.each(rels, |rel| async move { self.meta_md5(&rel).await })
            .await
    }

    /// `f` of each key of `rels`, [`HEADS`] requests at once.
    pub async fn each<'a, T, F, Fut>(&'a self, rels: Vec<String>, f: F) -> HashMap<String, T>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = T> + 'a,
    {
        futures::stream::iter(rels)
            .map(|rel| {
                let done = f(rel.clone());
                async move { (rel, done.await) }
            })
            .buffer_unordered(HEADS)
            .collect()
            .await
    }

    /// The attributes of a photo's object: its MD5s and the storage class.
    pub fn attributes(&self, md5: &str, imgmd5: Option<&str>) -> Attributes {
        let mut attrs = Attributes::new();
        attrs.insert(Attribute::Metadata(META_MD5.into()), md5.to_string().into());
        if let Some(img) = imgmd5 {
            attrs.insert(
                Attribute::Metadata(META_IMGMD5.into()),
                img.to_string().into(),
            );
        }
        if let Some(class) = &self.storage_class {
            attrs.insert(Attribute::StorageClass, class.clone().into());
        }
        attrs
    }

    /// One PUT; the MD5 its ETag says the server stored, when it says one.
    pub async fn put(
        &self,
        rel: &str,
        bytes: PutPayload,
        attributes: Attributes,
    ) -> Result<Option<String>, object_store::Error> {
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let done = self.store.put_opts(&self.key(rel), bytes, opts).await?;
        Ok(done.e_tag.as_deref().and_then(etag_md5))
    }

    pub async fn get(&self, rel: &str) -> Result<GetResult, object_store::Error> {
        self.store.get(&self.key(rel)).await
    }

    /// Removes one object (tests use it to lose a copy behind photosync's back).
    pub async fn delete(&self, rel: &str) -> Result<(), object_store::Error> {
        self.store.delete(&self.key(rel)).await
    }

    pub fn error(&self, doing: &'static str, e: object_store::Error) -> S3Error {
        store_error(&self.url, doing, e)
    }
}

fn generic(message: String) -> object_store::Error {
    object_store::Error::Generic {
        store: "S3",
        source: message.into(),
    }
}

fn store_error(url: &S3Url, doing: &'static str, e: object_store::Error) -> S3Error {
    S3Error::Store {
        url: url.to_string(),
        doing,
        source: Box::new(e),
    }
}

/// The MD5 an ETag is, when it is one: a single-part upload's ETag is the MD5 of its
/// bytes; one of parts is `<md5 of the parts' md5s>-<parts>`.
pub fn etag_md5(etag: &str) -> Option<String> {
    let e = etag.trim_matches('"').to_ascii_lowercase();
    (e.len() == 32 && e.bytes().all(|b| b.is_ascii_hexdigit())).then_some(e)
}

#[cfg(test)]
mod tests {
    use super::etag_md5;

    #[test]
    fn only_single_part_etags_are_md5s() {
        let md5 = "5b2fa91c0d6ff8c31e1d0a4e4b43d28a";
        assert_eq!(etag_md5(&format!("\"{md5}\"")).as_deref(), Some(md5));
        assert_eq!(etag_md5(&format!("\"{md5}-3\"")), None);
        assert_eq!(etag_md5("W/\"x\""), None);
    }
}
