//! A resource server that trusts an issuer by discovery (the one `deploy/issuer-e2e.sh` runs
//! behind nginx, beside tessera-service).
//!
//! Environment: `RS_LISTEN` (default `127.0.0.1:8090`), `RS_ISSUER` (required: the issuer URL,
//! also the `iss` required of tokens), `RS_AUDIENCE` (default `tessera-api`), `RS_ALLOW_HTTP=1`
//! (loopback only), `RS_COOLDOWN_MS` (default 30000), `RS_MAX_LIFETIME_S` (upper bound on the
//! cache lifetime, default 86400).
//!
//! Routes, all under `/rs`: `GET /rs/me` (bearer, `typ: at+jwt`, the token's claims),
//! `GET /rs/stats` (the key cache's counters), `GET /rs/health`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use std::time::Duration;
use tessera::{Claim, Validation};
use tessera_axum::{Bearer, BearerAuth, JwksConfig, KeySource, RemoteJwks};

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    scope: String,
    exp: i64,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn millis(name: &str, default: u64) -> Duration {
    Duration::from_millis(env(name).and_then(|v| v.parse().ok()).unwrap_or(default))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issuer = env("RS_ISSUER").ok_or("RS_ISSUER is required")?;
    let listen = env("RS_LISTEN").unwrap_or_else(|| "127.0.0.1:8090".into());
    let audience = env("RS_AUDIENCE").unwrap_or_else(|| "tessera-api".into());
    let max_lifetime = millis("RS_MAX_LIFETIME_S", 86_400) * 1000;
    let config = JwksConfig::new()
        .allow_http(env("RS_ALLOW_HTTP").as_deref() == Some("1"))
        .cooldown(millis("RS_COOLDOWN_MS", 30_000))
        .lifetime_bounds(Duration::from_secs(1).min(max_lifetime), max_lifetime);
    let jwks = RemoteJwks::discover(&issuer, config)?;
    let rules = Validation::new()
        .issuer(issuer.clone())
        .audience(audience)
        .typ("at+jwt")
        .require(Claim::Sub);
    let auth = BearerAuth::remote("tessera-resource", jwks, rules);
    let app = Router::new()
        .route("/rs/health", get(|| async { "ok" }))
        .route("/rs/me", get(me))
        .route("/rs/stats", get(stats))
        .with_state(auth);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!("resource server on {listen}, trusting {issuer}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

async fn me(Bearer(claims): Bearer<Claims>) -> Json<Claims> {
    Json(claims)
}

async fn stats(State(auth): State<BearerAuth>) -> Json<serde_json::Value> {
    let KeySource::Remote(jwks) = auth.source() else {
        return Json(serde_json::json!({}));
    };
    let s = jwks.stats();
    Json(serde_json::json!({
        "fetches": s.fetches,
        "errors": s.errors,
        "cache_hits": s.cache_hits,
        "unknown_kid_refetches": s.unknown_kid_refetches,
        "stale_served": s.stale_served,
        "kids": jwks.kids(),
        "last_error": jwks.last_error().map(|e| e.to_string()),
    }))
}
