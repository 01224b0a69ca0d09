//! Finding an issuer's `jwks_uri`: OpenID Connect Discovery 1.0 §4, then RFC 8414 §3.

use crate::fetch;
use crate::{JwksConfig, JwksError};
use http::Uri;
use serde::Deserialize;

/// The members of the metadata document used here.
#[derive(Deserialize)]
struct Metadata {
    issuer: Option<String>,
    jwks_uri: Option<String>,
}

/// The two well-known URLs of `issuer`, in the order tried: OpenID Connect appends
/// `/.well-known/openid-configuration` to the issuer; RFC 8414 inserts
/// `/.well-known/oauth-authorization-server` between the host and the issuer's path.
pub fn metadata_urls(issuer: &str) -> [String; 2] {
    let trimmed = issuer.trim_end_matches('/');
    let oidc = format!("{trimmed}/.well-known/openid-configuration");
    let (origin, path) = match trimmed.find("://").map(|i| i + 3) {
        Some(start) => match trimmed[start..].find('/') {
            Some(slash) => trimmed.split_at(start + slash),
            None => (trimmed, ""),
        },
        None => (trimmed, ""),
    };
    [
        oidc,
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
    ]
}

/// The `jwks_uri` of `issuer`, from the first well-known document found (a 404 moves on to the next).
pub(crate) async fn jwks_uri(issuer: &str, config: &JwksConfig) -> Result<Uri, JwksError> {
    let mut last = JwksError::Status(404);
    for url in metadata_urls(issuer) {
        let uri = fetch::check_url(&url, config)?;
        let fetched = match fetch::get(&uri, "application/json", config).await {
            Ok(f) => f,
            Err(e @ JwksError::Status(404)) => {
                last = e;
                continue;
            }
            Err(e) => return Err(e),
        };
        return parse(issuer, &fetched.body, config);
    }
    Err(last)
}

fn parse(issuer: &str, body: &[u8], config: &JwksConfig) -> Result<Uri, JwksError> {
    // serde refuses a duplicated `issuer` or `jwks_uri`; the codec's strict checker is not public.
    let meta: Metadata =
        serde_json::from_slice(body).map_err(|e| JwksError::InvalidMetadata(e.to_string()))?;
    let found = meta
        .issuer
        .ok_or_else(|| JwksError::InvalidMetadata("no issuer".into()))?;
    if found != issuer {
        return Err(JwksError::IssuerMismatch {
            expected: issuer.to_owned(),
            found: found.chars().take(200).collect(),
        });
    }
    let jwks = meta
        .jwks_uri
        .ok_or_else(|| JwksError::InvalidMetadata("no jwks_uri".into()))?;
    fetch::check_url(&jwks, config)
}
