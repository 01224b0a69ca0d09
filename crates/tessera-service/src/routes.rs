//! The HTTP API.
//!
//! | Route | Auth | |
//! |---|---|---|
//! | `GET /health` | none | liveness |
//! | `GET /.well-known/jwks.json` | none | public keys |
//! | `POST /login` | username and password | access and refresh token |
//! | `POST /refresh` | refresh token | new access and refresh token (rotation) |
//! | `POST /logout` | refresh token | revokes the session |
//! | `GET /me` | bearer | the token's claims |
//! | `GET /admin/stats` | bearer, scope `admin` | counts |
//! | `POST /admin/rotate` | bearer, scope `admin` | new signing key |
//!
//! Tokens and passwords are never logged. When the database cannot be reached, the routes that
//! need it answer `503 temporarily_unavailable` (JSON, `Retry-After: 1`); the others (JWKS,
//! bearer verification) keep working from memory.

use crate::store::{MAX_CREDENTIAL_LEN, Refresh, StoreError, User};
use crate::{AccessClaims, App, AppState, BoxError, now};
use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::time::Instant;
use tessera_axum::{Bearer, Scope, Scoped};

/// Largest request body accepted.
pub const MAX_BODY: usize = 16 * 1024;

/// The `admin` scope.
#[derive(Debug)]
pub struct Admin;

impl Scope for Admin {
    const NAME: &'static str = "admin";
}

/// The router of the whole API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/.well-known/jwks.json", get(jwks))
        .route(
            "/.well-known/openid-configuration",
            get(crate::discovery::configuration),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(crate::discovery::configuration),
        )
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/admin/stats", get(stats))
        .route("/admin/rotate", post(rotate))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// An error response: `{"error": ..., "error_description": ...}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    error: &'static str,
    description: &'static str,
}

impl ApiError {
    fn new(status: StatusCode, error: &'static str, description: &'static str) -> Self {
        ApiError {
            status,
            error,
            description,
        }
    }

    /// 503 when the database is unreachable, else 500; never with the error's text.
    fn internal(e: &BoxError) -> Self {
        if let Some(StoreError::Unavailable(reason)) = e.downcast_ref::<StoreError>() {
            tracing::warn!(error = %reason, "database unavailable");
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "the service is temporarily unavailable; retry shortly",
            );
        }
        tracing::error!(error = %e, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "internal error",
        )
    }

    fn bad_body(e: &JsonRejection) -> Self {
        tracing::debug!(error = %e.body_text(), "rejected request body");
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be a JSON object with the expected string members",
        )
    }

    fn invalid_grant(description: &'static str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "invalid_grant", description)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: &'static str,
            error_description: &'static str,
        }
        let mut res = (
            self.status,
            Json(Body {
                error: self.error,
                error_description: self.description,
            }),
        )
            .into_response();
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        res
    }
}

fn internal(e: impl Into<BoxError>) -> ApiError {
    ApiError::internal(&e.into())
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn jwks(State(s): State<AppState>) -> Response {
    let keys = s.0.keys.current();
    // Short (60 s by default), so that clients see a rotated key within a minute; a new key is
    // published for longer than this before it signs (crate::keys).
    let max_age = format!("public, max-age={}", s.0.settings.jwks_max_age.as_secs());
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/jwk-set+json"),
            ),
            (
                CACHE_CONTROL,
                HeaderValue::from_str(&max_age)
                    .unwrap_or(HeaderValue::from_static("public, max-age=60")),
            ),
        ],
        keys.jwks().to_owned(),
    )
        .into_response()
}

/// The body of `POST /login`. No `Debug`: it holds a password.
#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

/// The body of `POST /refresh` and `POST /logout`.
#[derive(Deserialize)]
struct RefreshRequest {
    refresh_token: String,
}

/// The token response (RFC 6749 §5.1).
#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    refresh_token: String,
    scope: String,
}

fn token_response(app: &App, user: &User, refresh_token: String) -> Result<Response, ApiError> {
    let keys = app.keys.current();
    let ttl = app.access_ttl();
    let access_token = app
        .issue_access(&keys, &user.username, &user.scope, ttl)
        .map_err(|e| ApiError::internal(&e))?;
    tracing::info!(sub = %user.username, kid = %keys.kid(), "issued tokens");
    let mut res = Json(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ttl,
        refresh_token,
        scope: user.scope.clone(),
    })
    .into_response();
    let h = res.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// Login names are logged Debug-quoted and clipped, so a hostile one cannot forge log lines.
