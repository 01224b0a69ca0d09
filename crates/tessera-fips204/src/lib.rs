//! ML-DSA (FIPS 204) for JOSE (RFC 9964) in tessera, on the `fips204` crate (IntegrityChain):
//! a second implementation, independent of RustCrypto `ml-dsa`, so the conformance suites can
//! compare the two byte for byte.
//!
//! Keys, signing modes and errors are those of `tessera-mldsa`: the private key is the 32-byte
//! seed, expanded once by the signer; a private JWK's `pub` must be its seed's public key
//! ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)); signing uses an empty
//! context and FIPS 204's deterministic variant (`rnd` = 32 zero bytes) unless the signer is
//! made [`hedged`](Fips204Signer::hedged), when `rnd` comes from the operating system.
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, Clock, Encoder, KeySpec, Validation};
//! use tessera_fips204::{Fips204Backend, Fips204Signer, Fips204Verifier};
//!
//! let key = Fips204Backend.generate(KeySpec::new(Algorithm::MlDsa65)).unwrap();
//! let encoder = Encoder::new(Fips204Signer::from_jwk(&key, Algorithm::MlDsa65).unwrap());
//! let token = encoder
//!     .encode(&serde_json::json!({"sub": "alice", "exp": 2_000_000_000}))
//!     .unwrap();
//! let public = Fips204Backend.public_key(&key).unwrap();
//! let verifier = Fips204Verifier::from_jwk(&public, Algorithm::MlDsa65).unwrap();
//! let validation = Validation::new().clock(Clock::Fixed(1_700_000_000));
//! assert!(tessera_codec::verify(&token, &verifier, &validation).is_ok());
//! ```

#![forbid(unsafe_code)]

// The backend contract, JWK constructors, setters and trait impls, shared with tessera-mldsa.
#[path = "../../tessera-mldsa/src/shared.rs"]
mod shared;
mod signer;
mod verifier;

#[cfg(test)]
#[path = "../../tessera-mldsa/src/tests.rs"]
mod tests;

/// This crate's types and names, as the code shared with tessera-mldsa (`shared.rs`) and the
/// shared unit tests (`tests.rs`) name them.
mod own {
    pub use crate::{
        Fips204Backend as TheBackend, Fips204Signer as TheSigner, Fips204Verifier as TheVerifier,
    };
    use tessera_codec::Library;
    /// The backend's name, as [`Backend::name`](tessera_codec::Backend::name) gives it.
    pub const NAME: &str = "tessera-fips204";
    /// The library, as [`Backend::library`](tessera_codec::Backend::library) gives it.
    pub const LIBRARY: Library = Library {
        name: "fips204",
        version: "0.5",
    };
    /// The types' names, in `Debug` output and in errors (as `"tessera-fips204 Fips204Signer"`).
    pub const SIGNER: &str = "Fips204Signer";
    pub const VERIFIER: &str = "Fips204Verifier";
    pub const SIGNER_TYPE: &str = "tessera-fips204 Fips204Signer";
    pub const VERIFIER_TYPE: &str = "tessera-fips204 Fips204Verifier";
    #[cfg(test)]
    pub const BACKEND_NAME: &str = NAME;
}

pub use signer::Fips204Signer;
pub use verifier::Fips204Verifier;

/// The `fips204` backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fips204Backend;
