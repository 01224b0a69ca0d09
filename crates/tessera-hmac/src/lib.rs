//! HS256, HS384 and HS512 (RFC 7518 §3.2) for tessera, on RustCrypto's `hmac` and `sha2`.
//!
//! Keys bind their algorithm when made; secrets shorter than the hash output are refused;
//! signatures are compared in constant time by `hmac`'s own `verify_slice`. The keyed HMAC
//! state (the hashed inner and outer pads) is computed once per key and cloned per token.
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, Jwk, Signer, Verifier};
//! let key = Jwk::oct(b"a secret of at least thirty-two bytes!".to_vec());
//! let signer = tessera_hmac::HmacBackend.signer(&key, Algorithm::HS256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! let verifier = tessera_hmac::HmacKey::new(Algorithm::HS256, key_bytes()).unwrap();
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! # fn key_bytes() -> &'static [u8] { b"a secret of at least thirty-two bytes!" }
//! ```

#![forbid(unsafe_code)]

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;
use tessera_codec::backend::{check_hmac_secret, check_signature_len, ensure_supported};
use tessera_codec::{
    Algorithm, Backend, Jwk, KeyError, KeySpec, KeyUse, Library, SignError, SignatureError, Signer,
    Verifier,
};

const ALGORITHMS: &[Algorithm] = &[Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

/// The RustCrypto HMAC backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct HmacBackend;

#[derive(Clone)]
enum State {
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

/// A prepared HMAC key for one algorithm; it both signs and verifies.
#[derive(Clone)]
pub struct HmacKey {
    alg: Algorithm,
    kid: Option<String>,
    state: State,
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret: the algorithm and kid only.
        f.debug_struct("HmacKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl HmacKey {
    /// Prepares `secret` for `alg`, which must be HS256, HS384 or HS512. The secret must be at
    /// least as long as the hash output (RFC 7518 §3.2).
    pub fn new(alg: Algorithm, secret: &[u8]) -> Result<Self, KeyError> {
        ensure_supported(&HmacBackend, alg)?;
        check_hmac_secret(alg, secret.len())?;
        let bad = |_| KeyError::Invalid("HMAC key".into());
        let state = match alg {
            Algorithm::HS256 => State::Sha256(Hmac::new_from_slice(secret).map_err(bad)?),
            Algorithm::HS384 => State::Sha384(Hmac::new_from_slice(secret).map_err(bad)?),
            _ => State::Sha512(Hmac::new_from_slice(secret).map_err(bad)?),
        };
        Ok(HmacKey {
            alg,
            kid: None,
            state,
        })
    }

    /// Prepares an `oct` JWK for `alg` ([`Jwk::oct_for`]); the JWK's `kid` is kept. The key
    /// returned both signs and verifies, so the JWK's `use` and `key_ops` must allow both
    /// ([`KeyError::Usage`] otherwise); the backend's `signer` and `verifier` check only the
    /// usage they serve.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let prepared = HmacKey::for_use(key, alg, KeyUse::Sign)?;
        key.check_for(alg, KeyUse::Verify)?;
        Ok(prepared)
    }

    /// Prepares an `oct` JWK for `alg`, checked for `usage` only.
    pub(crate) fn for_use(key: &Jwk, alg: Algorithm, usage: KeyUse) -> Result<Self, KeyError> {
        ensure_supported(&HmacBackend, alg)?;
        let secret = key.oct_for(alg, usage)?;
        let mut k = HmacKey::new(alg, secret.expose())?;
        k.kid = key.kid.clone();
        Ok(k)
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

fn mac_into<M: Mac + Clone>(state: &M, input: &[u8], out: &mut Vec<u8>) {
    let mut m = state.clone();
    m.update(input);
    out.extend_from_slice(&m.finalize().into_bytes());
}

fn mac_verify<M: Mac + Clone>(state: &M, input: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    let mut m = state.clone();
    m.update(input);
    m.verify_slice(sig).map_err(|_| SignatureError::Invalid)
}

impl Signer for HmacKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        match &self.state {
            State::Sha256(s) => mac_into(s, signing_input, out),
            State::Sha384(s) => mac_into(s, signing_input, out),
            State::Sha512(s) => mac_into(s, signing_input, out),
        }
        Ok(())
    }
}

impl Verifier for HmacKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        self.alg.hash().output_len()
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.signature_len(), signature)?;
        match &self.state {
            State::Sha256(s) => mac_verify(s, signing_input, signature),
            State::Sha384(s) => mac_verify(s, signing_input, signature),
            State::Sha512(s) => mac_verify(s, signing_input, signature),
        }
    }
}

impl Backend for HmacBackend {
    fn name(&self) -> &'static str {
        "tessera-hmac"
    }

    fn library(&self) -> Library {
        Library {
            name: "RustCrypto hmac + sha2",
            version: "0.13 + 0.11",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        Ok(Box::new(HmacKey::for_use(key, alg, KeyUse::Sign)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        Ok(Box::new(HmacKey::for_use(key, alg, KeyUse::Verify)?))
    }

    /// A random secret of `bits` bits (default: the hash output size, the minimum allowed).
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let bits = spec.bits.unwrap_or(spec.alg.hash().output_len() * 8);
        if !bits.is_multiple_of(8) || bits > 8192 {
            return Err(KeyError::Generation(format!(
                "HMAC secret size {bits} is not a whole number of bytes up to 8192 bits"
            )));
        }
        check_hmac_secret(spec.alg, bits / 8)?;
        let mut secret = vec![0u8; bits / 8];
        getrandom::fill(&mut secret).map_err(|e| KeyError::Generation(e.to_string()))?;
        Ok(Jwk::oct(secret).with_alg(spec.alg))
    }
}

#[cfg(test)]
mod tests;
