//! Who may call the emulator: the one API key and its shared secret, the access tokens (one
//! pre-authorised with `delete` perms, more from the OAuth flow), the request tokens of flows in
//! progress, and the nonces already seen. `verify` turns a request's parameters into a `Caller`
//! or the Flickr error the real service would give.

use std::collections::{BTreeMap, HashSet};

use super::oauth;
use super::rng::Rng;

/// Flickr's permission levels, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Perms {
    None,
    Read,
    Write,
    Delete,
}

impl Perms {
    pub fn parse(text: &str) -> Option<Perms> {
        match text {
            "read" => Some(Perms::Read),
            "write" => Some(Perms::Write),
            "delete" => Some(Perms::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Perms::None => "none",
            Perms::Read => "read",
            Perms::Write => "write",
            Perms::Delete => "delete",
        }
    }
}

/// The identity behind a verified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Only the API key is known (unsigned `api_key=` call, or OAuth signed without a token).
    App,
    /// A signed call with an access token of the emulator's user.
    User { token: String, perms: Perms },
}

impl Caller {
    pub fn perms(&self) -> Perms {
        match self {
            Caller::App => Perms::None,
            Caller::User { perms, .. } => *perms,
        }
    }
}

/// Why a request was refused; `code()` is Flickr's REST error code.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("Invalid API Key (Key has invalid format)")]
    InvalidKey,
    #[error("Missing signature")]
    MissingSignature,
    #[error("Invalid signature")]
    InvalidSignature,
    #[error("Invalid signature")]
    StaleTimestamp,
    #[error("Invalid signature")]
    NonceUsed,
    #[error("Invalid auth token")]
    InvalidToken,
}

impl AuthError {
    pub fn code(&self) -> u32 {
        match self {
            AuthError::InvalidKey => 100,
            AuthError::MissingSignature => 97,
            AuthError::InvalidSignature | AuthError::StaleTimestamp | AuthError::NonceUsed => 96,
            AuthError::InvalidToken => 98,
        }
    }

    /// The `oauth_problem` value used by the `/services/oauth/*` endpoints.
    pub fn oauth_problem(&self) -> &'static str {
        match self {
            AuthError::InvalidKey => "consumer_key_unknown",
            AuthError::MissingSignature => "parameter_absent",
            AuthError::InvalidSignature => "signature_invalid",
            AuthError::StaleTimestamp => "timestamp_refused",
            AuthError::NonceUsed => "nonce_used",
            AuthError::InvalidToken => "token_rejected",
        }
    }
}

/// How far a client's clock may be from ours, in seconds.
const TIMESTAMP_WINDOW: i64 = 15 * 60;

#[derive(Debug, Clone)]
pub struct AccessToken {
    pub secret: String,
    pub perms: Perms,
}

#[derive(Debug, Clone)]
pub struct RequestToken {
    pub secret: String,
    pub callback: String,
    /// Set once `/authorize` approved it.
    pub verifier: Option<String>,
    pub perms: Perms,
}

/// The emulator's credentials and the tokens handed out so far.
#[derive(Debug)]
pub struct Tokens {
    pub api_key: String,
    pub shared_secret: String,
    pub access: BTreeMap<String, AccessToken>,
    pub requests: BTreeMap<String, RequestToken>,
    nonces: HashSet<(i64, String)>,
    rng: Rng,
    preauthorised: (String, String),
}

/// The parts of a request that its signature covers.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    /// Every parameter: query, urlencoded body or multipart fields (not `photo`), OAuth header.
    pub params: &'a [(String, String)],
}

impl<'a> SignedRequest<'a> {
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a signature check found, before deciding which token kinds are acceptable.
pub struct Signed {
    pub token: Option<String>,
}

impl Tokens {
    /// The key, secret and pre-authorised `delete` token all derive from `seed`.
    pub fn new(seed: u64) -> Tokens {
        let mut rng = Rng::new(seed ^ 0x004b_4559);
        let mut tokens = Tokens {
            api_key: rng.hex(32),
            shared_secret: rng.hex(16),
            access: BTreeMap::new(),
            requests: BTreeMap::new(),
            nonces: HashSet::new(),
            rng,
            preauthorised: Default::default(),
        };
        let (token, secret) = tokens.new_pair();
        tokens.preauthorised = (token.clone(), secret.clone());
        tokens.access.insert(
            token,
            AccessToken {
                secret,
                perms: Perms::Delete,
            },
        );
        tokens
    }

