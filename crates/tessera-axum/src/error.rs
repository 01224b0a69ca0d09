//! [`AuthError`]: why a request was refused, and its RFC 6750 §3 response.

use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use tessera::{DecodeError, Error, ValidationError};
use tessera_jwks::JwksError;

/// Keeps the characters allowed in a quoted-string that RFC 6750 §3 allows in its parameters
/// (`%x20-21 / %x23-5B / %x5D-7E`).
pub(crate) fn quotable(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, ' '..='~') && *c != '"' && *c != '\\')
        .collect()
}

/// The short, fixed description of a verification failure: it names the kind of failure and never
/// copies anything out of the token.
pub(crate) fn describe(e: &Error) -> Cow<'static, str> {
    Cow::Borrowed(match e {
        Error::Decode(d) => match d {
            DecodeError::TooLarge { .. } => "the token is too large",
            DecodeError::AlgNone | DecodeError::AlgorithmMismatch { .. } => {
                "the token algorithm is not accepted"
            }
            DecodeError::TypeMismatch { .. } => "the token type is not accepted",
            DecodeError::UnknownKeyId(_) => "the token is signed with an unknown key",
            DecodeError::MissingKeyId => "the token names no key",
            _ => "the token is malformed",
        },
        Error::Signature(_) => "the token signature is invalid",
        Error::Validation(v) => match v {
            ValidationError::Expired { .. } => "the token expired",
            ValidationError::NotYetValid { .. } => "the token is not valid yet",
            ValidationError::IssuedInFuture { .. } => "the token is issued in the future",
            ValidationError::MissingClaim(c) => {
                return Cow::Owned(format!("the token lacks the {} claim", c.name()));
            }
            ValidationError::InvalidClaim(c) => {
                return Cow::Owned(format!("the token has an invalid {} claim", c.name()));
            }
            ValidationError::Issuer => "the token issuer is not accepted",
            ValidationError::Audience | ValidationError::UnexpectedAudience => {
                "the token audience is not accepted"
            }
            ValidationError::Subject => "the token subject is not accepted",
            _ => "the token claims are not accepted",
        },
        Error::Claims(_) => "the token claims do not have the expected form",
        _ => "the token is invalid",
    })
}

/// Why a request was refused; its [`IntoResponse`] gives the RFC 6750 §3 response.
#[derive(Debug)]
pub struct AuthError {
    pub(crate) realm: Arc<str>,
    pub(crate) kind: AuthErrorKind,
    pub(crate) cause: Option<Error>,
    pub(crate) keys: Option<Box<JwksError>>,
}

/// The RFC 6750 §3 categories of [`AuthError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// No bearer credentials (no `Authorization` header, or another scheme): `401`, challenge without error code.
    MissingToken,
    /// The `Authorization` header is malformed: `400`, `error="invalid_request"`.
    InvalidRequest(&'static str),
    /// The token is malformed, expired, wrongly signed or otherwise refused: `401`, `error="invalid_token"`.
    InvalidToken(Cow<'static, str>),
    /// The token lacks these scopes (space-separated): `403`, `error="insufficient_scope"`.
    InsufficientScope {
        /// The missing scopes.
        scope: String,
    },
    /// No usable key set (the issuer's JWKS cannot be fetched and no cached set may serve):
    /// `503`, `error="temporarily_unavailable"`, `Retry-After`; the token may well be valid.
    KeysUnavailable,
}

impl AuthError {
    /// The category.
    pub fn kind(&self) -> &AuthErrorKind {
        &self.kind
    }

    /// The library's error when a token was refused, for logging. Its message may quote short,
    /// clipped pieces of the token header (a `kid`, say): do not send it to the client.
    pub fn cause(&self) -> Option<&Error> {
        self.cause.as_ref()
    }

    /// Why the key set was unavailable ([`AuthErrorKind::KeysUnavailable`]), for logging.
    pub fn keys_error(&self) -> Option<&JwksError> {
        self.keys.as_deref()
    }

    /// The HTTP status: 400, 401, 403 or 503.
    pub fn status(&self) -> StatusCode {
        match self.kind {
            AuthErrorKind::KeysUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AuthErrorKind::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            AuthErrorKind::InsufficientScope { .. } => StatusCode::FORBIDDEN,
            AuthErrorKind::MissingToken | AuthErrorKind::InvalidToken(_) => {
                StatusCode::UNAUTHORIZED
            }
        }
    }

    /// The RFC 6750 error code, if any (none when no credentials were sent).
    pub fn code(&self) -> Option<&'static str> {
        match self.kind {
            AuthErrorKind::MissingToken => None,
            AuthErrorKind::InvalidRequest(_) => Some("invalid_request"),
            AuthErrorKind::InvalidToken(_) => Some("invalid_token"),
            AuthErrorKind::InsufficientScope { .. } => Some("insufficient_scope"),
            // Not an RFC 6750 code (a 503 carries no challenge); RFC 6749 §4.1.2.1's name for it.
            AuthErrorKind::KeysUnavailable => Some("temporarily_unavailable"),
        }
    }

    /// The human-readable `error_description`.
    pub fn description(&self) -> &str {
        match &self.kind {
            AuthErrorKind::MissingToken => "a bearer token is required",
            AuthErrorKind::InvalidRequest(d) => d,
            AuthErrorKind::InvalidToken(d) => d,
            AuthErrorKind::InsufficientScope { .. } => "the token lacks a required scope",
            AuthErrorKind::KeysUnavailable => "the keys of the token issuer are unavailable",
        }
    }

    /// The `WWW-Authenticate` challenge.
    pub fn challenge(&self) -> String {
        let mut c = format!("Bearer realm=\"{}\"", self.realm);
        if let Some(code) = self.code() {
            c.push_str(&format!(
                ", error=\"{code}\", error_description=\"{}\"",
                quotable(self.description())
            ));
        }
        if let AuthErrorKind::InsufficientScope { scope } = &self.kind {
            c.push_str(&format!(", scope=\"{scope}\""));
        }
        c
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            Some(code) => write!(f, "{code}: {}", self.description()),
            None => f.write_str(self.description()),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match (&self.cause, &self.keys) {
            (Some(e), _) => Some(e),
            (None, Some(e)) => Some(e.as_ref()),
            (None, None) => None,
        }
    }
}

#[derive(serde::Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code().unwrap_or("unauthorized"),
            error_description: self.description(),
        };
        let mut res = (self.status(), axum::Json(body)).into_response();
        let headers = res.headers_mut();
        // The challenge holds only the realm, fixed descriptions and scope names, all filtered to
        // quoted-string characters, so it is always a valid header value.
        if self.kind == AuthErrorKind::KeysUnavailable {
            // Not a credentials problem: no challenge, and a hint to come back (the cooldown).
            headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        } else if let Ok(v) = HeaderValue::from_str(&self.challenge()) {
            headers.insert(WWW_AUTHENTICATE, v);
        }
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        res
    }
}