fn clip(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

async fn login(
    State(s): State<AppState>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(c) = body.map_err(|e| ApiError::bad_body(&e))?;
    if c.username.len() > MAX_CREDENTIAL_LEN || c.password.len() > MAX_CREDENTIAL_LEN {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "username or password too long",
        ));
    }
    let username = c.username.clone();
    let user = {
        let _permit = s.0.hashing.acquire().await.map_err(internal)?;
        s.0.store
            .check_password(&c.username, &c.password)
            .await
            .map_err(|e| ApiError::internal(&e))?
    };
    let Some(user) = user else {
        tracing::warn!(username = ?clip(&username), "login failed");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong username or password",
        ));
    };
    let st = &s.0.settings;
    let refresh =
        s.0.store
            .issue_refresh(user.id, now(), st.refresh_ttl, st.session_ttl)
            .await
            .map_err(|e| ApiError::internal(&e))?;
    token_response(&s.0, &user, refresh)
}

async fn refresh(
    State(s): State<AppState>,
    body: Result<Json<RefreshRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(r) = body.map_err(|e| ApiError::bad_body(&e))?;
    if r.refresh_token.len() > 256 {
        return Err(ApiError::invalid_grant("the refresh token is invalid"));
    }
    let st = &s.0.settings;
    let outcome =
        s.0.store
            .rotate_refresh(&r.refresh_token, now(), st.refresh_ttl, st.refresh_grace)
            .await
            .map_err(|e| ApiError::internal(&e))?;
    match outcome {
        Refresh::Rotated { user, token, retry } => {
            if retry {
                tracing::info!(sub = %user.username, "refresh retried within the grace window; same successor");
            }
            token_response(&s.0, &user, token)
        }
        Refresh::Reused { username } => {
            tracing::warn!(sub = %username, "refresh token reused; its whole family is revoked");
            Err(ApiError::invalid_grant(
                "the refresh token was already used; the session is revoked",
            ))
        }
        Refresh::Invalid => Err(ApiError::invalid_grant(
            "the refresh token is invalid, expired or revoked",
        )),
    }
}

/// Revokes the refresh token's whole family. Always `204` for a well-formed request, known token
/// or not (as RFC 7009 §2.2 does), so it reveals nothing.
async fn logout(
    State(s): State<AppState>,
    body: Result<Json<RefreshRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(r) = body.map_err(|e| ApiError::bad_body(&e))?;
    if r.refresh_token.len() <= 256
        && s.0
            .store
            .revoke(&r.refresh_token, now())
            .await
            .map_err(internal)?
    {
        tracing::info!("session revoked (logout)");
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn me(Bearer(claims): Bearer<AccessClaims>) -> Json<AccessClaims> {
    Json(claims)
}

#[derive(Serialize)]
struct StatsResponse {
    #[serde(flatten)]
    store: crate::store::Stats,
    signing_kid: String,
    trusted_kids: Vec<String>,
    backend: &'static str,
    keys: Vec<crate::keys::KeyInfo>,
}

async fn stats(
    State(s): State<AppState>,
    Scoped(claims, _): Scoped<Admin, AccessClaims>,
) -> Result<Json<StatsResponse>, ApiError> {
    tracing::info!(sub = %claims.sub, "admin stats");
    let store = s.0.store.db.stats(now()).await.map_err(internal)?;
    let keys = s.0.keys.current();
    Ok(Json(StatsResponse {
        store,
        signing_kid: keys.kid().to_owned(),
        trusted_kids: keys.kids(),
        backend: s.0.store.db.backend(),
        keys: keys.info().to_vec(),
    }))
}

/// The answer of `POST /admin/rotate`: the key that signs now, the new (pending) key and when it
/// starts signing.
#[derive(Serialize)]
struct RotateResponse {
    signing_kid: String,
    new_kid: String,
    activates_in_ms: i64,
    trusted_kids: Vec<String>,
}

async fn rotate(
    State(s): State<AppState>,
    Scoped(claims, _): Scoped<Admin, AccessClaims>,
) -> Result<Json<RotateResponse>, ApiError> {
    let (pending, keys) =
        s.0.rotate_keys()
            .await
            .map_err(|e| ApiError::internal(&e))?;
    tracing::info!(sub = %claims.sub, kid = %pending.kid, "key rotation requested by admin");
    Ok(Json(RotateResponse {
        signing_kid: keys.kid().to_owned(),
        new_kid: pending.kid,
        activates_in_ms: pending
            .activate_at_ms
            .saturating_sub(crate::keys::now_ms())
            .max(0),
        trusted_kids: keys.kids(),
    }))
}

/// One log line per request: method, path (never the query), status, latency, the proxy's
/// `X-Request-Id`, and for refused bearer tokens the `WWW-Authenticate` error (never the token).
async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| clip(v).to_owned());
    let mut res = next.run(req).await;
    let status = res.status().as_u16();
    let challenge = res
        .headers()
        .get(WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(", error=").map(|(_, e)| e.to_owned()));
    let latency_us = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    tracing::info!(
        %method,
        path = ?clip(&path),
        status,
        latency_us,
        request_id = request_id.as_deref().unwrap_or("-"),
        auth_error = challenge.as_deref().unwrap_or("-"),
        "request"
    );
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert("x-request-id", id);
    }
    res
}
