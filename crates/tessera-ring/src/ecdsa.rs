//! ES256 and ES384 on `ring::signature`; ring implements neither P-521 nor secp256k1.

use crate::support::{generation, rejected};
use crate::{NAME, RingBackend};
use ring::agreement;
use ring::rand::SystemRandom;
use ring::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm, UnparsedPublicKey,
};
use std::fmt;
use tessera_codec::backend::{
    KeyRule, Signer, Verifier, check_signature_len, ensure_supported, not_for, not_on_curve, rules,
    sec1_uncompressed,
};
use tessera_codec::{Algorithm, EcKey, Jwk, KeyError, KeyUse, Secret, SignError, SignatureError};

/// ring's algorithms for one curve: fixed-length (`R || S`) signing and verification, and
/// ECDH, whose peer-key validation is the only point check ring exposes.
struct Curve {
    signing: &'static EcdsaSigningAlgorithm,
    verification: &'static EcdsaVerificationAlgorithm,
    ecdh: &'static agreement::Algorithm,
}

/// The curve of an ECDSA algorithm ring implements.
fn curve(alg: Algorithm) -> Option<Curve> {
    match alg {
        Algorithm::ES256 => Some(Curve {
            signing: &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            verification: &signature::ECDSA_P256_SHA256_FIXED,
            ecdh: &agreement::ECDH_P256,
        }),
        Algorithm::ES384 => Some(Curve {
            signing: &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            verification: &signature::ECDSA_P384_SHA384_FIXED,
            ecdh: &agreement::ECDH_P384,
        }),
        _ => None,
    }
}

fn no_public_point() -> KeyError {
    KeyError::UnsupportedKey(
        "ring cannot derive the public point of an EC private key; \
         the key source must include it (JWK x and y, or SEC1 publicKey)"
            .into(),
    )
}

/// The key pair of `d` and `point`. ring derives the point from `d` and compares the bytes;
/// its only `InconsistentComponents` here is that comparison, so it is
/// [`KeyRule::PublicMismatch`]. (The codec has checked `d` and the coordinates, so ring's
/// other refusals, reported as [`KeyError::Invalid`], are not expected.)
fn key_pair(curve: &Curve, d: &Secret, point: &[u8]) -> Result<EcdsaKeyPair, KeyError> {
    EcdsaKeyPair::from_private_key_and_public_key(
        curve.signing,
        d.expose(),
        point,
        &SystemRandom::new(),
    )
    .map_err(|e| match e.to_string().as_str() {
        "InconsistentComponents" => KeyError::Rejected(KeyRule::PublicMismatch),
        _ => rejected("EC private key")(e),
    })
}

/// Refuses a point ring's ECDSA verification would not decode ([`not_on_curve`]), by using it
/// as the peer key of an ephemeral ECDH agreement: the same SEC1 decoding and on-curve check.
fn check_on_curve(curve: &Curve, point: &[u8]) -> Result<(), KeyError> {
    let ours = agreement::EphemeralPrivateKey::generate(curve.ecdh, &SystemRandom::new()).map_err(
        |_| KeyError::Invalid("the random number generator failed checking an EC key".into()),
    )?;
    let peer = agreement::UnparsedPublicKey::new(curve.ecdh, point);
    agreement::agree_ephemeral(ours, &peer, |_| ()).map_err(|_| not_on_curve())
}

/// The public point of a codec-checked EC key: a private key's given point must be its `d`'s
/// (ring cannot derive it when absent), a public key's must decode.
fn checked_point(curve: &Curve, ec: &EcKey) -> Result<Vec<u8>, KeyError> {
    if ec.x.is_empty() {
        return Err(no_public_point());
    }
    let point = sec1_uncompressed(ec);
    match &ec.d {
        Some(d) => {
            key_pair(curve, d, &point)?;
        }
        None => check_on_curve(curve, &point)?,
    }
    Ok(point)
}

/// Signs ES256 or ES384 with a parsed `ring::signature::EcdsaKeyPair`, in the fixed-length
/// `R || S` form.
pub struct EcdsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    pair: EcdsaKeyPair,
    rng: SystemRandom,
}

impl fmt::Debug for EcdsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl EcdsaSigner {
    /// Parses an EC private JWK for `alg` (ES256 or ES384). The public point must be present
    /// and be the private scalar's ([`KeyRule::PublicMismatch`] otherwise).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let curve = curve(alg).ok_or_else(|| not_for(type_name!("EcdsaSigner"), alg))?;
        let ec = key.ec_for(alg, KeyUse::Sign)?;
        let d = ec.d.as_ref().ok_or(KeyError::NotPrivate)?;
        if ec.x.is_empty() {
            return Err(no_public_point());
        }
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            pair: key_pair(&curve, d, &sec1_uncompressed(ec))?,
            rng: SystemRandom::new(),
        })
    }
}

impl Signer for EcdsaSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let sig = self
            .pair
            .sign(&self.rng, signing_input)
            .map_err(|_| SignError("ring ECDSA signing failed".into()))?;
        out.extend_from_slice(sig.as_ref());
        Ok(())
    }
}

/// Verifies ES256 or ES384 (fixed-length `R || S`) with the public point, checked once at
/// construction and kept as bytes; ring has no parsed ECDSA public key (see the crate docs).
pub struct EcdsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: UnparsedPublicKey<Vec<u8>>,
    len: usize,
}

impl fmt::Debug for EcdsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl EcdsaVerifier {
    /// Prepares an EC JWK for `alg` (ES256 or ES384): a public key whose point is on the curve
    /// ([`not_on_curve`] otherwise), or a private key whose point is its scalar's
    /// ([`KeyRule::PublicMismatch`] otherwise).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let curve = curve(alg).ok_or_else(|| not_for(type_name!("EcdsaVerifier"), alg))?;
        let ec = key.ec_for(alg, KeyUse::Verify)?;
        let point = checked_point(&curve, ec)?;
        Ok(EcdsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: UnparsedPublicKey::new(curve.verification, point),
            len: 2 * ec.crv.field_len(),
        })
    }
}

impl Verifier for EcdsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Twice the curve's field size: 64 for ES256, 96 for ES384.
    fn signature_len(&self) -> usize {
        self.len
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.len, signature)?;
        self.key
            .verify(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// The public JWK of an EC private key, after the codec's rules and the check of its point
/// against `d`. ring cannot check, and so refuses, a key on a curve it does not implement.
pub(crate) fn public_key(key: &Jwk, ec: &EcKey) -> Result<Jwk, KeyError> {
    if let Some(d) = &ec.d {
        rules::check_ec_private(ec.crv, d.expose())?;
    }
    if !ec.x.is_empty() {
        rules::check_ec_public(ec.crv, &ec.x, &ec.y)?;
    }
    let curve = curve(ec.crv.algorithm()).ok_or_else(|| {
        KeyError::UnsupportedKey(format!("ring does not implement the {} curve", ec.crv))
    })?;
    checked_point(&curve, ec)?;
    key.to_public()
}

/// A new key pair for `alg` (ES256 or ES384), from ring's PKCS#8 generation.
pub(crate) fn generate(alg: Algorithm) -> Result<Jwk, KeyError> {
    let curve = curve(alg).ok_or_else(|| not_for(NAME, alg))?;
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(curve.signing, &SystemRandom::new())
        .map_err(generation("an EC key"))?;
    // ring's PKCS#8 carries the public point, so x and y are filled in.
    Jwk::from_pkcs8_der(pkcs8.as_ref())
}
