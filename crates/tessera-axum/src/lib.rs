//! Bearer-token authentication (RFC 6750) for [axum] 0.8, verifying tessera JWTs.
//!
//! - [`BearerAuth`] holds the realm, the key set ([`tessera::VerifierSet`], one verifier per `kid`,
//!   replaceable at run time for key rotation) and the [`tessera::Validation`] rules.
//! - [`Bearer<T>`] is an extractor: it reads `Authorization: Bearer <token>` (RFC 6750 §2.1),
//!   verifies the token and hands the handler its claims deserialized as `T`.
//! - [`Scoped<S, T>`] does the same and also requires the scope named by `S` ([`Scope`]) in the
//!   token's `scope` claim (a space-separated list, RFC 9068 §2.2.3).
//! - [`BearerLayer`] is a tower layer doing the same for a whole group of routes; handlers behind
//!   it read the claims with [`Bearer<T>`] without verifying twice.
//!
//! Failures become RFC 6750 §3 responses ([`AuthError`]): no bearer credentials give `401` with
//! `WWW-Authenticate: Bearer realm="..."`; a malformed, expired or wrongly signed token gives `401`
//! with `error="invalid_token"` and a short `error_description` taken from the kind of the
//! library's error; a token lacking a required scope gives `403` with `error="insufficient_scope"`
//! and `scope="..."`; a malformed `Authorization` header (two tokens, characters outside token68,
//! several `Authorization` fields) gives `400` with `error="invalid_request"`. Neither the header
//! nor the JSON body ever echoes the token.
//!
//! ```
//! use axum::{Router, body::Body, http::{Request, StatusCode}, routing::get};
//! use serde::{Deserialize, Serialize};
//! use tessera::{Algorithm, Encoder, Jwk, Validation, VerifierSet};
//! use tessera_axum::{Bearer, BearerAuth, Scope, Scoped};
//! use tower::ServiceExt;
//!
//! #[derive(Clone, Serialize, Deserialize)]
//! struct Claims { sub: String, exp: i64, scope: String }
//!
//! struct Admin;
//! impl Scope for Admin { const NAME: &'static str = "admin"; }
//!
//! async fn me(Bearer(claims): Bearer<Claims>) -> String { claims.sub }
//! async fn stats(Scoped(claims, _): Scoped<Admin, Claims>) -> String { format!("hello admin {}", claims.sub) }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let key = Jwk::oct(b"an HS256 secret of thirty-two bytes or more".to_vec()).with_kid("k1");
//! let mut keys = VerifierSet::new();
//! keys.insert(tessera::verifier(&key, Algorithm::HS256)?);
//! let auth = BearerAuth::new("example", keys, Validation::new());
//!
//! let app = Router::new()
//!     .route("/me", get(me))
//!     .route("/admin/stats", get(stats))
//!     .with_state(auth); // any state works that gives a `BearerAuth` through `FromRef`
//!
//! let token = Encoder::new(tessera::signer(&key, Algorithm::HS256)?)
//!     .encode(&Claims { sub: "alice".into(), exp: 4_000_000_000, scope: "profile".into() })?;
//! let get = |path: &str, token: &str| Request::get(path)
//!     .header("authorization", format!("Bearer {token}"))
//!     .body(Body::empty());
//!
//! let ok = app.clone().oneshot(get("/me", &token)?).await?;
//! assert_eq!(ok.status(), StatusCode::OK);
//! let forbidden = app.oneshot(get("/admin/stats", &token)?).await?;
//! assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
//! assert_eq!(
//!     forbidden.headers()["www-authenticate"],
//!     r#"Bearer realm="example", error="insufficient_scope", error_description="the token lacks a required scope", scope="admin""#
//! );
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

use axum::extract::{FromRef, FromRequestParts};
use axum::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::task::{Context, Poll};
use tessera::{DecodeError, Error, Validation, ValidationError, VerifierSet};
use tower::{Layer, Service};

/// Verifies bearer tokens: the realm of the challenge, the key set and the validation rules.
///
/// Cheap to clone (one `Arc`); clones share the key set, so [`BearerAuth::replace_keys`] on one
/// is seen by all, which is how a running service rotates keys.
#[derive(Clone)]
pub struct BearerAuth {
    inner: Arc<Inner>,
}

struct Inner {
    realm: Arc<str>,
    validation: Validation,
    keys: RwLock<Arc<VerifierSet>>,
}

impl fmt::Debug for BearerAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerAuth")
            .field("realm", &self.inner.realm)
            .field("validation", &self.inner.validation)
            .field("keys", &self.keys().len())
            .finish()
    }
}

impl BearerAuth {
    /// Tokens are verified with `keys` (the token's `kid` picks the key) under `validation`.
    ///
    /// `realm` goes into every challenge as a quoted string; characters that cannot appear there
    /// (`"`, `\`, control and non-ASCII characters) are dropped.
    pub fn new(realm: &str, keys: VerifierSet, validation: Validation) -> Self {
        BearerAuth {
            inner: Arc::new(Inner {
                realm: quotable(realm).into(),
                validation,
                keys: RwLock::new(Arc::new(keys)),
            }),
        }
    }

