//! The codec of tessera: everything about JSON Web Tokens except the cryptography.
//!
//! - [`b64`]: strict base64url.
//! - [`Header`], [`RegisteredClaims`], [`Claims`]: the JOSE header and the claims (RFC 7515 §4,
//!   RFC 7519 §4), with a strict JSON check that refuses duplicate members and deep nesting.
//! - [`verify`], [`decode`], [`verify_into`], [`Encoder`]: the compact form (RFC 7515 §7.1).
//! - [`Validation`]: claims rules configured once, reused for many tokens.
//! - [`Jwk`], [`JwkSet`]: keys, with PEM/DER import and export and RFC 7638 thumbprint input.
//! - [`Backend`], [`Signer`], [`Verifier`]: the contract every signing backend implements;
//!   [`backend`] holds what a backend author needs besides (typed key accessors, the key rules,
//!   the shared checks).
//! - [`unverified`]: reading a token without checking it, for debugging only.
//!
//! Signing and verifying need a backend; the `tessera` facade crate wires them together.

#![forbid(unsafe_code)]

mod akp;
mod alg;
pub mod b64;
pub mod backend;
mod claims;
mod compact;
mod error;
mod header;
mod json;
mod jwk;
mod pem;
mod validation;

pub use alg::{Algorithm, EcCurve, Family, Hash, ML_DSA_SEED_LEN, MlDsaSizes, UnknownAlgorithm};
pub use backend::{Backend, KeySpec, Library, Signer, Verifier};

pub use claims::{Audience, Claim, ClaimName, Claims, MAX_NUMERIC_DATE, RegisteredClaims};
pub use compact::{
    BatchVerifier, Encoder, Verified, VerifiedJws, VerifierSet, VerifierSetError, decode, encode,
    unverified, verify, verify_batch, verify_into, verify_jws,
};
pub use error::{
    ClaimCheckError, DecodeError, EncodeError, Error, JsonError, KeyError, KeyRule, Segment,
    SignError, SignatureError, ValidationError,
};
pub use header::{Header, REGISTERED_HEADERS};
pub use json::MAX_DEPTH_CAP;
pub use jwk::{
    AkpKey, EcKey, Jwk, JwkSet, KeyMaterial, KeyUse, MAX_JWK_SET_SIZE, MAX_JWK_SIZE, MIN_RSA_BITS,
    OkpKey, RsaKey, RsaPrimes, RsaPrivate, Secret,
};
pub use pem::MAX_KEY_FILE_SIZE;
pub use validation::{Clock, DEFAULT_MAX_DEPTH, DEFAULT_MAX_TOKEN_SIZE, Validation};
