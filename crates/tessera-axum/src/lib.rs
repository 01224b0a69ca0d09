//! Bearer-token authentication (RFC 6750) for [axum] 0.8, verifying tessera JWTs.
//!
//! - [`BearerAuth`] holds the realm, the key source ([`KeySource`]: a static
//!   [`tessera::VerifierSet`], one verifier per `kid`, replaceable at run time for key rotation; or
//!   an issuer's [`RemoteJwks`], fetched, cached and refreshed by `tessera-jwks`) and the
//!   [`tessera::Validation`] rules.
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
//! several `Authorization` fields) gives `400` with `error="invalid_request"`. With a remote key
//! source, no usable key set (the issuer's JWKS unreachable and no cached copy allowed to serve)
//! gives `503` with `Retry-After` and `error="temporarily_unavailable"`, never `401`: the token may
//! be fine. Neither the header nor the JSON body ever echoes the token.
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
//! keys.insert(tessera::verifier(&key, Algorithm::HS256)?)?;
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

mod error;

pub use error::{AuthError, AuthErrorKind};
use error::{describe, quotable};

use axum::extract::{FromRef, FromRequestParts};
use axum::response::{IntoResponse, Response};
use http::header::AUTHORIZATION;
use http::request::Parts;
use http::{HeaderMap, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::task::{Context, Poll};
use tessera::{Error, Validation, Verified, VerifierSet};
pub use tessera_jwks::{JwksConfig, JwksError, RemoteJwks, VerifyError};
use tower::{Layer, Service};

/// Verifies bearer tokens: the realm of the challenge, the key source and the validation rules.
///
/// Cheap to clone (one `Arc`); clones share the key source, so [`BearerAuth::replace_keys`] on
/// one is seen by all, which is how a running service rotates keys.
#[derive(Clone)]
pub struct BearerAuth {
    inner: Arc<Inner>,
}

struct Inner {
    realm: Arc<str>,
    validation: Validation,
    keys: RwLock<KeySource>,
}

/// Where [`BearerAuth`] finds its keys.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum KeySource {
    /// A set held in memory, replaced by [`BearerAuth::replace_keys`].
    Static(Arc<VerifierSet>),
    /// An issuer's JWK Set fetched and cached by [`tessera_jwks::RemoteJwks`]: a token with an
    /// unknown `kid` may cause a refetch (bounded by its cooldown), and when no usable set can be
    /// had the answer is `503`, not `401` ([`AuthErrorKind::KeysUnavailable`]).
    Remote(RemoteJwks),
}

impl fmt::Debug for BearerAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerAuth")
            .field("realm", &self.inner.realm)
            .field("validation", &self.inner.validation)
            .field("keys", &self.source())
            .finish()
    }
}

impl BearerAuth {
    /// Tokens are verified with `keys` (the token's `kid` picks the key) under `validation`.
    ///
    /// `realm` goes into every challenge as a quoted string; characters that cannot appear there
    /// (`"`, `\`, control and non-ASCII characters) are dropped.
    pub fn new(realm: &str, keys: VerifierSet, validation: Validation) -> Self {
        BearerAuth::with_source(realm, KeySource::Static(Arc::new(keys)), validation)
    }

    /// Tokens are verified with an issuer's remote JWK Set (see [`KeySource::Remote`]).
    pub fn remote(realm: &str, keys: RemoteJwks, validation: Validation) -> Self {
        BearerAuth::with_source(realm, KeySource::Remote(keys), validation)
    }

