//! Google's answer shapes: JSON successes, the API's error envelope
//! (`{"error":{"code","message","status"}}`), the uploads endpoint's bare 401, the 429
//! RESOURCE_EXHAUSTED body naming the quota, and the OAuth endpoints' `{"error","error_description"}`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub fn ok(value: Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        value.to_string(),
    )
        .into_response()
}

fn status_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    }
}

fn envelope(status: StatusCode, error: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        json!({ "error": error }).to_string(),
    )
        .into_response()
}

/// The API's error envelope with the status name Google pairs with `status`.
pub fn error(status: StatusCode, message: &str) -> Response {
    envelope(
        status,
        json!({"code": status.as_u16(), "message": message, "status": status_name(status)}),
    )
}

pub fn invalid(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// A missing, unknown, expired or revoked access token.
pub fn unauthenticated() -> Response {
    let mut r = error(
        StatusCode::UNAUTHORIZED,
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login \
         cookie or other valid authentication credential. See \
         https://developers.google.com/identity/sign-in/web/devconsole-project.",
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer realm=\"https://accounts.google.com/\""),
    );
    r
}

pub fn insufficient_scopes() -> Response {
    error(
        StatusCode::FORBIDDEN,
        "Request had insufficient authentication scopes.",
    )
}

/// What `/v1/uploads` answers without a usable token or the appendonly scope: no envelope.
pub fn bare_unauthenticated() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        json!({"code": 16, "message": "Authentication session is not defined."}).to_string(),
    )
        .into_response()
}

/// HTTP 429 RESOURCE_EXHAUSTED for a named quota limit.
pub fn quota_exceeded(metric: &str, limit: &str, project: &str) -> Response {
    let message = format!(
        "Quota exceeded for quota metric '{metric}' and limit '{limit}' of service \
         'photoslibrary.googleapis.com' for consumer 'project_number:{project}'."
    );
    envelope(
        StatusCode::TOO_MANY_REQUESTS,
        json!({
            "code": 429,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "rateLimitExceeded"}],
            "status": "RESOURCE_EXHAUSTED",
        }),
    )
}

/// The OAuth endpoints' error shape.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        json!({"error": error, "error_description": description}).to_string(),
    )
        .into_response()
}

/// An error page where Google shows one to the person in the browser (no redirect possible).
pub fn page(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>{detail}</p></body></html>\n"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
