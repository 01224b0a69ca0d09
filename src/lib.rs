//! # tessera
//!
//! JSON Web Tokens (RFC 7519) signed as compact JWS (RFC 7515) with the algorithms of RFC 7518,
//! RFC 8037 and RFC 8812, over pluggable signing backends that are tested against each other.
//!
//! This facade re-exports the codec ([`tessera_codec`]) and the backends enabled by cargo
//! features, and picks a default backend for each algorithm.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use tessera::{Algorithm, Clock, Encoder, Jwk, Validation};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Claims<'a> { sub: &'a str, exp: i64, role: &'a str }
//!
//! let key = Jwk::oct(b"an HS256 secret of thirty-two bytes or more".to_vec());
//! let signer = tessera::signer(&key, Algorithm::HS256)?;
//! let token = Encoder::new(signer).encode(&Claims { sub: "alice", exp: 2_000_000_000, role: "admin" })?;
//!
//! // The verifier's key fixes the algorithm: the token's header cannot choose another.
//! let verifier = tessera::verifier(&key, Algorithm::HS256)?;
//! let rules = Validation::new().clock(Clock::Fixed(1_700_000_000));
//! let verified = tessera::verify(&token, &verifier, &rules)?;
//! let claims: Claims<'_> = verified.claims()?; // borrows from the decoded payload
//! assert_eq!((claims.sub, claims.role), ("alice", "admin"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Backends, each behind a cargo feature: `hmac`, `rsa`, `ecdsa`, `ed25519` (pure Rust, RustCrypto and
//! dalek) and `ring`, `aws-lc`, `openssl` (native). Unlike a process-global provider, any number of
//! them can be enabled together: [`backends`] lists them, [`backend`] picks one by name, and
//! [`default_backend`] gives the first that supports an algorithm.

#![forbid(unsafe_code)]

pub use tessera_codec::*;

#[cfg(feature = "aws-lc")]
pub use tessera_aws_lc;
#[cfg(feature = "ecdsa")]
pub use tessera_ecdsa;
#[cfg(feature = "ed25519")]
pub use tessera_ed25519;
#[cfg(feature = "hmac")]
pub use tessera_hmac;
#[cfg(feature = "openssl")]
pub use tessera_openssl;
#[cfg(feature = "ring")]
pub use tessera_ring;
#[cfg(feature = "rsa")]
pub use tessera_rsa;

use sha2::{Digest, Sha256};

/// Every backend compiled in, in order of preference: the first that supports an algorithm is
/// that algorithm's default. Pure-Rust backends come first (they build everywhere and are the
/// defaults); native ones follow, for callers who pick them by name.
#[allow(
    clippy::vec_init_then_push,
    reason = "each push is behind its own feature"
)]
pub fn backends() -> Vec<&'static dyn Backend> {
    let mut v: Vec<&'static dyn Backend> = Vec::new();
    #[cfg(feature = "hmac")]
    v.push(&tessera_hmac::HmacBackend);
    #[cfg(feature = "rsa")]
    v.push(&tessera_rsa::RsaBackend);
    #[cfg(feature = "ecdsa")]
    v.push(&tessera_ecdsa::EcdsaBackend);
    #[cfg(feature = "ed25519")]
    v.push(&tessera_ed25519::Ed25519Backend);
    #[cfg(feature = "ring")]
    v.push(&tessera_ring::RingBackend);
    #[cfg(feature = "aws-lc")]
    v.push(&tessera_aws_lc::AwsLcBackend);
    #[cfg(feature = "openssl")]
    v.push(&tessera_openssl::OpensslBackend);
    v
}

/// A backend by its name (e.g. `"tessera-hmac"`), if compiled in.
pub fn backend(name: &str) -> Option<&'static dyn Backend> {
    backends().into_iter().find(|b| b.name() == name)
}

/// The default backend for `alg`, if any compiled-in backend supports it.
pub fn default_backend(alg: Algorithm) -> Option<&'static dyn Backend> {
    backends().into_iter().find(|b| b.supports(alg))
}

fn no_backend(alg: Algorithm) -> KeyError {
    KeyError::Unsupported {
        backend: "tessera (no enabled backend)",
        alg,
    }
}

/// A signer for `alg` from `key`, on the default backend.
pub fn signer(key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
    default_backend(alg)
        .ok_or_else(|| no_backend(alg))?
        .signer(key, alg)
}

/// A verifier for `alg` from `key`, on the default backend.
pub fn verifier(key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
    default_backend(alg)
        .ok_or_else(|| no_backend(alg))?
        .verifier(key, alg)
}

/// Generates a key for `spec` on the default backend.
pub fn generate(spec: KeySpec) -> Result<Jwk, KeyError> {
    default_backend(spec.alg)
        .ok_or_else(|| no_backend(spec.alg))?
        .generate(spec)
}

/// The RFC 7638 JWK thumbprint (SHA-256, base64url), the usual `kid`.
pub fn thumbprint(key: &Jwk) -> Result<String, KeyError> {
    let input = key.thumbprint_input()?;
    Ok(b64::encode(&Sha256::digest(input.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_thumbprint() {
        // RFC 7638 §3.1.
        let k = Jwk::from_json(br#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB"}"#).unwrap();
        assert_eq!(
            thumbprint(&k).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn default_backend_for_hmac() {
        assert_eq!(
            default_backend(Algorithm::HS256).map(|b| b.name()),
            Some("tessera-hmac")
        );
    }
}