    /// Tokens are verified with the keys of `source`.
    pub fn with_source(realm: &str, source: KeySource, validation: Validation) -> Self {
        BearerAuth {
            inner: Arc::new(Inner {
                realm: quotable(realm).into(),
                validation,
                keys: RwLock::new(source),
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

    /// The key source now in use.
    pub fn source(&self) -> KeySource {
        self.inner
            .keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The current static key set; empty when the keys come from a [`KeySource::Remote`].
    pub fn keys(&self) -> Arc<VerifierSet> {
        match self.source() {
            KeySource::Static(set) => set,
            KeySource::Remote(_) => Arc::new(VerifierSet::new()),
        }
    }

    /// Replaces the key source with a static set (key rotation); requests already being
    /// verified finish with the old one.
    pub fn replace_keys(&self, keys: VerifierSet) {
        *self
            .inner
            .keys
            .write()
            .unwrap_or_else(PoisonError::into_inner) = KeySource::Static(Arc::new(keys));
    }

    /// Reads the bearer token from `headers`, verifies it and deserializes its claims.
    ///
    /// Synchronous: with a [`KeySource::Remote`] only the cached set is used, nothing is
    /// fetched; the extractors and the layer use [`BearerAuth::authorize_async`].
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

    /// Verifies a token already taken out of a request, checks `scopes`, deserializes the claims
    /// (synchronous, as [`BearerAuth::authenticate`]).
    pub fn verify_token<T: DeserializeOwned>(
        &self,
        token: &str,
        scopes: &[impl AsRef<str>],
    ) -> Result<T, AuthError> {
        let verified = match self.source() {
            KeySource::Static(keys) => keys
                .verify(token, &self.inner.validation)
                .map_err(|e| self.invalid_token(e))?,
            KeySource::Remote(jwks) => jwks
                .verify_cached(token, &self.inner.validation)
                .map_err(|e| self.remote_error(e))?,
        };
        self.finish(&verified, scopes)
    }

    /// Like [`BearerAuth::authorize`]; with a [`KeySource::Remote`] it may fetch the key set.
    pub async fn authorize_async<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        scopes: &[impl AsRef<str>],
    ) -> Result<T, AuthError> {
        let token = bearer_token(headers).map_err(|kind| self.error(kind))?;
        self.verify_token_async(token, scopes).await
    }

    /// Like [`BearerAuth::verify_token`]; with a [`KeySource::Remote`] it may fetch the key set.
    pub async fn verify_token_async<T: DeserializeOwned>(
        &self,
        token: &str,
        scopes: &[impl AsRef<str>],
    ) -> Result<T, AuthError> {
        match self.source() {
            KeySource::Remote(jwks) => {
                let verified = jwks
                    .verify(token, &self.inner.validation)
                    .await
                    .map_err(|e| self.remote_error(e))?;
                self.finish(&verified, scopes)
            }
            KeySource::Static(_) => self.verify_token(token, scopes),
        }
    }

    fn finish<T: DeserializeOwned>(
        &self,
        verified: &Verified<'_>,
        scopes: &[impl AsRef<str>],
    ) -> Result<T, AuthError> {
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

    fn remote_error(&self, e: VerifyError) -> AuthError {
        match e {
            VerifyError::Token(e) => self.invalid_token(e),
            VerifyError::Keys(e) => {
                let mut err = self.error(AuthErrorKind::KeysUnavailable);
                err.keys = Some(Box::new(e));
                err
            }
            // A kind added later: treated as the keys' fault, never the client's.
            _ => self.error(AuthErrorKind::KeysUnavailable),
        }
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
            keys: None,
        }
    }
}

#[derive(Deserialize)]
struct ScopeClaim {
    #[serde(default)]
    scope: Option<String>,
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
            .authorize_async(&parts.headers, &[] as &[&str])
            .await
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
            .authorize_async(&parts.headers, &[S::NAME])
            .await
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
    S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BearerFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        // The service that was polled ready goes into the future; a clone stays for the next call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            match layer
                .auth
                .authorize_async::<T>(req.headers(), &layer.scopes[..])
                .await
            {
                Ok(claims) => {
                    req.extensions_mut().insert(Bearer(claims));
                    inner.call(req).await
                }
                Err(e) => Ok(e.into_response()),
            }
        })
    }
}

#[cfg(test)]
mod tests;
