//! HS256, HS384 and HS512 on the library's `hmac` module.
//!
//! Shared with `tessera-aws-lc`, which compiles this file by path (aws-lc-rs mirrors ring's
//! API; rustls shares its ring glue with its aws-lc-rs provider the same way): write it
//! against `crate::ring_like` and keep library differences in `crate::support`.

use crate::ring_like::hmac;
use crate::ring_like::rand::{SecureRandom, SystemRandom};
use crate::support::generation;
use std::fmt;
use tessera_codec::backend::{
    Family, Signer, Verifier, check_hmac_secret, check_signature_len, ensure_family,
    ensure_supported, not_for,
};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyUse, SignError, SignatureError};

const TYPE: &str = type_name!("HmacKey");

/// Largest HMAC secret the backend's `generate` makes, in bits.
const MAX_GENERATE_BITS: usize = 8192;

/// A prepared HMAC key (the library's `hmac::Key`: the keyed inner and outer hash states) for
/// one algorithm; the same key signs and verifies.
#[derive(Clone)]
pub struct HmacKey {
    alg: Algorithm,
    kid: Option<String>,
    key: hmac::Key,
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
        let algorithm = match alg {
            Algorithm::HS256 => hmac::HMAC_SHA256,
            Algorithm::HS384 => hmac::HMAC_SHA384,
            Algorithm::HS512 => hmac::HMAC_SHA512,
            _ => return Err(not_for(TYPE, alg)),
        };
        check_hmac_secret(alg, secret.len())?;
        Ok(HmacKey {
            alg,
            kid: None,
            key: hmac::Key::new(algorithm, secret),
        })
    }

    /// Prepares an `oct` JWK for `alg`. The key returned both signs and verifies, so the JWK's
    /// `use` and `key_ops` must allow both ([`KeyError::Usage`] otherwise); the backend's
    /// `signer` and `verifier` check only the usage they serve.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let prepared = HmacKey::for_use(key, alg, KeyUse::Sign)?;
        key.check_for(alg, KeyUse::Verify)?;
        Ok(prepared)
    }

    /// Prepares an `oct` JWK for `alg`, checked for `usage` only.
    pub(crate) fn for_use(key: &Jwk, alg: Algorithm, usage: KeyUse) -> Result<Self, KeyError> {
        ensure_supported(&crate::BACKEND, alg)?;
        ensure_family(TYPE, alg, Family::Hmac)?;
        let mut prepared = HmacKey::new(alg, key.oct_for(alg, usage)?.expose())?;
        prepared.kid = key.kid.clone();
        Ok(prepared)
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

impl Signer for HmacKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        out.extend_from_slice(hmac::sign(&self.key, signing_input).as_ref());
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
        hmac::verify(&self.key, signing_input, signature).map_err(|_| SignatureError::Invalid)
    }
}

/// A random secret of `bits` bits for `alg` (default the hash output size, the minimum).
pub(crate) fn generate(alg: Algorithm, bits: Option<usize>) -> Result<Jwk, KeyError> {
    let bits = bits.unwrap_or(alg.hash().output_len() * 8);
    if !bits.is_multiple_of(8) || bits > MAX_GENERATE_BITS {
        return Err(KeyError::Generation(format!(
            "HMAC secret size {bits} is not a whole number of bytes up to {MAX_GENERATE_BITS} bits"
        )));
    }
    check_hmac_secret(alg, bits / 8)?;
    let mut secret = vec![0u8; bits / 8];
    SystemRandom::new()
        .fill(&mut secret)
        .map_err(generation("an HMAC secret"))?;
    Ok(Jwk::oct(secret))
}
