//! ML-DSA (FIPS 204) for JOSE (RFC 9964) in tessera, on RustCrypto `ml-dsa`: `ML-DSA-44`,
//! `ML-DSA-65` and `ML-DSA-87` with `AKP` keys.
//!
//! # Keys
//!
//! A private key is the 32-byte seed `ξ` (the JWK `priv`, RFC 9964 §3); the signer expands it
//! once (FIPS 204 Algorithm 6, `ML-DSA.KeyGen_internal`) and holds the expanded key. A private
//! JWK's `pub`, when present, must be the public key of its seed
//! ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)); a PKCS#8 seed without
//! its public key has it derived ([`Backend::public_key`]). A verifier decodes the public key
//! once and keeps the expanded matrix `Â`, so `verify` does no key work. The codec checks the
//! lengths and that an AKP key is used only for its own `alg` ([`Jwk::akp_for`]).
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

mod signer;
mod verifier;

#[cfg(test)]
mod tests;
/// The types the shared unit tests (`tessera-mldsa/src/tests.rs`) run on.
#[cfg(test)]
mod under_test {
    pub use crate::{
        MlDsaBackend as TheBackend, MlDsaSigner as TheSigner, MlDsaVerifier as TheVerifier,
    };
    pub const BACKEND_NAME: &str = "tessera-mldsa";
    pub const SIGNER_TYPE: &str = "tessera-mldsa MlDsaSigner";
    pub const VERIFIER_TYPE: &str = "tessera-mldsa MlDsaVerifier";
}

pub use signer::MlDsaSigner;
pub use verifier::MlDsaVerifier;

use tessera_codec::backend::ensure_supported;
use tessera_codec::{
    AkpKey, Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeySpec, Library, ML_DSA_SEED_LEN,
    Secret, Signer, Verifier,
};
use zeroize::Zeroizing;

/// The backend's name, as [`Backend::name`] gives it.
const NAME: &str = "tessera-mldsa";

const ALGORITHMS: &[Algorithm] = &[Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

/// The RustCrypto `ml-dsa` backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct MlDsaBackend;

impl Backend for MlDsaBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "RustCrypto ml-dsa",
            version: "0.1",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(MlDsaSigner::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(MlDsaVerifier::from_jwk(key, alg)?))
    }

    /// A random 32-byte seed from the operating system's generator, as an AKP JWK with `alg`,
    /// `pub` and `priv`. `spec.bits` is ignored.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let mut seed = Zeroizing::new([0u8; ML_DSA_SEED_LEN]);
        getrandom::fill(seed.as_mut()).map_err(|e| KeyError::Generation(e.to_string()))?;
        let public = MlDsaSigner::new(spec.alg, seed.as_ref())?.public_key();
        Ok(Jwk::new(KeyMaterial::Akp(AkpKey {
            alg: spec.alg,
            public,
            seed: Some(Secret::new(seed.to_vec())),
        })))
    }

    /// The public JWK; for an AKP private key, `pub` is derived from the seed (a PKCS#8 seed
    /// has no public key beside it) and, when the key has `pub`, checked against it
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
