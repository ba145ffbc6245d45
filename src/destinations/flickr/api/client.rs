//! The Flickr client. REST calls are POSTed form-encoded with their OAuth 1.0a
//! parameters in the body, as flickraw does; uploads are multipart with every field but
//! `photo` in the signature, and the file streamed from disk, so memory stays flat.

use super::endpoints::Endpoints;
use super::error::FlickrError;
use super::response::{self, UploadAnswer, MAX_ANSWER_BYTES};
use super::sign::{self, Signing};
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// No answer byte for this long means the connection is dead, however big the upload.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// A whole REST or OAuth call; uploads have none, as a 1 GB video may take long.
const CALL_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub api_key: String,
    pub shared_secret: String,
    pub access_token: Option<String>,
    pub access_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    // Secrets never reach logs in full.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &mask(&self.api_key))
            .field("shared_secret", &"…")
            .field("access_token", &self.access_token.as_deref().map(mask))
            .field("access_secret", &self.access_secret.as_ref().map(|_| "…"))
            .finish()
    }
}

/// The first four characters and an ellipsis.
pub fn mask(s: &str) -> String {
    let head: String = s.chars().take(4).collect();
    format!("{head}…")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perms {
    Read,
    Write,
    Delete,
}

impl Perms {
    pub fn as_str(self) -> &'static str {
        match self {
            Perms::Read => "read",
            Perms::Write => "write",
            Perms::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read" => Some(Perms::Read),
            "write" => Some(Perms::Write),
            "delete" => Some(Perms::Delete),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    pub secret: String,
    pub user_nsid: String,
    pub username: String,
    pub fullname: String,
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoints: Arc<Endpoints>,
    creds: Arc<RwLock<Credentials>>,
}

impl Client {
    pub fn new(creds: Credentials, endpoints: Endpoints) -> Result<Self, FlickrError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .user_agent(concat!("photosync/", env!("CARGO_PKG_VERSION")))
            // Flickr's API never redirects; following one would re-send a signed body
            // to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| transport("client", &e))?;
        Ok(Client {
            http,
            endpoints: Arc::new(endpoints),
            creds: Arc::new(RwLock::new(creds)),
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    pub fn credentials(&self) -> Credentials {
        match self.creds.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_token(&self, token: String, secret: String) {
        let mut c = match self.creds.write() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        c.access_token = Some(token);
        c.access_secret = Some(secret);
    }

    /// The signed form body for `params`; `token` None signs with the stored access
    /// token when there is one, `Some(None)` with no token at all.
    fn signed_form(
        &self,
        url: &str,
        params: &[(String, String)],
        token: Option<Option<(&str, &str)>>,
        callback: Option<&str>,
        verifier: Option<&str>,
    ) -> String {
        let c = self.credentials();
        let stored = c.access_token.as_deref().zip(c.access_secret.as_deref());
        let signing = Signing {
            http_method: "POST",
            url,
            token: token.unwrap_or(stored),
            callback,
            verifier,
            nonce_timestamp: None,
        };
        sign::form((&c.api_key, &c.shared_secret), &signing, params)
    }

    /// Calls a REST method by name; `params` are the method's arguments.
    pub async fn call(
        &self,
        method: &str,
        params: &[(String, String)],
    ) -> Result<serde_json::Value, FlickrError> {
        let mut all: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "method" | "format" | "nojsoncallback"))
            .cloned()
            .collect();
        all.push(("method".into(), method.into()));
        all.push(("format".into(), "json".into()));
        all.push(("nojsoncallback".into(), "1".into()));
        if !all.iter().any(|(k, _)| k == "api_key") {
            all.push(("api_key".into(), self.credentials().api_key));
        }
        let url = self.endpoints.rest.clone();
        let body = self.signed_form(&url, &all, None, None, None);
        let (status, bytes) = self.post_form(method, &url, body).await?;
        response::rest(method, status, &bytes)
    }

    /// Uploads (or, with `replace`, replaces) a photo; `params` are Flickr's upload
    /// arguments (title, tags, is_public, ..., photo_id for a replace).
    pub async fn upload(
        &self,
        path: &Path,
        params: &[(String, String)],
        replace: bool,
    ) -> Result<UploadAnswer, FlickrError> {
        let what = if replace { "replace" } else { "upload" };
        let url = if replace {
            self.endpoints.replace.clone()
        } else {
            self.endpoints.upload.clone()
        };
        let file_err = |e: std::io::Error| FlickrError::File {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let file = tokio::fs::File::open(path).await.map_err(file_err)?;
        let len = file.metadata().await.map_err(file_err)?.len();
        let signed = self.signed_form(&url, params, None, None, None);
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in url::form_urlencoded::parse(signed.as_bytes()) {
            form = form.text(k.into_owned(), v.into_owned());
        }
        let name = super::filename::multipart_file_name(path);
        let stream = tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024);
        let part =
            reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), len)
                .file_name(name)
                .mime_str("application/octet-stream")
                .map_err(|e| transport(what, &e))?;
        form = form.part("photo", part);
        let resp = self
            .http
            .post(&url)
            .multipart(form)
            .send()
            .await
            .map_err(|e| transport(what, &e))?;
        let (status, bytes) = read_limited(what, resp).await?;
        response::upload(what, status, &bytes)
    }

    /// Step 1 of the OAuth flow: a request token; `callback` is a URL or "oob".
    pub async fn request_token(&self, callback: &str) -> Result<(String, String), FlickrError> {
        let url = self.endpoints.request_token.clone();
        let body = self.signed_form(&url, &[], Some(None), Some(callback), None);
        let (status, bytes) = self.post_form("request_token", &url, body).await?;
        let pairs = oauth_answer("request_token", status, &bytes)?;
        Ok((
            field("request_token", &pairs, "oauth_token")?,
            field("request_token", &pairs, "oauth_token_secret")?,
        ))
    }

    /// Step 2: where the user approves the request token.
    pub fn authorize_url(&self, token: &str, perms: Perms) -> String {
        let mut url = self.endpoints.authorize.clone();
        url.push('?');
        url.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .append_pair("oauth_token", token)
                .append_pair("perms", perms.as_str())
                .finish(),
        );
        url
    }

    /// Step 3: trades the approved request token for an access token, which this
    /// client then uses.
    pub async fn access_token(
        &self,
        token: &str,
        secret: &str,
        verifier: &str,
    ) -> Result<AccessToken, FlickrError> {
        let url = self.endpoints.access_token.clone();
        let body = self.signed_form(&url, &[], Some(Some((token, secret))), None, Some(verifier));
        let (status, bytes) = self.post_form("access_token", &url, body).await?;
        let pairs = oauth_answer("access_token", status, &bytes)?;
        let get = |k: &str| field("access_token", &pairs, k);
        let access = AccessToken {
            token: get("oauth_token")?,
            secret: get("oauth_token_secret")?,
            user_nsid: get("user_nsid").unwrap_or_default(),
            username: get("username").unwrap_or_default(),
            fullname: get("fullname").unwrap_or_default(),
        };
        self.set_token(access.token.clone(), access.secret.clone());
        Ok(access)
    }

    async fn post_form(
        &self,
        what: &str,
        url: &str,
        body: String,
    ) -> Result<(u16, Vec<u8>), FlickrError> {
        let resp = self
            .http
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(CALL_TIMEOUT)
            .body(body)
            .send()
            .await
            .map_err(|e| transport(what, &e))?;
        read_limited(what, resp).await
    }
}