    /// The realm, as sent in challenges.
    pub fn realm(&self) -> &str {
        &self.inner.realm
    }

    /// The validation rules.
    pub fn validation(&self) -> &Validation {
        &self.inner.validation
    }

    /// The current key set.
    pub fn keys(&self) -> Arc<VerifierSet> {
        self.inner
            .keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the key set (key rotation); requests already being verified finish with the old one.
    pub fn replace_keys(&self, keys: VerifierSet) {
        *self
            .inner
            .keys
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
    }

    /// Reads the bearer token from `headers`, verifies it and deserializes its claims.
    pub fn authenticate<T: DeserializeOwned>(&self, headers: &HeaderMap) -> Result<T, AuthError> {
        self.authorize(headers, &[] as &[&str])
    }

    /// Like [`BearerAuth::authenticate`], and the token's `scope` claim must list every one of `scopes`.
    pub fn authorize<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        scopes: &[impl AsRef<str>],
    ) -> Result<T, AuthError> {
        let token = bearer_token(headers).map_err(|kind| self.error(kind))?;
        self.verify_token(token, scopes)
    }

    /// Verifies a token already taken out of a request, checks `scopes`, deserializes the claims.
    pub fn verify_token<T: DeserializeOwned>(
        &self,
        token: &str,
        scopes: &[impl AsRef<str>],
    ) -> Result<T, AuthError> {
        let keys = self.keys();
        let verified = keys
            .verify(token, &self.inner.validation)
            .map_err(|e| self.invalid_token(e))?;
        if !scopes.is_empty() {
            let granted: ScopeClaim = verified.claims().map_err(|_| {
                self.error(AuthErrorKind::InvalidToken(Cow::Borrowed(
                    "the scope claim is not a string",
                )))
            })?;
            let granted = granted.scope.unwrap_or_default();
            let missing: Vec<&str> = scopes
                .iter()
                .map(AsRef::as_ref)
                .filter(|want| !granted.split(' ').any(|g| g == *want))
                .collect();
            if !missing.is_empty() {
                return Err(self.error(AuthErrorKind::InsufficientScope {
                    scope: quotable(&missing.join(" ")),
                }));
            }
        }
        verified.claims().map_err(|e| self.invalid_token(e))
    }

    fn invalid_token(&self, e: Error) -> AuthError {
        let mut err = self.error(AuthErrorKind::InvalidToken(describe(&e)));
        err.cause = Some(e);
        err
    }

    fn error(&self, kind: AuthErrorKind) -> AuthError {
        AuthError {
            realm: self.inner.realm.clone(),
            kind,
            cause: None,
        }
    }
}

#[derive(Deserialize)]
struct ScopeClaim {
    #[serde(default)]
    scope: Option<String>,
}

/// Keeps the characters allowed in a quoted-string that RFC 6750 §3 allows in its parameters
/// (`%x20-21 / %x23-5B / %x5D-7E`).
fn quotable(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, ' '..='~') && *c != '"' && *c != '\\')
        .collect()
}

/// The short, fixed description of a verification failure: it names the kind of failure and never
/// copies anything out of the token.
fn describe(e: &Error) -> Cow<'static, str> {
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
    realm: Arc<str>,
    kind: AuthErrorKind,
    cause: Option<Error>,
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

    /// The HTTP status: 400, 401 or 403.
    pub fn status(&self) -> StatusCode {
        match self.kind {
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
        }
    }

    /// The human-readable `error_description`.
    pub fn description(&self) -> &str {
        match &self.kind {
            AuthErrorKind::MissingToken => "a bearer token is required",
            AuthErrorKind::InvalidRequest(d) => d,
            AuthErrorKind::InvalidToken(d) => d,
            AuthErrorKind::InsufficientScope { .. } => "the token lacks a required scope",
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
        self.cause
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
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
        if let Ok(v) = HeaderValue::from_str(&self.challenge()) {
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

/// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1): the scheme is matched
/// case-insensitively, followed by one or more spaces and exactly one token68.
///
/// No `Authorization` field, or one with another scheme, is [`AuthErrorKind::MissingToken`]; several
/// `Authorization` fields, an empty token, several tokens or characters outside token68 are
/// [`AuthErrorKind::InvalidRequest`].
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, AuthErrorKind> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(AuthErrorKind::MissingToken);
    };
    if values.next().is_some() {
        return Err(AuthErrorKind::InvalidRequest(
            "more than one Authorization header",
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| AuthErrorKind::InvalidRequest("the Authorization header is not ASCII"))?
        .trim_matches(|c| c == ' ' || c == '\t');
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthErrorKind::MissingToken);
    }
    let token = rest.trim_start_matches(' ');
    if token.is_empty() {
        return Err(AuthErrorKind::InvalidRequest("the bearer token is empty"));
    }
    if !is_token68(token) {
        return Err(AuthErrorKind::InvalidRequest(
            "the Authorization header must hold exactly one token68 bearer token",
        ));
    }
    Ok(token)
}

/// `token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="` (RFC 7235 §2.1).
fn is_token68(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// Extracts the verified claims of the request's bearer token as `T`.
///
/// Behind a [`BearerLayer<T>`] it takes the claims the layer verified; otherwise it verifies the
/// token with the [`BearerAuth`] it gets from the router state through [`FromRef`].
#[derive(Clone, Debug)]
pub struct Bearer<T>(pub T);

impl<S, T> FromRequestParts<S> for Bearer<T>
where
    BearerAuth: FromRef<S>,
    S: Send + Sync,
    T: DeserializeOwned + Send + Sync + 'static,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AuthError> {
        if let Some(verified) = parts.extensions.remove::<Bearer<T>>() {
            return Ok(verified);
        }
        BearerAuth::from_ref(state)
            .authenticate(&parts.headers)
            .map(Bearer)
    }
}

