//! Errors of fetching and of verifying against a remote key set.

use std::fmt;
use std::time::Duration;

/// Why no usable key set could be had from the issuer. Every case says which one happened.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwksError {
    /// The URL cannot be used (not absolute, no host, not http(s)).
    InvalidUrl(String),
    /// Plain `http` without [`crate::JwksConfig::allow_http`].
    InsecureUrl(String),
    /// Connecting, or reading the response, failed.
    Connect(String),
    /// The TLS handshake failed (certificate, name, protocol).
    Tls(String),
    /// No complete answer within the request timeout.
    Timeout(Duration),
    /// The server answered with this status (not 200, and not a redirect followed).
    Status(u16),
    /// A redirect to another origin (scheme, host or port), never followed.
    CrossOriginRedirect(String),
    /// More same-origin redirects than allowed, or one without a usable `Location`.
    Redirect,
    /// The body is larger than [`crate::JwksConfig::max_size`].
    TooLarge {
        /// The limit in force, in bytes.
        max: usize,
    },
    /// The body is not an acceptable JWK Set (strict JSON, duplicate members, malformed key).
    InvalidSet(String),
    /// The discovery document is not acceptable JSON or lacks `issuer`/`jwks_uri`.
    InvalidMetadata(String),
    /// The discovery document names another issuer (OpenID Connect Discovery §4.3, RFC 8414 §3.3).
    IssuerMismatch {
        /// The issuer configured.
        expected: String,
        /// The `issuer` the document gives (clipped).
        found: String,
    },
    /// No fetch has completed yet (a synchronous caller before the first fetch).
    NotFetched,
    /// No key set was ever fetched; the first fetch failed with this.
    NoKeys(Box<JwksError>),
    /// The last good key set is older than its lifetime plus the stale allowance, and refreshing
    /// it failed with this.
    Stale {
        /// Time since the last good set was fetched.
        age: Duration,
        /// Why the refresh failed.
        cause: Box<JwksError>,
    },
}

impl fmt::Display for JwksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwksError::InvalidUrl(u) => write!(f, "invalid url: {u}"),
            JwksError::InsecureUrl(u) => {
                write!(f, "https is required (plain http is not allowed): {u}")
            }
            JwksError::Connect(e) => write!(f, "connection failed: {e}"),
            JwksError::Tls(e) => write!(f, "tls failed: {e}"),
            JwksError::Timeout(t) => write!(f, "no answer within {} ms", t.as_millis()),
            JwksError::Status(s) => write!(f, "the server answered {s}"),
            JwksError::CrossOriginRedirect(l) => {
                write!(f, "redirect to another origin refused: {l}")
            }
            JwksError::Redirect => f.write_str("too many redirects, or one without a location"),
            JwksError::TooLarge { max } => write!(f, "the response is larger than {max} bytes"),
            JwksError::InvalidSet(e) => write!(f, "invalid JWK Set: {e}"),
            JwksError::InvalidMetadata(e) => write!(f, "invalid discovery document: {e}"),
            JwksError::IssuerMismatch { expected, found } => {
                write!(
                    f,
                    "the discovery document names issuer {found:?}, not {expected:?}"
                )
            }
            JwksError::NotFetched => f.write_str("no key set has been fetched yet"),
            JwksError::NoKeys(cause) => write!(f, "no key set fetched yet: {cause}"),
            JwksError::Stale { age, cause } => write!(
                f,
                "the last good key set is {} s old, too old to serve, and refreshing failed: {cause}",
                age.as_secs()
            ),
        }
    }
}

impl std::error::Error for JwksError {}

/// Why a token was not verified by a [`crate::RemoteJwks`].
#[derive(Debug)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token was refused (malformed, unknown `kid`, bad signature, claims): the client's fault.
    Token(tessera::Error),
    /// No usable key set: the issuer's or the network's fault (answer 503, not 401).
    Keys(JwksError),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Token(e) => write!(f, "token refused: {e}"),
            VerifyError::Keys(e) => write!(f, "keys unavailable: {e}"),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::Token(e) => Some(e),
            VerifyError::Keys(e) => Some(e),
        }
    }
}

impl From<tessera::Error> for VerifyError {
    fn from(e: tessera::Error) -> Self {
        VerifyError::Token(e)
    }
}

impl From<JwksError> for VerifyError {
    fn from(e: JwksError) -> Self {
        VerifyError::Keys(e)
    }
}
