//! An issuer's JSON Web Key Set fetched over HTTPS, cached and refreshed, for verifying tessera
//! JWTs: [`RemoteJwks::new`] for a JWKS URL, [`RemoteJwks::discover`] for an issuer (OpenID
//! Connect Discovery, RFC 8414).
//!
//! ```no_run
//! # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use tessera::Validation;
//! use tessera_jwks::{JwksConfig, RemoteJwks, VerifyError};
//!
//! let issuer = "https://auth.example.com";
//! let keys = RemoteJwks::discover(issuer, JwksConfig::new())?;
//! let rules = Validation::new().issuer(issuer).audience("api").typ("at+jwt");
//! match keys.verify(token, &rules).await {
//!     Ok(verified) => println!("{}", String::from_utf8_lossy(verified.payload())),
//!     Err(VerifyError::Token(e)) => println!("401: {e}"),
//!     Err(VerifyError::Keys(e)) => println!("503: {e}"),
//!     Err(e) => println!("{e}"),
//! }
//! # Ok(()) }
//! ```
//!
//! # When it fetches
//!
//! - **First use**: the first [`RemoteJwks::verify`] (or [`RemoteJwks::refresh`]) fetches; with
//!   discovery, the metadata document first (once: the `jwks_uri` is kept).
//! - **Lifetime**: a set is fresh for the response's `Cache-Control: max-age`, clamped to
//!   [`JwksConfig::lifetime_bounds`] (30 s to 24 h), or [`JwksConfig::lifetime`] (10 min) without
//!   one. A token arriving after that refetches.
//! - **Unknown `kid`**: a token whose `kid` the set lacks refetches, at most once per
//!   [`JwksConfig::cooldown`] (30 s) counted from the last fetch, so a flood of made-up `kid`s
//!   costs the issuer one request per cooldown. After the refetch the token is judged by the new set.
//! - **One fetch in flight**: callers arriving while a fetch runs wait for it and use its result.
//! - **Failures never empty the cache**: when a refresh fails, the last good set keeps serving for
//!   [`JwksConfig::max_stale`] (1 h) past its lifetime, retried at most once per cooldown; then
//!   [`JwksError::Stale`]. Without any good set, [`JwksError::NoKeys`]. Either way
//!   [`VerifyError::Keys`]: the issuer is down, the token may be fine (answer 503, not 401).
//!
//! # What it refuses
//!
//! `http` URLs unless [`JwksConfig::allow_http`]; redirects to another origin (scheme, host,
//! port; same-origin ones are followed, at most 3); responses over [`JwksConfig::max_size`]
//! before they are parsed; a body that fails the codec's strict JSON check ([`tessera::JwkSet::from_json`]:
//! duplicate members, depth, size) before any key is parsed; a discovery document naming another
//! issuer. It sends `Accept: application/jwk-set+json, application/json`. Keys become verifiers
//! by [`verifier_set_from_jwks`] with the configured [`KeyChoice`]: a key's algorithm comes from
//! the key or the caller, never from a token; skipped keys are listed in
//! [`RemoteJwks::last_report`].
//!
//! # Why hyper and not reqwest
//!
//! A JWKS client makes one small GET every few minutes. hyper (HTTP/1.1 client connection) and
//! hyper-util are already in the build through axum; tokio-rustls with ring (already in the
//! workspace) and `webpki-roots` add TLS. reqwest would add its own stack (pooling, cookies, proxies,
//! decompression, `url`) and follow redirects by its own policy; here the limits above are a
//! few lines each and cannot be configured away by accident.
//!
//! # Key sets without HTTP
//!
//! [`verifier_set_from_jwks`] is usable on its own, with a [`tessera::JwkSet`] from anywhere:
//!
//! ```
//! use tessera::{Algorithm, Jwk, JwkSet, Validation};
//! use tessera_jwks::{KeyChoice, SkipReason, verifier_set_from_jwks};
//!
//! let key = Jwk::oct(b"an HS256 secret of thirty-two bytes or more".to_vec()).with_kid("k1");
//! let set = JwkSet { keys: vec![key.clone().with_alg(Algorithm::HS256)], skipped: 0 };
//! // Symmetric keys are refused unless the caller asks for them (a published set holds public keys).
//! let (_, report) = verifier_set_from_jwks(&set, &KeyChoice::new());
//! assert!(matches!(report.skipped[0].reason, SkipReason::Symmetric));
//! let (verifiers, report) = verifier_set_from_jwks(&set, &KeyChoice::new().allow_symmetric());
//! assert!(report.skipped.is_empty());
//!
//! let token = tessera::Encoder::new(tessera::signer(&key, Algorithm::HS256)?)
//!     .kid("k1")
//!     .encode(&serde_json::json!({ "sub": "alice", "exp": 4_000_000_000_i64 }))?;
//! let verified = verifiers.verify(&token, &Validation::new())?;
//! assert_eq!(verified.algorithm(), Algorithm::HS256);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Counters
//!
//! [`RemoteJwks::stats`]: fetches, errors, cache hits, unknown-`kid` refetches, stale serves.

#![forbid(unsafe_code)]

mod config;
mod discovery;
mod error;
mod fetch;
mod remote;
pub mod rfc9068;

pub use config::{JwksConfig, ManualClock, SystemClock, TimeSource};
pub use discovery::metadata_urls;
pub use error::{JwksError, VerifyError};
pub use fetch_api::max_age_of;
pub use remote::{JwksStats, RemoteJwks};
pub use tessera::keyset::{
    JwksVerifiers, KeyChoice, KeySetReport, MAX_CANDIDATES, SkipReason, SkippedKey,
    verifier_set_from_jwks,
};

mod fetch_api {
    /// The lifetime a `Cache-Control` header asks for (`max-age`; `no-store`/`no-cache` give zero).
    pub fn max_age_of(cache_control: &str) -> Option<std::time::Duration> {
        let value = http::HeaderValue::from_str(cache_control).ok()?;
        crate::fetch::max_age(std::iter::once(&value))
    }
}
