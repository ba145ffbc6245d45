//! Google's OAuth 2.0 for installed apps: `/o/oauth2/auth` approves at once and redirects to the
//! loopback `redirect_uri` with `code` and `state` (out-of-band and other hosts refused, as
//! since 2023); `/token` trades a code (PKCE S256 or plain checked) or a refresh token for an
//! hour's access token; `/revoke` revokes a refresh token with its access tokens, or an access
//! token with its refresh token. Failures use `{"error","error_description"}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::reply::{self, oauth_error, page};
use super::scopes;
use super::state::{AuthCode, Shared, CODE_TTL};
use crate::emulators::flickr::server::lock;

type Params = Vec<(String, String)>;

fn get<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn form(body: &[u8], uri: &Uri) -> Params {
    let mut params: Params = form_urlencoded::parse(body).into_owned().collect();
    if let Some(q) = uri.query() {
        params.extend(form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    params
}

/// Loopback redirects only: `http://127.0.0.1:PORT/...`, `localhost` or `[::1]`.
fn loopback(redirect_uri: &str) -> bool {
    url::Url::parse(redirect_uri).is_ok_and(|u| {
        u.scheme() == "http"
            && matches!(
                u.host_str(),
                Some("127.0.0.1") | Some("localhost") | Some("[::1]")
            )
    })
}

fn redirect(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
        .finish();
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("{redirect_uri}{sep}{query}"))],
    )
        .into_response()
}

pub async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<Params>,
) -> Response {
    shared.count("oauth.authorize");
    let client = get(&params, "client_id").unwrap_or("");
    if lock(&shared.state).client(client).is_none() {
        return page(
            StatusCode::UNAUTHORIZED,
            "Error 401: invalid_client",
            "The OAuth client was not found.",
        );
    }
    let redirect_uri = get(&params, "redirect_uri").unwrap_or("");
    if redirect_uri.starts_with("urn:ietf:wg:oauth:2.0:oob") {
        return page(
            StatusCode::BAD_REQUEST,
            "Error 400: invalid_request",
            "The out-of-band (OOB) flow has been blocked in order to keep users secure.",
        );
    }
    if !loopback(redirect_uri) {
        return page(
            StatusCode::BAD_REQUEST,
            "Error 400: redirect_uri_mismatch",
            "Desktop apps must redirect to a loopback address.",
        );
    }
    let state_param = get(&params, "state").unwrap_or("");
    let refuse = |error: &str, description: &str| {
        redirect(
            redirect_uri,
            &[
                ("error", error),
                ("error_description", description),
                ("state", state_param),
            ],
        )
    };
    if get(&params, "response_type") != Some("code") {
        return refuse("unsupported_response_type", "Only response_type=code");
    }
    let granted = match scopes::parse_requested(get(&params, "scope").unwrap_or("")) {
        Ok(s) => s,
        Err(s) if s.is_empty() => {
            return refuse("invalid_request", "Missing required parameter: scope")
        }
        Err(s) => {
            return refuse(
                "invalid_scope",
                &format!("Some requested scopes were invalid: {s}"),
            )
        }
    };
    let challenge = match (
        get(&params, "code_challenge"),
        get(&params, "code_challenge_method").unwrap_or("plain"),
    ) {
        (None, _) => None,
        (Some(c), m @ ("S256" | "plain")) => Some((c.to_string(), m.to_string())),
        (Some(_), _) => return refuse("invalid_request", "Invalid code_challenge_method"),
    };
    let now = shared.now();
    let code = {
        let mut state = lock(&shared.state);
        let code = state.new_id("4/0A", 60);
        let auth = AuthCode {
            client: client.to_string(),
            redirect_uri: redirect_uri.to_string(),
            scopes: granted.clone(),
            challenge,
            expires: now + CODE_TTL,
        };
        state.codes.insert(code.clone(), auth);
        code
    };
    redirect(
        redirect_uri,
        &[
            ("state", state_param),
            ("code", &code),
            ("scope", &granted.join(" ")),
        ],
    )
}

fn verifier_matches(challenge: &(String, String), verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let derived = match challenge.1.as_str() {
        "S256" => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes())),
        _ => verifier.to_string(),
    };
    well_formed && derived == challenge.0
}

