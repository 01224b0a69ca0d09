//! # tessera
//!
//! JSON Web Tokens (RFC 7519) signed as compact JWS (RFC 7515) with the algorithms of RFC 7518,
//! RFC 8037 and RFC 8812, over pluggable signing backends that are tested against each other.
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
//! # What is where
//!
//! The crate root holds what an application uses: the verify and encode entry points, the
//! rules ([`Validation`]), keys ([`Jwk`], [`JwkSet`], [`VerifierSet`]), [`Algorithm`], the
//! errors, and the backend choice ([`signer`], [`verifier`], [`generate`], [`BackendId`]).
//! [`backend`] holds what a backend author needs (the key material types, the key rules, the
//! shared checks); [`codec`] is the whole codec, for anything else.
//!
//! # Which verify entry point
//!
//! | you have | call | you get |
//! |---|---|---|
//! | a JWT and one key | [`verify`] | [`Verified`]: typed claims borrowed from the payload, after [`Validation`] |
//! | the same, on a hot path that must not allocate | [`verify_into`] | the same, decoded into your buffer |
//! | the same, and want owned claims in one call | [`decode`] | your `T: DeserializeOwned` |
//! | several keys you hold (rotation) | [`VerifierSet`] | picks the key by `kid`, then as [`verify`] |
//! | an issuer's JWK Set | [`verifier_set_from_jwks`] | [`JwksVerifiers`] (by `kid` and `alg`) and a report of the keys skipped and why; `tessera-jwks` fetches and caches the set over HTTP |
//! | many tokens under one Ed25519 key | [`verify_batch`] | one result per token |
//! | a JWS whose payload is not JWT claims | [`verify_jws`] | header and payload bytes; no claims rules run |
//!
//! # Backends
//!
//! Each behind a cargo feature: `hmac`, `rsa`, `ecdsa`, `ed25519` (pure Rust, RustCrypto and
//! dalek; the default), `mldsa` and `fips204` (ML-DSA, RFC 9964, on RustCrypto `ml-dsa` and on
//! `fips204`; pure Rust, not in the default) and `ring`, `aws-lc` (ML-DSA too), `openssl` (native). Unlike a process-global provider,
//! any number can be enabled together: [`backends`] lists them, [`BackendId`] names one exactly,
//! and [`default_backend_for`] gives the documented default per algorithm and operation (the
//! table is in [`choice`]).

#![forbid(unsafe_code)]

pub mod choice;
pub mod keyset;

pub use choice::{
    BackendId, NotCompiledIn, Operation, backend_named, backends, default_backend,
    default_backend_for,
};
pub use keyset::{
    JwksVerifiers, KeyChoice, KeySetReport, SkipReason, SkippedKey, verifier_set_from_jwks,
};
pub use tessera_codec::{
    Algorithm, Audience, Backend, Claim, ClaimCheckError, ClaimName, Claims, Clock, DecodeError,
    EncodeError, Encoder, Error, Header, Jwk, JwkSet, KeyError, KeyRule, KeySpec, RegisteredClaims,
    SignatureError, Signer, Validation, ValidationError, Verified, VerifiedJws, Verifier,
    VerifierSet, VerifierSetError, decode, encode, unverified, verify, verify_batch, verify_into,
    verify_jws,
};

/// The whole codec ([`tessera_codec`]): base64url, the JSON check, header, claims, keys.
pub use tessera_codec as codec;

/// For backend authors: the contract's helpers, the key material types and the key rules.
///
/// An application needs none of this; see [`tessera_codec::backend`] for how a backend is
/// written and which invariants it keeps.
pub mod backend {
    pub use tessera_codec::backend::*;
    pub use tessera_codec::{
        AkpKey, BatchVerifier, EcCurve, EcKey, JsonError, KeyMaterial, KeyUse, Library,
        MAX_JWK_SET_SIZE, MAX_JWK_SIZE, OkpKey, RsaKey, RsaPrimes, RsaPrivate, Secret, Segment,
        SignError,
    };
}

#[cfg(feature = "aws-lc")]
pub use tessera_aws_lc;
#[cfg(feature = "ecdsa")]
pub use tessera_ecdsa;
#[cfg(feature = "ed25519")]
pub use tessera_ed25519;
#[cfg(feature = "fips204")]
pub use tessera_fips204;
#[cfg(feature = "hmac")]
pub use tessera_hmac;
#[cfg(feature = "mldsa")]
pub use tessera_mldsa;
#[cfg(feature = "openssl")]
pub use tessera_openssl;
#[cfg(feature = "ring")]
pub use tessera_ring;
#[cfg(feature = "rsa")]
pub use tessera_rsa;

use sha2::{Digest, Sha256};

/// A signer for `alg` from `key`, on the default signing backend (see [`choice`]).
pub fn signer(key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
    choice::default_or_error(alg, Operation::Sign)?.signer(key, alg)
}

/// A verifier for `alg` from `key`, on the default verifying backend (see [`choice`]).
pub fn verifier(key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
    choice::default_or_error(alg, Operation::Verify)?.verifier(key, alg)
}

/// Generates a key for `spec` on the default generating backend (see [`choice`]).
pub fn generate(spec: KeySpec) -> Result<Jwk, KeyError> {
    choice::default_or_error(spec.alg, Operation::Generate)?.generate(spec)
}

/// The RFC 7638 JWK thumbprint (SHA-256, base64url), the usual `kid`.
pub fn thumbprint(key: &Jwk) -> Result<String, KeyError> {
    let input = key.thumbprint_input()?;
    Ok(codec::b64::encode(&Sha256::digest(input.as_bytes())))
}

#[cfg(test)]
mod tests;
