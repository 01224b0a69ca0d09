//! JWT access tokens (RFC 9068): the claims a resource server reads from one.
//!
//! The rules are the codec's, [`Validation::access_token`](tessera::Validation::access_token):
//! `typ` `at+jwt`, the issuer and audience, `exp`, `sub`, `client_id`, `iat` and `jti` required;
//! chain [`max_age`](tessera::Validation::max_age) or a [`check`](tessera::Validation::check) as
//! needed. A verified token's claims then deserialize into [`AccessToken`]:
//!
//! ```
//! use tessera::{Algorithm, Clock, Encoder, Jwk, Validation};
//! use tessera_jwks::rfc9068::AccessToken;
//!
//! let key = Jwk::oct(b"an HS256 secret of thirty-two bytes or more".to_vec());
//! let token = Encoder::new(tessera::signer(&key, Algorithm::HS256)?)
//!     .typ("at+jwt")
//!     .encode(&serde_json::json!({
//!         "iss": "https://auth.example.com", "aud": "api", "sub": "alice", "client_id": "app",
//!         "iat": 1_700_000_000, "exp": 1_700_000_900, "jti": "j1", "scope": "read write",
//!     }))?;
//! let rules = Validation::access_token("https://auth.example.com", "api")
//!     .max_age(std::time::Duration::from_secs(3600))
//!     .clock(Clock::Fixed(1_700_000_100));
//! let verified = tessera::verify(&token, &tessera::verifier(&key, Algorithm::HS256)?, &rules)?;
//! let at: AccessToken = verified.claims()?;
//! assert_eq!(at.client_id, "app");
//! assert!(at.has_scope("write"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Deserialize;

/// The claims RFC 9068 §2.2 adds to the registered ones (which [`tessera::RegisteredClaims`]
/// holds, and [`tessera::Claims`] puts beside these when both are wanted).
///
/// Deserializing fails with [`tessera::Error::Claims`] when `client_id` is absent or either
/// member is not a string (RFC 8693 §4.2, §4.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AccessToken {
    /// `client_id`: the OAuth client the token was issued to.
    pub client_id: String,
    /// `scope`, space-separated, when present (RFC 9068 §2.2.3).
    #[serde(default)]
    pub scope: Option<String>,
}

impl AccessToken {
    /// The scopes of `scope`, in order (none without one).
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .filter(|s| !s.is_empty())
    }

    /// Whether `scope` names `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes().any(|s| s == scope)
    }
}
