//! EdDSA (Ed25519) on the library's `signature` module.
//!
//! Shared with `tessera-aws-lc`, which compiles this file by path (see `hmac.rs`); the
//! verifier's key type and the signing call are the library's, in `crate::support`.

use crate::ring_like::rand::SystemRandom;
use crate::ring_like::signature::{Ed25519KeyPair, KeyPair as _};
use crate::support::{self, Ed25519Public, generation, rejected};
use std::fmt;
use tessera_codec::backend::{
    Family, Signer, Verifier, check_public_matches, check_signature_len, ensure_family,
    ensure_supported, rules,
};
use tessera_codec::{
    Algorithm, Jwk, KeyError, KeyMaterial, KeyUse, OkpKey, SignError, SignatureError,
};

/// The key pair of an Ed25519 private key. The library derives the public key from the seed;
/// a given `x` must be it ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
fn key_pair(okp: &OkpKey) -> Result<Ed25519KeyPair, KeyError> {
    let seed = okp.d.as_ref().ok_or(KeyError::NotPrivate)?;
    let pair =
        Ed25519KeyPair::from_seed_unchecked(seed.expose()).map_err(rejected("Ed25519 seed"))?;
    check_public_matches(&okp.x, pair.public_key().as_ref())?;
    Ok(pair)
}

/// The 32-byte public key: derived from the seed of a private key (and compared with `x`),
/// `x` itself for a public key.
fn public_bytes(okp: &OkpKey) -> Result<Vec<u8>, KeyError> {
    if okp.d.is_some() {
        return Ok(key_pair(okp)?.public_key().as_ref().to_vec());
    }
    // The codec checked a non-empty `x`; this also refuses an empty one.
    rules::check_ed25519_public(&okp.x)?;
    Ok(okp.x.clone())
}

/// Signs EdDSA (Ed25519) with a parsed `Ed25519KeyPair` (the expanded secret key).
pub struct Ed25519Signer {
    kid: Option<String>,
    pair: Ed25519KeyPair,
}

impl fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Ed25519Signer {
    /// Parses an Ed25519 private JWK (`kty: OKP`) for `alg`, which must be EdDSA.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&crate::BACKEND, alg)?;
        ensure_family(type_name!("Ed25519Signer"), alg, Family::EdDsa)?;
        Ok(Ed25519Signer {
            kid: key.kid.clone(),
            pair: key_pair(key.okp_for(alg, KeyUse::Sign)?)?,
        })
    }
}

impl Signer for Ed25519Signer {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        out.extend_from_slice(support::ed25519_sign(&self.pair, signing_input)?.as_ref());
        Ok(())
    }
}

/// Verifies EdDSA (Ed25519) with the public key in the library's most prepared form (see the
/// crate docs).
pub struct Ed25519Verifier {
    kid: Option<String>,
    key: Ed25519Public,
}

impl fmt::Debug for Ed25519Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519Verifier")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Ed25519Verifier {
    /// Prepares an Ed25519 JWK for `alg`, which must be EdDSA: a public key, or a private key
    /// whose public key is derived from the seed (and must equal `x` when given).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&crate::BACKEND, alg)?;
        ensure_family(type_name!("Ed25519Verifier"), alg, Family::EdDsa)?;
        let public = public_bytes(key.okp_for(alg, KeyUse::Verify)?)?;
        Ok(Ed25519Verifier {
            kid: key.kid.clone(),
            key: support::ed25519_public(public)?,
        })
    }
}

impl Verifier for Ed25519Verifier {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        64
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(64, signature)?;
        support::ed25519_verify(&self.key, signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// The public JWK of an Ed25519 private key, after the codec's rules for a given `x`, derived
/// from the seed and compared with `x`.
pub(crate) fn public_key(key: &Jwk, okp: &OkpKey) -> Result<Jwk, KeyError> {
    if !okp.x.is_empty() {
        rules::check_ed25519_public(&okp.x)?;
    }
    let public = OkpKey {
        x: public_bytes(okp)?,
        d: None,
    };
    crate::family::public_jwk(key, KeyMaterial::Okp(public))
}

/// A new key pair from the library's PKCS#8 generation, with its public key.
pub(crate) fn generate() -> Result<Jwk, KeyError> {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(generation("an Ed25519 key"))?;
    let mut jwk = Jwk::from_pkcs8_der(pkcs8.as_ref())?;
    if let KeyMaterial::Okp(okp) = &mut jwk.material
        && okp.x.is_empty()
    {
        okp.x = public_bytes(okp)?;
    }
    Ok(jwk)
}