    /// A fresh token and secret in Flickr's shapes (`72157...-hex`, 16 hex digits).
    pub fn new_pair(&mut self) -> (String, String) {
        let token = format!(
            "72157{:012}-{}",
            self.rng.below(1_000_000_000_000),
            self.rng.hex(16)
        );
        (token, self.rng.hex(16))
    }

    /// The pre-authorised access token (the first one made).
    pub fn first_access(&self) -> (String, String) {
        self.preauthorised.clone()
    }

    /// A verifier: hex for a callback, `123-456-789` digits for out-of-band.
    pub fn new_verifier(&mut self, out_of_band: bool) -> String {
        if out_of_band {
            let n = self.rng.below(1_000_000_000);
            format!(
                "{:03}-{:03}-{:03}",
                n / 1_000_000,
                n / 1000 % 1000,
                n % 1000
            )
        } else {
            self.rng.hex(16)
        }
    }

    /// Checks a REST, upload or replace call: key, signature, timestamp, nonce and access token.
    pub fn verify(&mut self, req: &SignedRequest, now: i64) -> Result<Caller, AuthError> {
        if req.get("oauth_consumer_key").is_none() {
            if req.get("oauth_signature").is_some() || req.get("oauth_token").is_some() {
                return Err(AuthError::InvalidKey);
            }
            return match req.get("api_key") {
                Some(key) if key == self.api_key => Ok(Caller::App),
                _ => Err(AuthError::InvalidKey),
            };
        }
        // flickraw sends `oauth_token=""` on calls without a user: that means no token.
        let token_secret = match req.get("oauth_token").filter(|t| !t.is_empty()) {
            Some(token) => match self.access.get(token) {
                Some(access) => Some(access.secret.clone()),
                None => {
                    // Without the token's secret the signature cannot be checked; a bad key
                    // still wins.
                    if req.get("oauth_consumer_key") != Some(self.api_key.as_str()) {
                        return Err(AuthError::InvalidKey);
                    }
                    return Err(AuthError::InvalidToken);
                }
            },
            None => None,
        };
        let signed = self.check_signature(req, token_secret.as_deref().unwrap_or(""), now)?;
        match signed.token {
            None => Ok(Caller::App),
            Some(token) => {
                let perms = self
                    .access
                    .get(&token)
                    .map(|a| a.perms)
                    .ok_or(AuthError::InvalidToken)?;
                Ok(Caller::User { token, perms })
            }
        }
    }

