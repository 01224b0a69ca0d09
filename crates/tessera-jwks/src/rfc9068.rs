//! JWT access tokens (RFC 9068): the [`Validation`] preset and the checks the codec's rules do not
//! cover (`client_id`, `scope` as a string, a maximum age from `iat`).
//!
//! The codec checks `typ: at+jwt`, `iss`, `aud`, `exp`, and that `sub`, `iat` and `jti` are present
//! ([`validation`]); [`AccessTokenRules::check`] then reads the verified payload once more for
//! what RFC 9068 §2.2 adds. Until the codec grows these rules (see the crate's report to the
//! maintainers), they live here.
//!
//! ```
//! use tessera_jwks::rfc9068::AccessTokenRules;
//! let rules = AccessTokenRules::new("https://auth.example.com", "api")
//!     .max_age(std::time::Duration::from_secs(3600))
//!     .require_client_id(true);
//! let validation = rules.validation(); // give this to RemoteJwks::verify, then rules.check(&verified)
//! # let _ = validation;
//! ```

use serde::Deserialize;
use std::fmt;
use std::time::Duration;
use tessera::{Claim, Validation, Verified};

/// The codec's rules for an RFC 9068 access token: `typ` `at+jwt` (§2.1), this issuer and
/// audience, `exp`, `sub`, `iat` and `jti` required (§2.2).
pub fn validation(issuer: &str, audience: &str) -> Validation {
    Validation::new()
        .typ("at+jwt")
        .issuer(issuer)
        .audience(audience)
        .require(Claim::Sub)
        .require(Claim::Iat)
        .require(Claim::Jti)
}

/// The claims RFC 9068 §2.2 adds to the registered ones, as read by [`AccessTokenRules::check`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessToken {
    /// `client_id`, when present.
    pub client_id: Option<String>,
    /// The scopes of `scope` (space-separated in the token).
    pub scopes: Vec<String>,
    /// `iat`.
    pub iat: i64,
}

/// Why an access token is refused by [`AccessTokenRules::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessTokenError {
    /// `client_id` is missing (and required) or not a string.
    ClientId,
    /// `scope` is not a string.
    Scope,
    /// `iat` is missing or not an integer.
    Iat,
    /// `iat` is older than the maximum age.
    TooOld {
        /// Seconds since `iat`.
        age: i64,
        /// The maximum allowed.
        max: u64,
    },
}

impl fmt::Display for AccessTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessTokenError::ClientId => f.write_str("client_id is missing or not a string"),
            AccessTokenError::Scope => f.write_str("scope is not a string"),
            AccessTokenError::Iat => f.write_str("iat is missing or not an integer"),
            AccessTokenError::TooOld { age, max } => {
                write!(
                    f,
                    "the token was issued {age} s ago, more than the {max} s allowed"
                )
            }
        }
    }
}

impl std::error::Error for AccessTokenError {}

/// RFC 9068 rules for one issuer and audience.
#[derive(Clone, Debug)]
pub struct AccessTokenRules {
    issuer: String,
    audience: String,
    max_age: Option<Duration>,
    client_id: bool,
}

#[derive(Deserialize)]
struct Extra {
    #[serde(default)]
    client_id: Option<serde_json::Value>,
    #[serde(default)]
    scope: Option<serde_json::Value>,
    #[serde(default)]
    iat: Option<serde_json::Value>,
}

impl AccessTokenRules {
    /// Tokens of `issuer` for `audience`; no maximum age; `client_id` optional.
    pub fn new(issuer: &str, audience: &str) -> Self {
        AccessTokenRules {
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            max_age: None,
            client_id: false,
        }
    }

    /// Refuses tokens whose `iat` is older than `max_age` (like jose's `maxTokenAge`).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Requires `client_id` (RFC 9068 §2.2 makes it REQUIRED; some issuers omit it).
    pub fn require_client_id(mut self, required: bool) -> Self {
        self.client_id = required;
        self
    }

    /// The codec's rules ([`validation`]).
    pub fn validation(&self) -> Validation {
        validation(&self.issuer, &self.audience)
    }

    /// Checks the RFC 9068 claims of a token verified under [`AccessTokenRules::validation`],
    /// with `now` in seconds since the epoch.
    pub fn check(
        &self,
        verified: &Verified<'_>,
        now: i64,
    ) -> Result<AccessToken, AccessTokenError> {
        // The codec already refused malformed JSON; an error here is a claim of the wrong shape.
        let extra: Extra = verified.claims().map_err(|_| AccessTokenError::Iat)?;
        let client_id = match extra.client_id {
            Some(serde_json::Value::String(s)) => Some(s),
            None if !self.client_id => None,
            _ => return Err(AccessTokenError::ClientId),
        };
        let scopes = match extra.scope {
            Some(serde_json::Value::String(s)) => s
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
            Some(_) => return Err(AccessTokenError::Scope),
        };
        let iat = extra
            .iat
            .and_then(|v| v.as_i64())
            .ok_or(AccessTokenError::Iat)?;
        if let Some(max) = self.max_age {
            let age = now.saturating_sub(iat);
            let max = max.as_secs();
            if u64::try_from(age).is_ok_and(|a| a > max) {
                return Err(AccessTokenError::TooOld { age, max });
            }
        }
        Ok(AccessToken {
            client_id,
            scopes,
            iat,
        })
    }
}
