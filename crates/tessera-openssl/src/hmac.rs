//! HS256, HS384, HS512 (RFC 7518 §3.2): an HMAC `PKey` run through `EVP_DigestSign`; tags
//! are recomputed and compared in constant time (`CRYPTO_memcmp`).

use crate::OpensslBackend;
use crate::ossl::{digest, generation, invalid, sign_err};
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer as EvpSigner;
use std::fmt;
use tessera_codec::backend::{
    Family, check_hmac_secret, check_signature_len, ensure_family, ensure_supported,
};
use tessera_codec::{
    Algorithm, Jwk, KeyError, KeyMaterial, KeyUse, Secret, SignError, SignatureError, Signer,
    Verifier,
};

/// Largest HMAC secret accepted, in bytes (far beyond any real key; `EVP_PKEY_new_mac_key`
/// takes an `int` length).
const MAX_HMAC_SECRET: usize = 1 << 20;

/// Largest HMAC secret [`Backend::generate`](tessera_codec::Backend::generate) makes, in bits.
const MAX_GENERATED_BITS: usize = 8192;

/// A prepared HMAC key (an OpenSSL HMAC `PKey`) for one algorithm; it both signs and verifies.
pub struct HmacKey {
    alg: Algorithm,
    kid: Option<String>,
    key: PKey<Private>,
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
    /// least as long as the hash output (RFC 7518 §3.2) and at most 1 MiB.
    pub fn new(alg: Algorithm, secret: &[u8]) -> Result<Self, KeyError> {
        ensure_hmac(alg)?;
        check_hmac_secret(alg, secret.len())?;
        Ok(HmacKey {
            alg,
            kid: None,
            key: hmac_pkey(secret)?,
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
        ensure_hmac(alg)?;
        let secret = key.oct_for(alg, usage)?;
        Ok(HmacKey {
            alg,
            kid: key.kid.clone(),
            key: hmac_pkey(secret.expose())?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    fn tag(&self, input: &[u8]) -> Result<Vec<u8>, openssl::error::ErrorStack> {
        EvpSigner::new(digest(self.alg.hash()), &self.key)?.sign_oneshot_to_vec(input)
    }
}

fn ensure_hmac(alg: Algorithm) -> Result<(), KeyError> {
    ensure_family("tessera-openssl HmacKey", alg, Family::Hmac)?;
    ensure_supported(&OpensslBackend, alg)
}

fn hmac_pkey(secret: &[u8]) -> Result<PKey<Private>, KeyError> {
    if secret.len() > MAX_HMAC_SECRET {
        return Err(KeyError::UnsupportedKey(format!(
            "HMAC secret of {} bytes, at most {MAX_HMAC_SECRET} accepted",
            secret.len()
        )));
    }
    PKey::hmac(secret).map_err(invalid("HMAC key"))
}

impl Signer for HmacKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        out.extend_from_slice(&self.tag(signing_input).map_err(sign_err)?);
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
        let ok = self
            .tag(signing_input)
            .is_ok_and(|tag| tag.len() == signature.len() && openssl::memcmp::eq(&tag, signature));
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// A random secret of `bits` bits (default: the hash output size, the minimum allowed).
pub(crate) fn generate(alg: Algorithm, bits: Option<usize>) -> Result<KeyMaterial, KeyError> {
    let bits = bits.unwrap_or(alg.hash().output_len() * 8);
    if !bits.is_multiple_of(8) || bits > MAX_GENERATED_BITS {
        return Err(KeyError::Generation(format!(
            "HMAC secret size {bits} is not a whole number of bytes up to \
             {MAX_GENERATED_BITS} bits"
        )));
    }
    check_hmac_secret(alg, bits / 8)?;
    let mut bytes = vec![0u8; bits / 8];
    openssl::rand::rand_bytes(&mut bytes).map_err(generation("HMAC secret"))?;
    Ok(KeyMaterial::Oct(Secret::new(bytes)))
}
