//! The issuer's metadata, so that resource servers find its keys by discovery: OpenID Connect
//! Discovery 1.0 (`/.well-known/openid-configuration`) and RFC 8414
//! (`/.well-known/oauth-authorization-server`) serve the same document.

use crate::AppState;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// Where the JWK Set is, relative to the issuer.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The metadata document: `issuer` exactly as tokens carry it in `iss`, `jwks_uri`, and the
/// algorithms of the published keys.
pub fn metadata(issuer: &str, algs: &[&str]) -> serde_json::Value {
    let base = issuer.trim_end_matches('/');
    serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{base}{JWKS_PATH}"),
        "token_endpoint": format!("{base}/login"),
        "grant_types_supported": ["password", "refresh_token"],
        "id_token_signing_alg_values_supported": algs,
    })
}

/// `GET /.well-known/openid-configuration` and `GET /.well-known/oauth-authorization-server`.
pub async fn configuration(State(s): State<AppState>) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        {
            let keys = s.0.keys.current();
            let mut algs: Vec<&str> = keys.published().iter().map(|(_, a)| a.name()).collect();
            algs.sort_unstable();
            algs.dedup();
            metadata(&s.0.settings.issuer, &algs).to_string()
        },
    )
        .into_response()
}

#[cfg(test)]
#[path = "discovery_tests.rs"]
mod tests;