/// What Google answers a refresh token that is revoked, or past a Testing project's 7 days:
/// the same words for both (jobisoft/google-4-tbsync wiki; gphotosuploader/gphotos-uploader-cli).
fn expired_or_revoked() -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "Token has been expired or revoked.",
    )
}

fn tokens(access: &str, refresh: Option<&str>, scopes: &[String]) -> Response {
    let mut body = json!({
        "access_token": access,
        "expires_in": super::state::ACCESS_TTL,
        "scope": scopes.join(" "),
        "token_type": "Bearer",
    });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    reply::ok(body)
}

pub async fn token(State(shared): State<Arc<Shared>>, uri: Uri, body: Bytes) -> Response {
    shared.count("oauth.token");
    let params = form(&body, &uri);
    let now = shared.now();
    let mut state = lock(&shared.state);
    let client_id = get(&params, "client_id").unwrap_or("");
    let Some(client) = state.client(client_id).cloned() else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The OAuth client was not found.",
        );
    };
    if get(&params, "client_secret") != Some(client.secret.as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Unauthorized");
    }
    match get(&params, "grant_type").unwrap_or("") {
        "authorization_code" => {
            let code = get(&params, "code").unwrap_or("");
            // A code is good once, whatever happens next.
            let Some(auth) = state.codes.remove(code) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Bad Request");
            };
            if auth.client != client.id || auth.expires <= now {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Bad Request");
            }
            if get(&params, "redirect_uri") != Some(auth.redirect_uri.as_str()) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "redirect_uri_mismatch",
                    "Bad Request",
                );
            }
            if let Some(challenge) = &auth.challenge {
                let Some(verifier) = get(&params, "code_verifier") else {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "Missing code verifier.",
                    );
                };
                if !verifier_matches(challenge, verifier) {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "Invalid code verifier.",
                    );
                }
            }
            let refresh = state.grant(&client.id, auth.scopes.clone(), now);
            let access =
                state.access_token(&client.id, auth.scopes.clone(), Some(refresh.clone()), now);
            tokens(&access, Some(&refresh), &auth.scopes)
        }
        "refresh_token" => {
            let refresh = get(&params, "refresh_token").unwrap_or("");
            let ttl = shared.limits.refresh_ttl;
            let Some(grant) = state.grants.get(refresh).cloned() else {
                return expired_or_revoked();
            };
            let too_old = ttl.is_some_and(|ttl| grant.issued + ttl <= now);
            if grant.revoked || too_old || grant.client != client.id {
                return expired_or_revoked();
            }
            let access = state.access_token(
                &client.id,
                grant.scopes.clone(),
                Some(refresh.to_string()),
                now,
            );
            tokens(&access, None, &grant.scopes)
        }
        other => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Invalid grant_type: {other}"),
        ),
    }
}

pub async fn revoke(State(shared): State<Arc<Shared>>, uri: Uri, body: Bytes) -> Response {
    shared.count("oauth.revoke");
    let params = form(&body, &uri);
    let token = get(&params, "token").unwrap_or("").to_string();
    let mut state = lock(&shared.state);
    let refresh = if state.grants.contains_key(&token) {
        Some(token.clone())
    } else if let Some(access) = state.access.get_mut(&token) {
        access.revoked = true;
        access.refresh.clone()
    } else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_token",
            "Token expired or revoked",
        );
    };
    if let Some(refresh) = refresh {
        if let Some(grant) = state.grants.get_mut(&refresh) {
            grant.revoked = true;
        }
        for access in state.access.values_mut() {
            if access.refresh.as_deref() == Some(refresh.as_str()) {
                access.revoked = true;
            }
        }
    }
    reply::ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let challenge = (
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_string(),
            "S256".to_string(),
        );
        assert!(verifier_matches(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!verifier_matches(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx"
        ));
    }

    #[test]
    fn only_loopback_redirects() {
        assert!(loopback("http://127.0.0.1:53682/"));
        assert!(loopback("http://localhost:1"));
        assert!(!loopback("https://example.com/cb"));
        assert!(!loopback("urn:ietf:wg:oauth:2.0:oob"));
    }
}
