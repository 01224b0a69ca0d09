//! ML-DSA (FIPS 204) for JOSE (RFC 9964) in tessera, on RustCrypto `ml-dsa`: `ML-DSA-44`,
//! `ML-DSA-65` and `ML-DSA-87` with `AKP` keys.
//!
//! # Keys
//!
//! A private key is the 32-byte seed `ξ` (the JWK `priv`, RFC 9964 §3); the signer expands it
//! once (FIPS 204 Algorithm 6, `ML-DSA.KeyGen_internal`) and holds the expanded key. A private
//! JWK's `pub`, when present, must be the public key of its seed
//! ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)); a PKCS#8 seed without
//! its public key has it derived ([`Backend::public_key`](tessera_codec::Backend::public_key)). A verifier decodes the public key
//! once and keeps the expanded matrix `Â`, so `verify` does no key work. The codec checks the
//! lengths and that an AKP key is used only for its own `alg` ([`Jwk::akp_for`](tessera_codec::Jwk::akp_for)).
//!
//! # Signing
//!
//! [`MlDsaSigner`] signs with an empty context string. By default it uses FIPS 204's
//! deterministic variant (Algorithm 2 with `rnd` = 32 zero bytes): the same key and input give
//! the same signature, so tokens can be compared byte for byte across backends, and signing
//! needs no random number generator. [`MlDsaSigner::hedged`] switches one signer to the hedged
//! variant (a fresh 32-byte `rnd` from the operating system per signature), which FIPS 204
//! §3.4 recommends where side channels or fault attacks are a concern. Both kinds of signature
//! verify under the same rules.
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, Clock, Encoder, KeySpec, Validation};
//! use tessera_mldsa::{MlDsaBackend, MlDsaSigner, MlDsaVerifier};
//!
//! let key = MlDsaBackend.generate(KeySpec::new(Algorithm::MlDsa44)).unwrap();
//! let encoder = Encoder::new(MlDsaSigner::from_jwk(&key, Algorithm::MlDsa44).unwrap());
//! let token = encoder
//!     .encode(&serde_json::json!({"sub": "alice", "exp": 2_000_000_000}))
//!     .unwrap();
//! let public = MlDsaBackend.public_key(&key).unwrap();
//! let verifier = MlDsaVerifier::from_jwk(&public, Algorithm::MlDsa44).unwrap();
//! let validation = Validation::new().clock(Clock::Fixed(1_700_000_000));
//! assert!(tessera_codec::verify(&token, &verifier, &validation).is_ok());
//! ```

#![forbid(unsafe_code)]

// The backend contract, JWK constructors, setters and trait impls, shared with tessera-fips204.
mod shared;
mod signer;
mod verifier;

#[cfg(test)]
mod tests;

/// This crate's types and names, as the code shared with tessera-fips204 (`shared.rs`) and the
/// shared unit tests (`tests.rs`) name them.
mod own {
    pub use crate::{
        MlDsaBackend as TheBackend, MlDsaSigner as TheSigner, MlDsaVerifier as TheVerifier,
    };
    use tessera_codec::Library;
    /// The backend's name, as [`Backend::name`](tessera_codec::Backend::name) gives it.
    pub const NAME: &str = "tessera-mldsa";
    /// The library, as [`Backend::library`](tessera_codec::Backend::library) gives it.
    pub const LIBRARY: Library = Library {
        name: "RustCrypto ml-dsa",
        version: "0.1",
    };
    /// The types' names, in `Debug` output and in errors (as `"tessera-mldsa MlDsaSigner"`).
    pub const SIGNER: &str = "MlDsaSigner";
    pub const VERIFIER: &str = "MlDsaVerifier";
    pub const SIGNER_TYPE: &str = "tessera-mldsa MlDsaSigner";
    pub const VERIFIER_TYPE: &str = "tessera-mldsa MlDsaVerifier";
    #[cfg(test)]
    pub const BACKEND_NAME: &str = NAME;
}

pub use signer::MlDsaSigner;
pub use verifier::MlDsaVerifier;

/// The RustCrypto `ml-dsa` backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct MlDsaBackend;
