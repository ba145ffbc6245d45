//! OAuth 2.0 tokens: an access token from the refresh token (kept until a minute before it
//! expires), and the authorization code traded for a refresh token at login.

use super::client::{error_chain, error_message, Access, Client};
use super::error::GphotosError;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// An access token is renewed this long before Google says it expires.
const MARGIN: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub(super) struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Deserialize)]
struct OauthFailure {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// POSTs a form to the token endpoint; `invalid_grant` becomes [`GphotosError::Revoked`].
pub(super) async fn token_request(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
    on_date: &(dyn Fn(&reqwest::header::HeaderMap) + Send + Sync),
) -> Result<TokenAnswer, GphotosError> {
    const WHAT: &str = "getting an access token";
    let response = http
        .post(url)
        .form(form)
        .send()
        .await
        .map_err(|e| GphotosError::Transport {
            what: WHAT,
            message: error_chain(&e),
        })?;
    on_date(response.headers());
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| GphotosError::Transport {
        what: WHAT,
        message: error_chain(&e),
    })?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|e| GphotosError::Malformed {
            what: WHAT,
            message: e.to_string(),
        });
    }
    if let Ok(f) = serde_json::from_str::<OauthFailure>(&body) {
        if f.error == "invalid_grant" {
            return Err(GphotosError::Revoked(
                f.error_description.unwrap_or_else(|| f.error.clone()),
            ));
        }
    }
    Err(GphotosError::Http {
        what: WHAT,
        status,
        message: error_message(&body),
    })
}

impl Client {
    /// A good access token, refreshed when it is within a minute of expiring.
    pub async fn access_token(&self) -> Result<String, GphotosError> {
        let mut access = self.access.lock().await;
        if let Some(a) = access.as_ref() {
            if a.expires_at > Instant::now() + MARGIN {
                return Ok(a.token.clone());
            }
        }
        let c = &self.config;
        let answer = token_request(
            &self.http,
            &c.endpoints.token,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &c.refresh_token),
                ("client_id", &c.client_id),
                ("client_secret", &c.client_secret),
            ],
            &|h| self.note_date(h),
        )
        .await?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(3600));
        let token = answer.access_token.clone();
        *access = Some(Access {
            token: answer.access_token,
            expires_at: Instant::now() + lifetime,
        });
        Ok(token)
    }

    /// Forgets the access token, so the next call refreshes it.
    pub async fn forget_access_token(&self) {
        *self.access.lock().await = None;
    }
}
