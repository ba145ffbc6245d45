//! `/services/rest/`: collects a call's parameters (query, urlencoded body, OAuth header),
//! picks the answer format, counts the call, passes the gate, checks the signature and the
//! method's permission, and dispatches by method name to the `api_*` modules.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::Response;
use axum::Extension;
use serde_json::Value;

use super::answer::Format;
use super::server::{self, flickr_answer, lock, ConnectionKill, Gate, Shared};
use super::store::Photo;
use super::tokens::{Caller, SignedRequest};
use super::{api_misc, api_photos, api_sets, clock, methods, oauth, search};

/// A Flickr failure: its code and message, answered with HTTP 200 and `stat=fail`.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("Flickr error {code}: {message}")]
pub struct ApiError {
    pub code: u32,
    pub message: String,
    /// A value the upload API adds beside the error (`duplicate_photo_id`,
    /// `non_pro_desktop_upload_wait_time`), as an element of its own.
    pub extra: Option<(&'static str, String)>,
}

impl ApiError {
    pub fn new(code: u32, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            extra: None,
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> ApiError {
        self.extra = Some((name, value.to_string()));
        self
    }

    pub fn photo_not_found(id: &str) -> ApiError {
        ApiError::new(1, format!("Photo \"{id}\" not found (invalid ID)"))
    }
}

/// One verified call, as the method implementations see it.
pub struct Call<'a> {
    pub shared: &'a Shared,
    pub params: &'a [(String, String)],
    pub caller: &'a Caller,
}

impl<'a> Call<'a> {
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that must be there and not empty; `error` is the method's own failure.
    pub fn require(
        &self,
        name: &str,
        error: impl FnOnce() -> ApiError,
    ) -> Result<&'a str, ApiError> {
        match self.get(name) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(error()),
        }
    }

    /// Whether the caller may see `photo`: the owner sees all, others only public photos.
    pub fn sees(&self, photo: &Photo) -> bool {
        matches!(self.caller, Caller::User { .. }) || photo.is_public
    }

    /// Parses the `photo_id` parameter (Flickr error 1 when missing, malformed or invisible).
    pub fn photo_id(&self) -> Result<u64, ApiError> {
        let raw = self.get("photo_id").unwrap_or("");
        raw.trim()
            .parse()
            .map_err(|_| ApiError::photo_not_found(raw))
    }
}

/// Collects a request's parameters: query string, then an urlencoded body.
pub fn params_of(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form || (!body.is_empty() && !headers.contains_key(header::CONTENT_TYPE)) {
        params.extend(form_urlencoded::parse(body).into_owned());
    }
    params
}

/// The OAuth parameters of an `Authorization: OAuth ...` header, if there is one.
pub fn header_params(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| oauth::parse_authorization(h).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "realm")
        .collect()
}

pub async fn handle(
    State(shared): State<Arc<Shared>>,
    Extension(kill): Extension<ConnectionKill>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut params = params_of(&uri, &headers, &body);
    params.extend(header_params(&headers));
    let format = match Format::from_params(&params) {
        Ok(format) => format,
        Err(e) => return flickr_answer(&Format::Xml, Err((111, e.to_string()))),
    };
    let name = params
        .iter()
        .find(|(k, _)| k == "method")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    shared.count(&name);
    let drop_after = match server::gate(&shared, &format).await {
        Gate::Proceed { drop_after } => drop_after,
        Gate::Answer(response) => return response,
        Gate::Drop => return kill.drop_connection().await,
    };
    let uri_text = server::request_uri(&headers, uri.path(), &shared.endpoint);
    let request = SignedRequest {
        method: method.as_str(),
        uri: &uri_text,
        params: &params,
    };
    let verified = lock(&shared.tokens).verify(&request, clock::now());
    let result = match verified {
        Err(e) => Err(ApiError::new(e.code(), e.to_string())),
        Ok(caller) => dispatch(
            &Call {
                shared: &shared,
                params: &params,
                caller: &caller,
            },
            &name,
        ),
    };
    let response = flickr_answer(&format, result.map_err(|e| (e.code, e.message)));
    if drop_after {
        return kill.drop_connection().await;
    }
    response
}

/// Runs one method after checking it exists and the caller has its permission.
pub fn dispatch(call: &Call, method: &str) -> Result<Value, ApiError> {
    let needed = methods::required_perms(method)
        .ok_or_else(|| ApiError::new(112, format!("Method \"{method}\" not found")))?;
    if call.caller.perms() < needed {
        return Err(ApiError::new(
            99,
            match call.caller {
                Caller::App => "User not logged in / Insufficient permissions".to_string(),
                Caller::User { .. } => format!(
                    "Insufficient permissions. Method requires {} privileges.",
                    needed.as_str()
                ),
            },
        ));
    }
    match method {
        "flickr.test.echo" => api_misc::echo(call),
        "flickr.test.login" => api_misc::login(call),
        "flickr.test.null" => Ok(serde_json::json!({})),
        "flickr.reflection.getMethods" => api_misc::get_methods(),
        "flickr.reflection.getMethodInfo" => api_misc::get_method_info(call),
        "flickr.auth.oauth.checkToken" => api_misc::check_token(call),
        "flickr.people.getUploadStatus" => api_misc::upload_status(call),
        "flickr.people.getInfo" => api_misc::person_info(call),
        "flickr.photos.search" => search::photos_search(call),
        "flickr.people.getPhotos" => search::people_get_photos(call),
        "flickr.photos.getInfo" => api_photos::get_info(call),
        "flickr.photos.getSizes" => api_photos::get_sizes(call),
        "flickr.photos.getPerms" => api_photos::get_perms(call),
        "flickr.photos.delete" => api_photos::delete(call),
        "flickr.photos.addTags" => api_photos::add_tags(call),
        "flickr.photos.setTags" => api_photos::set_tags(call),
        "flickr.photos.removeTag" => api_photos::remove_tag(call),
        "flickr.photos.setDates" => api_photos::set_dates(call),
        "flickr.photos.setMeta" => api_photos::set_meta(call),
        "flickr.photos.setPerms" => api_photos::set_perms(call),
        "flickr.photos.upload.checkTickets" => api_photos::check_tickets(call),
        "flickr.photosets.create" => api_sets::create(call),
        "flickr.photosets.addPhoto" => api_sets::add_photo(call),
        "flickr.photosets.removePhoto" => api_sets::remove_photo(call),
        "flickr.photosets.getList" => api_sets::get_list(call),
        "flickr.photosets.getPhotos" => api_sets::get_photos(call),
        "flickr.photosets.getInfo" => api_sets::get_info(call),
        "flickr.photosets.delete" => api_sets::delete(call),
        "flickr.photosets.editMeta" => api_sets::edit_meta(call),
        _ => Err(ApiError::new(
            112,
            format!("Method \"{method}\" not found (the photosync emulator does not implement it)"),
        )),
    }
}
