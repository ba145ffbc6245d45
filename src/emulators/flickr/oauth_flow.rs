//! Flickr's three OAuth 1.0a endpoints. `request_token` and `access_token` check signatures like
//! every call and answer form-encoded pairs (errors: HTTP 401 with `oauth_problem=...`);
//! `authorize` approves at once: with a callback it redirects there with `oauth_token` and
//! `oauth_verifier`, out of band (`oob`) it shows the verifier on a page as `123-456-789`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::answer::escape;
use super::clock;
use super::oauth::encode;
use super::rest::{header_params, params_of};
use super::server::{lock, request_uri, Shared};
use super::tokens::{AccessToken, AuthError, Perms, RequestToken, SignedRequest};

fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn form(pairs: &[(&str, &str)]) -> Response {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    ([(header::CONTENT_TYPE, "text/plain;charset=UTF-8")], body).into_response()
}

fn problem(problem: &str, extra: Option<(&str, &str)>) -> Response {
    let mut body = format!("oauth_problem={problem}");
    if let Some((k, v)) = extra {
        body.push_str(&format!("&{k}={}", encode(v)));
    }
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "text/plain;charset=UTF-8")],
        body,
    )
        .into_response()
}

fn refused(e: AuthError) -> Response {
    match e {
        AuthError::MissingSignature => problem(
            e.oauth_problem(),
            Some(("oauth_parameters_absent", "oauth_signature")),
        ),
        other => problem(other.oauth_problem(), None),
    }
}

fn collect(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let mut params = params_of(uri, headers, body);
    params.extend(header_params(headers));
    params
}

pub async fn request_token(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = collect(&uri, &headers, &body);
    let Some(callback) = get(&params, "oauth_callback").map(str::to_string) else {
        return problem(
            "parameter_absent",
            Some(("oauth_parameters_absent", "oauth_callback")),
        );
    };
    let uri_text = request_uri(&headers, uri.path(), &shared.endpoint);
    let req = SignedRequest {
        method: method.as_str(),
        uri: &uri_text,
        params: &params,
    };
    let mut tokens = lock(&shared.tokens);
    if let Err(e) = tokens.check_signature(&req, "", clock::now()) {
        return refused(e);
    }
    let (token, secret) = tokens.new_pair();
    tokens.requests.insert(
        token.clone(),
        RequestToken {
            secret: secret.clone(),
            callback,
            verifier: None,
            perms: Perms::Read,
        },
    );
    form(&[
        ("oauth_callback_confirmed", "true"),
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
    ])
}

pub async fn authorize(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let params: Vec<(String, String)> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let token = get(&params, "oauth_token").unwrap_or("").to_string();
    let perms = get(&params, "perms")
        .and_then(Perms::parse)
        .unwrap_or(Perms::Read);
    let mut tokens = lock(&shared.tokens);
    let out_of_band = match tokens.requests.get(&token) {
        Some(request) => request.callback == "oob",
        None => {
            let page = "<html><body><h1>Oops! Flickr doesn't recognise the permission set.</h1>\
                        <p>The oauth_token is unknown or already used.</p></body></html>";
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/html")],
                page,
            )
                .into_response();
        }
    };
    let verifier = tokens.new_verifier(out_of_band);
    let Some(request) = tokens.requests.get_mut(&token) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    request.verifier = Some(verifier.clone());
    request.perms = perms;
    if out_of_band {
        let page = format!(
            "<html><head><title>Flickr: App authorized</title></head><body>\
             <p>You have successfully authorized the application.</p>\
             <p>Here is your code:</p><span id=\"Main\">{}</span></body></html>",
            escape(&verifier)
        );
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    }
    let separator = if request.callback.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = format!(
        "{}{separator}oauth_token={}&oauth_verifier={}",
        request.callback,
        encode(&token),
        encode(&verifier)
    );
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

pub async fn access_token(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = collect(&uri, &headers, &body);
    let token = get(&params, "oauth_token").unwrap_or("").to_string();
    let uri_text = request_uri(&headers, uri.path(), &shared.endpoint);
    let req = SignedRequest {
        method: method.as_str(),
        uri: &uri_text,
        params: &params,
    };
    let mut tokens = lock(&shared.tokens);
    let Some(request) = tokens.requests.get(&token).cloned() else {
        return problem("token_rejected", None);
    };
    if let Err(e) = tokens.check_signature(&req, &request.secret, clock::now()) {
        return refused(e);
    }
    match (get(&params, "oauth_verifier"), &request.verifier) {
        (None, _) => {
            return problem(
                "parameter_absent",
                Some(("oauth_parameters_absent", "oauth_verifier")),
            )
        }
        (Some(given), Some(expected)) if given == expected => {}
        _ => return problem("verifier_invalid", None),
    }
    tokens.requests.remove(&token);
    let (access, secret) = tokens.new_pair();
    tokens.access.insert(
        access.clone(),
        AccessToken {
            secret: secret.clone(),
            perms: request.perms,
        },
    );
    let user = &shared.user;
    form(&[
        ("fullname", &user.fullname),
        ("oauth_token", &access),
        ("oauth_token_secret", &secret),
        ("user_nsid", &user.nsid),
        ("username", &user.username),
    ])
}
