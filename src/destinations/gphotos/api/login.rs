//! `photosync login gphotos`: OAuth 2.0 for installed apps. A listener on a free loopback
//! port receives Google's redirect; the consent URL carries a PKCE challenge and a random
//! `state` that the redirect must bring back; the code is traded for the refresh token.

use super::auth::token_request;
use super::client::{error_chain, Endpoints};
use super::error::GphotosError;
use super::SCOPES;
use crate::cancel::Cancel;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// A consent in progress: open `url` in a browser, then [`LoginRequest::finish`].
pub struct LoginRequest {
    pub url: String,
    pub redirect_uri: String,
    listener: TcpListener,
    verifier: String,
    state: String,
    client_id: String,
    client_secret: String,
    token_url: String,
}

fn login_error(message: impl Into<String>) -> GphotosError {
    GphotosError::Login(message.into())
}

/// `n` random bytes as URL-safe base64 (the characters PKCE allows).
fn random_text(n: usize) -> Result<String, GphotosError> {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| login_error(format!("no randomness for PKCE: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Binds the loopback listener and builds the consent URL.
pub fn begin(
    client_id: &str,
    client_secret: &str,
    endpoints: &Endpoints,
) -> Result<LoginRequest, GphotosError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| login_error(format!("cannot listen on 127.0.0.1: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| login_error(e.to_string()))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/");
    let verifier = random_text(48)?;
    let state = random_text(24)?;
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("scope", &SCOPES.join(" "))
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", &state)
        // A refresh token is only given with offline access, and again only on consent.
        .append_pair("access_type", "offline")
        .append_pair("prompt", "consent")
        .finish();
    Ok(LoginRequest {
        url: format!("{}?{query}", endpoints.authorize),
        redirect_uri,
        listener,
        verifier,
        state,
        client_id: client_id.to_string(),
        client_secret: client_secret.to_string(),
        token_url: endpoints.token.clone(),
    })
}

fn answer(mut stream: &TcpStream, status: &str, text: &str) {
    let body = format!("<!doctype html><title>photosync</title><p>{text}</p>");
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

/// The query parameters of the request line `GET /path?query HTTP/1.1`.
fn request_params(stream: &mut TcpStream) -> Vec<(String, String)> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("");
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

impl LoginRequest {
    /// Waits (up to `timeout`, or until cancelled) for the browser to come back, checks
    /// `state`, and trades the code for a refresh token.
    pub fn finish(self, cancel: &Cancel, timeout: Duration) -> Result<String, GphotosError> {
        self.listener
            .set_nonblocking(true)
            .map_err(|e| login_error(e.to_string()))?;
        let deadline = Instant::now() + timeout;
        let code = loop {
            if cancel.is_cancelled() {
                return Err(GphotosError::Cancelled);
            }
            if Instant::now() > deadline {
                return Err(login_error(
                    "no answer from the browser in time; run it again",
                ));
            }
            let mut stream = match self.listener.accept() {
                Ok((s, _)) => s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                Err(e) => return Err(login_error(e.to_string())),
            };
            let _ = stream.set_nonblocking(false);
            let params = request_params(&mut stream);
            let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let (code, error) = (get("code"), get("error"));
            if code.is_none() && error.is_none() {
                // A favicon or another stray request: not the redirect.
                answer(&stream, "404 Not Found", "Not found.");
                continue;
            }
            if get("state").as_deref() != Some(self.state.as_str()) {
                answer(
                    &stream,
                    "400 Bad Request",
                    "The answer did not match this login.",
                );
                return Err(login_error(
                    "the browser's answer did not carry this login's state; run it again",
                ));
            }
            if let Some(error) = error {
                answer(&stream, "200 OK", "photosync was not authorized.");
                let detail = get("error_description").unwrap_or_default();
                return Err(login_error(format!("Google refused: {error} {detail}")));
            }
            answer(
                &stream,
                "200 OK",
                "photosync is authorized. You can close this tab.",
            );
            break code.unwrap_or_default();
        };
        let runtime = crate::engine::one::runtime().map_err(|e| login_error(e.to_string()))?;
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| login_error(error_chain(&e)))?;
        let answer = runtime.block_on(token_request(
            &http,
            &self.token_url,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &self.redirect_uri),
                ("client_id", &self.client_id),
                ("client_secret", &self.client_secret),
                ("code_verifier", &self.verifier),
            ],
            &|_| {},
        ))?;
        answer
            .refresh_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| login_error("Google gave no refresh token; revoke photosync's access in your Google account and log in again"))
    }
}
