//! What every backend needs once an algorithm is bound to a key: typed accessors that return
//! the checked material (so a backend writes no `else` branch that cannot be taken), the
//! signature-length check, and the shared error constructors.

use crate::alg::{Algorithm, Family};
use crate::error::{KeyError, KeyRule, SignatureError};
use crate::jwk::{AkpKey, EcKey, Jwk, KeyMaterial, KeyUse, OkpKey, RsaKey, Secret};

impl Jwk {
    /// The HMAC secret of this key for `alg` (HS256/384/512), after [`Jwk::check_for`].
    pub fn oct_for(&self, alg: Algorithm, usage: KeyUse) -> Result<&Secret, KeyError> {
        match self.check_for(alg, usage)? {
            KeyMaterial::Oct(secret) => Ok(secret),
            _ => Err(wrong_type(self, alg)),
        }
    }

    /// The RSA key for `alg` (RS* or PS*), after [`Jwk::check_for`]: size, modulus and exponent
    /// rules already hold.
    pub fn rsa_for(&self, alg: Algorithm, usage: KeyUse) -> Result<&RsaKey, KeyError> {
        match self.check_for(alg, usage)? {
            KeyMaterial::Rsa(rsa) => Ok(rsa),
            _ => Err(wrong_type(self, alg)),
        }
    }

    /// The EC key for `alg` (ES*), after [`Jwk::check_for`]: the curve is `alg`'s, coordinates
    /// are the field length and below `p` (or both empty, for a private key read without its
    /// public point), `d` is in `[1, n - 1]`, and signing has `d`.
    pub fn ec_for(&self, alg: Algorithm, usage: KeyUse) -> Result<&EcKey, KeyError> {
        match self.check_for(alg, usage)? {
            KeyMaterial::Ec(ec) => Ok(ec),
            _ => Err(wrong_type(self, alg)),
        }
    }

    /// The Ed25519 key for `alg` (EdDSA), after [`Jwk::check_for`]: `x`, when present, is
    /// canonical and not of small order; signing has `d`.
    pub fn okp_for(&self, alg: Algorithm, usage: KeyUse) -> Result<&OkpKey, KeyError> {
        match self.check_for(alg, usage)? {
            KeyMaterial::Okp(okp) => Ok(okp),
            _ => Err(wrong_type(self, alg)),
        }
    }
}

impl Jwk {
    /// The ML-DSA key for `alg` (ML-DSA-44/65/87), after [`Jwk::check_for`]: the key's own
    /// algorithm is `alg`, `pub` (when present) and the seed have their lengths; signing has the
    /// seed.
    pub fn akp_for(&self, alg: Algorithm, usage: KeyUse) -> Result<&AkpKey, KeyError> {
        match self.check_for(alg, usage)? {
            KeyMaterial::Akp(akp) => Ok(akp),
            _ => Err(wrong_type(self, alg)),
        }
    }
}

fn wrong_type(key: &Jwk, alg: Algorithm) -> KeyError {
    KeyError::WrongKeyType {
        alg,
        kty: key.kty(),
    }
}

/// Refuses a signature whose length is not `expected` ([`SignatureError::Length`]), the first
/// check of every `verify`.
pub fn check_signature_len(expected: usize, signature: &[u8]) -> Result<(), SignatureError> {
    if signature.len() != expected {
        return Err(SignatureError::Length {
            expected,
            found: signature.len(),
        });
    }
    Ok(())
}

/// The error of a typed constructor asked for an algorithm outside its family (an RSA
/// verifier for ES256, say): `ty` names the type, as `"tessera-ring RsaVerifier"`.
pub fn not_for(ty: &'static str, alg: Algorithm) -> KeyError {
    KeyError::Unsupported { backend: ty, alg }
}

/// Refuses `alg` unless it is of `family`; typed constructors call it before anything else.
pub fn ensure_family(ty: &'static str, alg: Algorithm, family: Family) -> Result<(), KeyError> {
    if alg.family() == family {
        Ok(())
    } else {
        Err(not_for(ty, alg))
    }
}

/// Checks the public members a private key came with against the public key its library
/// derived from `d`: [`KeyRule::PublicMismatch`] when they differ. Empty members (a key file
/// without its public half) pass; the derived key is then the one used.
pub fn check_public_matches(given: &[u8], derived: &[u8]) -> Result<(), KeyError> {
    if given.is_empty() || given == derived {
        Ok(())
    } else {
        Err(KeyError::Rejected(KeyRule::PublicMismatch))
    }
}

/// The uncompressed SEC1 encoding `04 || x || y` of an EC public key.
pub fn sec1_uncompressed(ec: &EcKey) -> Vec<u8> {
    let mut point = Vec::with_capacity(1 + ec.x.len() + ec.y.len());
    point.push(4);
    point.extend_from_slice(&ec.x);
    point.extend_from_slice(&ec.y);
    point
}

/// The error for a point the backend's library refused to decode: once the codec's checks
/// passed, the only reason left is that it is not on the curve.
pub const fn not_on_curve() -> KeyError {
    KeyError::Rejected(KeyRule::NotOnCurve)
}
