//! The backend contract: what every signing backend provides.
//!
//! A backend is a value that names itself and the library it wraps, lists the algorithms it
//! implements, and turns a [`Jwk`] plus an [`Algorithm`] into a [`Signer`] or a [`Verifier`].
//! The algorithm is bound to the key at that moment and never changes: the decoder compares
//! the token's `alg` with [`Verifier::algorithm`] before any signature byte is looked at.
//!
//! Signers and verifiers are the hot path. They hold the key in the library's prepared form
//! (keyed HMAC state, parsed RSA or EC public key), so nothing is parsed again per token.
//! Both traits are object-safe, so key sets and tools hold `Box<dyn Verifier>`.
//!
//! # Writing a backend
//!
//! This module is the backend author's toolbox; an application needs none of it. A backend:
//!
//! 1. Starts every constructor with [`ensure_supported`] (or [`ensure_family`] in a typed
//!    constructor), then takes the key through one of the typed accessors, [`Jwk::oct_for`],
//!    [`Jwk::rsa_for`], [`Jwk::ec_for`], [`Jwk::okp_for`] or [`Jwk::akp_for`] (ML-DSA). They run [`Jwk::check_for`]: the
//!    algorithm binding, `use`/`key_ops`, key strength, and every key rule that needs no curve
//!    arithmetic ([`rules`]). A constructor from raw bytes calls the [`rules`] function for its
//!    key type instead.
//! 2. Adds what only its library can compute, mapped to the same errors as every other backend:
//!    a public point that does not decode is [`not_on_curve`]; a verifier, signer or public key
//!    made from a *private* JWK derives the public key from `d` and compares it with the
//!    members given ([`check_public_matches`]).
//! 3. Holds the key in its library's most prepared form; `verify` starts with
//!    [`check_signature_len`] and compares MACs in constant time.
//! 4. Is listed in the facade's `backends()`: every suite of `tessera-conformance` (vectors,
//!    Wycheproof, attacks, the cross-backend and key-acceptance matrices) then runs on it, and
//!    the facade's checklist test fails until it does.

use crate::alg::Algorithm;
use crate::error::{KeyError, SignError, SignatureError};
use crate::jwk::Jwk;
use std::fmt;

pub mod rules;
mod support;

pub use crate::alg::{Family, Hash, ecdsa_low_s};
pub use crate::error::KeyRule;
pub use crate::jwk::{MIN_RSA_BITS, check_hmac_secret, check_rsa_bits};
pub use rules::{MAX_RSA_BITS, bit_len, unsigned};
pub use support::{
    check_public_matches, check_signature_len, ensure_family, not_for, not_on_curve,
    sec1_uncompressed,
};

/// Makes signatures with one key for one algorithm.
pub trait Signer: Send + Sync + fmt::Debug {
    /// The algorithm this signer was made for.
    fn algorithm(&self) -> Algorithm;

    /// The key's `kid`, written into the header by default.
    fn key_id(&self) -> Option<&str>;

    /// Signs the exact signing input (`BASE64URL(header) || '.' || BASE64URL(payload)`),
    /// appending the raw signature bytes to `out`.
    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError>;
}

/// Checks signatures with one key for one algorithm.
pub trait Verifier: Send + Sync + fmt::Debug {
    /// The algorithm this verifier was made for; the only one it accepts.
    fn algorithm(&self) -> Algorithm;

    /// The key's `kid`.
    fn key_id(&self) -> Option<&str>;

    /// Length in bytes of every valid signature for this key and algorithm; the decoder refuses
    /// other lengths before decoding the signature.
    fn signature_len(&self) -> usize;

    /// Verifies `signature` over the exact signing input received (never a re-serialized header).
    /// MACs are compared in constant time.
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError>;
}

/// The crypto library behind a backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Library {
    /// Crate or library name, e.g. `"ring"` or `"RustCrypto rsa"`.
    pub name: &'static str,
    /// Its version as built.
    pub version: &'static str,
}

/// What key to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// The algorithm the key is for; it fixes the key type and curve.
    pub alg: Algorithm,
    /// Key size in bits: the RSA modulus (default 2048) or the HMAC secret (default the hash
    /// output size). Ignored for elliptic curves.
    pub bits: Option<usize>,
}

impl KeySpec {
    /// A key for `alg` of the default size.
    pub const fn new(alg: Algorithm) -> Self {
        KeySpec { alg, bits: None }
    }

    /// A key of `bits` bits.
    pub const fn bits(mut self, bits: usize) -> Self {
        self.bits = Some(bits);
        self
    }
}

/// A signing backend: one crypto library behind the tessera contract.
///
/// Implementations are plain values (usually unit structs); the facade and the conformance
/// suite hold them as `&'static dyn Backend` in a list, as rustls holds its crypto providers.
pub trait Backend: Send + Sync + fmt::Debug {
    /// The backend's crate name, e.g. `"tessera-hmac"`.
    fn name(&self) -> &'static str;

    /// The crypto library it wraps.
    fn library(&self) -> Library;

    /// Every algorithm it implements; any other is [`KeyError::Unsupported`].
    fn algorithms(&self) -> &'static [Algorithm];

    /// Whether it implements `alg`.
    fn supports(&self, alg: Algorithm) -> bool {
        self.algorithms().contains(&alg)
    }

    /// A signer for `alg` from a private key (a secret for HMAC).
    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError>;

    /// A verifier for `alg` from a public key (a private key's public half is used; a secret for HMAC).
    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError>;

    /// Generates a new private key (a secret for HMAC) as a JWK with `alg` set.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError>;

    /// The public JWK of a private key, derived by the backend's library when the key source
    /// omitted it (a PKCS#8 v1 Ed25519 key, say). The default takes the public members as given.
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        key.to_public()
    }
}

/// Refuses `alg` unless `backend` lists it; the first check of every `signer`/`verifier`.
pub fn ensure_supported(backend: &dyn Backend, alg: Algorithm) -> Result<(), KeyError> {
    if backend.supports(alg) {
        Ok(())
    } else {
        Err(KeyError::Unsupported {
            backend: backend.name(),
            alg,
        })
    }
}