impl Client {
    /// Downloads `url` (an original's `source` or `url_o`), handing the body to `sink`
    /// chunk by chunk, so a 2 GB video never sits in memory. Returns the bytes read.
    /// The request is not signed: Flickr serves originals at plain URLs.
    pub async fn download(
        &self,
        url: &str,
        sink: &mut (dyn FnMut(&[u8]) -> std::io::Result<()> + Send),
    ) -> Result<u64, FlickrError> {
        let what = "download";
        let mut resp = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| transport(what, &e))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            let (_, body) = read_limited(what, resp).await?;
            return Err(FlickrError::Http {
                method: what.into(),
                status,
                excerpt: String::from_utf8_lossy(&body).chars().take(200).collect(),
            });
        }
        let mut total = 0u64;
        while let Some(chunk) = resp.chunk().await.map_err(|e| transport(what, &e))? {
            sink(&chunk).map_err(|e| FlickrError::File {
                path: url.to_string(),
                message: e.to_string(),
            })?;
            total += chunk.len() as u64;
        }
        Ok(total)
    }
}

async fn read_limited(
    what: &str,
    mut resp: reqwest::Response,
) -> Result<(u16, Vec<u8>), FlickrError> {
    let status = resp.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport(what, &e))? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(FlickrError::Malformed {
                method: what.into(),
                message: format!("answer larger than {MAX_ANSWER_BYTES} bytes"),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

/// OAuth endpoints answer form-encoded pairs, or an error text.
fn oauth_answer(
    what: &str,
    status: u16,
    body: &[u8],
) -> Result<Vec<(String, String)>, FlickrError> {
    if !(200..300).contains(&status) {
        let text = String::from_utf8_lossy(body);
        let problem = url::form_urlencoded::parse(body)
            .find(|(k, _)| k == "oauth_problem")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| text.chars().take(200).collect());
        return Err(FlickrError::Api {
            method: what.into(),
            code: i64::from(status),
            message: problem,
            extra: None,
        });
    }
    Ok(url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

fn field(what: &str, pairs: &[(String, String)], key: &str) -> Result<String, FlickrError> {
    pairs
        .iter()
        .find(|(k, v)| k == key && !v.is_empty())
        .map(|(_, v)| v.clone())
        .ok_or_else(|| FlickrError::Malformed {
            method: what.into(),
            message: format!("no {key} in the answer"),
        })
}

fn transport(what: &str, e: &dyn std::error::Error) -> FlickrError {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    FlickrError::Transport {
        method: what.into(),
        message,
    }
}

#[cfg(test)]
mod tests;