/// A scope that a [`Scoped`] extractor requires.
///
/// ```
/// struct Admin;
/// impl tessera_axum::Scope for Admin { const NAME: &'static str = "admin"; }
/// ```
pub trait Scope {
    /// The scope token, as it appears in the `scope` claim.
    const NAME: &'static str;
}

/// Like [`Bearer<T>`], and the token's `scope` claim must list [`Scope::NAME`] of `S`; otherwise `403`.
pub struct Scoped<S, T>(pub T, pub PhantomData<S>);

impl<S, T: fmt::Debug> fmt::Debug for Scoped<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Scoped").field(&self.0).finish()
    }
}

impl<St, S, T> FromRequestParts<St> for Scoped<S, T>
where
    BearerAuth: FromRef<St>,
    St: Send + Sync,
    S: Scope,
    T: DeserializeOwned,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &St) -> Result<Self, AuthError> {
        BearerAuth::from_ref(state)
            .authorize(&parts.headers, &[S::NAME])
            .map(|claims| Scoped(claims, PhantomData))
    }
}

/// A tower layer that verifies the bearer token of every request before the inner service sees
/// it, and stores the claims as a [`Bearer<T>`] request extension.
///
/// Use it with `Router::route_layer` so that unmatched paths still give `404`.
pub struct BearerLayer<T> {
    auth: BearerAuth,
    scopes: Arc<[String]>,
    claims: PhantomData<fn() -> T>,
}

impl<T> BearerLayer<T> {
    /// Verifies with `auth`; no scope required.
    pub fn new(auth: BearerAuth) -> Self {
        BearerLayer {
            auth,
            scopes: Arc::new([]),
            claims: PhantomData,
        }
    }

    /// Also requires `scope` in the token's `scope` claim (call again for several).
    pub fn require_scope(self, scope: impl Into<String>) -> Self {
        let mut scopes = self.scopes.to_vec();
        scopes.push(scope.into());
        BearerLayer {
            scopes: scopes.into(),
            ..self
        }
    }
}

impl<T> Clone for BearerLayer<T> {
    fn clone(&self) -> Self {
        BearerLayer {
            auth: self.auth.clone(),
            scopes: self.scopes.clone(),
            claims: PhantomData,
        }
    }
}

impl<T> fmt::Debug for BearerLayer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerLayer")
            .field("auth", &self.auth)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl<S, T> Layer<S> for BearerLayer<T> {
    type Service = BearerService<S, T>;

    fn layer(&self, inner: S) -> Self::Service {
        BearerService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service made by [`BearerLayer`].
pub struct BearerService<S, T> {
    inner: S,
    layer: BearerLayer<T>,
}

impl<S: Clone, T> Clone for BearerService<S, T> {
    fn clone(&self) -> Self {
        BearerService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S: fmt::Debug, T> fmt::Debug for BearerService<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerService")
            .field("inner", &self.inner)
            .field("layer", &self.layer)
            .finish()
    }
}

/// The future of [`BearerService`].
pub type BearerFuture<E> = Pin<Box<dyn Future<Output = Result<Response, E>> + Send>>;

impl<S, T, B> Service<Request<B>> for BearerService<S, T>
where
    S: Service<Request<B>, Response = Response>,
    S::Future: Send + 'static,
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BearerFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        match self
            .layer
            .auth
            .authorize::<T>(req.headers(), &self.layer.scopes[..])
        {
            Ok(claims) => {
                req.extensions_mut().insert(Bearer(claims));
                Box::pin(self.inner.call(req))
            }
            Err(e) => {
                let res = e.into_response();
                Box::pin(async move { Ok(res) })
            }
        }
    }
}

#[cfg(test)]
mod tests;
