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

mod signer;
mod verifier;

#[cfg(test)]
#[path = "../../tessera-mldsa/src/tests.rs"]
mod tests;
/// The types the shared unit tests (`tessera-mldsa/src/tests.rs`) run on.
#[cfg(test)]
mod under_test {
    pub use crate::{
        Fips204Backend as TheBackend, Fips204Signer as TheSigner, Fips204Verifier as TheVerifier,
    };
    pub const BACKEND_NAME: &str = "tessera-fips204";
    pub const SIGNER_TYPE: &str = "tessera-fips204 Fips204Signer";
    pub const VERIFIER_TYPE: &str = "tessera-fips204 Fips204Verifier";
}

pub use signer::Fips204Signer;
pub use verifier::Fips204Verifier;

use tessera_codec::backend::ensure_supported;
use tessera_codec::{
    AkpKey, Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeySpec, Library, ML_DSA_SEED_LEN,
    Secret, Signer, Verifier,
};
use zeroize::Zeroizing;

/// The backend's name, as [`Backend::name`] gives it.
const NAME: &str = "tessera-fips204";

const ALGORITHMS: &[Algorithm] = &[Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

/// The `fips204` backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fips204Backend;

impl Backend for Fips204Backend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "fips204",
            version: "0.5",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(Fips204Signer::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(Fips204Verifier::from_jwk(key, alg)?))
    }

    /// A random 32-byte seed from the operating system's generator, as an AKP JWK with `alg`,
    /// `pub` and `priv`. `spec.bits` is ignored.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let mut seed = Zeroizing::new([0u8; ML_DSA_SEED_LEN]);
        getrandom::fill(seed.as_mut()).map_err(|e| KeyError::Generation(e.to_string()))?;
        let public = Fips204Signer::new(spec.alg, seed.as_ref())?.public_key();
        Ok(Jwk::new(KeyMaterial::Akp(AkpKey {
            alg: spec.alg,
            public,
            seed: Some(Secret::new(seed.to_vec())),
        })))
    }

    /// The public JWK; for an AKP private key, `pub` is derived from the seed and, when the key
    /// has `pub`, checked against it
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)). Other key types
    /// are passed to [`Jwk::to_public`].
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        let KeyMaterial::Akp(akp) = &key.material else {
            return key.to_public();
        };
        let complete = Jwk {
            kid: key.kid.clone(),
            alg: key.alg.clone(),
            key_use: key.key_use.clone(),
            key_ops: key.key_ops.clone(),
            material: KeyMaterial::Akp(AkpKey {
                alg: akp.alg,
                public: verifier::public_bytes(akp)?,
                seed: None,
            }),
        };
        complete.to_public()
    }
}