    /// Checks the consumer key, the HMAC-SHA1 signature made with `token_secret`, the timestamp
    /// and the nonce (which is remembered only when everything else is right).
    pub fn check_signature(
        &mut self,
        req: &SignedRequest,
        token_secret: &str,
        now: i64,
    ) -> Result<Signed, AuthError> {
        if req.get("oauth_consumer_key") != Some(self.api_key.as_str()) {
            return Err(AuthError::InvalidKey);
        }
        let given = req
            .get("oauth_signature")
            .ok_or(AuthError::MissingSignature)?;
        let expected = match req.get("oauth_signature_method") {
            Some("HMAC-SHA1") => {
                let base = oauth::base_string(req.method, req.uri, req.params);
                oauth::sign(&base, &self.shared_secret, token_secret)
                    .map_err(|_| AuthError::InvalidSignature)?
            }
            // flickraw signs with PLAINTEXT whenever it talks https (to a proxy in front of
            // the emulator, say); Flickr accepts that over https.
            Some("PLAINTEXT") => oauth::plaintext(&self.shared_secret, token_secret),
            _ => return Err(AuthError::InvalidSignature),
        };
        if !oauth::same_signature(&expected, given) {
            return Err(AuthError::InvalidSignature);
        }
        let timestamp: i64 = req
            .get("oauth_timestamp")
            .and_then(|t| t.parse().ok())
            .ok_or(AuthError::StaleTimestamp)?;
        if (timestamp - now).abs() > TIMESTAMP_WINDOW {
            return Err(AuthError::StaleTimestamp);
        }
        let nonce = req.get("oauth_nonce").ok_or(AuthError::NonceUsed)?;
        let key = (
            timestamp,
            format!("{}\u{0}{nonce}", req.get("oauth_token").unwrap_or("")),
        );
        if !self.nonces.insert(key) {
            return Err(AuthError::NonceUsed);
        }
        if self.nonces.len() > 10_000 {
            self.nonces
                .retain(|(t, _)| (t - now).abs() <= TIMESTAMP_WINDOW);
        }
        Ok(Signed {
            token: req
                .get("oauth_token")
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(
        tokens: &Tokens,
        token: Option<(&str, &str)>,
        nonce: &str,
        ts: i64,
    ) -> Vec<(String, String)> {
        let mut params = vec![
            ("method".to_string(), "flickr.test.login".to_string()),
            ("oauth_consumer_key".to_string(), tokens.api_key.clone()),
            ("oauth_nonce".to_string(), nonce.to_string()),
            (
                "oauth_signature_method".to_string(),
                "HMAC-SHA1".to_string(),
            ),
            ("oauth_timestamp".to_string(), ts.to_string()),
            ("oauth_version".to_string(), "1.0".to_string()),
        ];
        if let Some((t, _)) = token {
            params.push(("oauth_token".to_string(), t.to_string()));
        }
        let base = oauth::base_string("GET", "http://h/r", &params);
        let sig = oauth::sign(&base, &tokens.shared_secret, token.map_or("", |(_, s)| s)).unwrap();
        params.push(("oauth_signature".to_string(), sig));
        params
    }

    fn tokens() -> Tokens {
        let mut t = Tokens::new(1);
        t.api_key = "key".into();
        t.shared_secret = "secret".into();
        t.access.insert(
            "tok".into(),
            AccessToken {
                secret: "tsec".into(),
                perms: Perms::Write,
            },
        );
        t
    }

    fn check(t: &mut Tokens, params: &[(String, String)]) -> Result<Caller, AuthError> {
        let req = SignedRequest {
            method: "GET",
            uri: "http://h/r",
            params,
        };
        t.verify(&req, 1000)
    }

    #[test]
    fn accepts_a_good_signature_once() {
        let mut t = tokens();
        let params = signed(&t, Some(("tok", "tsec")), "n1", 1000);
        assert_eq!(check(&mut t, &params).unwrap().perms(), Perms::Write);
        assert_eq!(check(&mut t, &params), Err(AuthError::NonceUsed));
    }

    #[test]
    fn refuses_wrong_secret_old_timestamp_and_unknown_token() {
        let mut t = tokens();
        let params = signed(&t, Some(("tok", "wrong")), "n1", 1000);
        assert_eq!(check(&mut t, &params), Err(AuthError::InvalidSignature));
        let params = signed(&t, Some(("tok", "tsec")), "n2", 1000 - 3600);
        assert_eq!(check(&mut t, &params), Err(AuthError::StaleTimestamp));
        let params = signed(&t, Some(("nope", "")), "n3", 1000);
        assert_eq!(check(&mut t, &params), Err(AuthError::InvalidToken));
        let mut params = signed(&t, None, "n4", 1000);
        params.retain(|(k, _)| k != "oauth_signature");
        assert_eq!(check(&mut t, &params), Err(AuthError::MissingSignature));
    }

    #[test]
    fn plain_api_key_is_an_app_call() {
        let mut t = tokens();
        let params = vec![("api_key".to_string(), "key".to_string())];
        assert_eq!(check(&mut t, &params), Ok(Caller::App));
        let params = vec![("api_key".to_string(), "bad".to_string())];
        assert_eq!(check(&mut t, &params), Err(AuthError::InvalidKey));
    }
}
