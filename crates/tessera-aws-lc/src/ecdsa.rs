//! ES256, ES384, ES512 (P-521) and ES256K (secp256k1, RFC 8812) on `aws_lc_rs::signature`.

use crate::family::public_jwk;
use crate::support::{generation, rejected};
use crate::{AwsLcBackend, NAME};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm, KeyPair as _,
    ParsedPublicKey,
};
use std::fmt;
use tessera_codec::backend::{
    Signer, Verifier, check_public_matches, check_signature_len, ecdsa_low_s, ensure_supported,
    not_for, not_on_curve, rules, sec1_uncompressed,
};
use tessera_codec::{
    Algorithm, EcCurve, EcKey, Jwk, KeyError, KeyMaterial, KeyUse, SignError, SignatureError,
};

type Algorithms = (
    &'static EcdsaSigningAlgorithm,
    &'static EcdsaVerificationAlgorithm,
);

/// aws-lc-rs's fixed-length (`R || S`) signing and verification algorithms for `alg`.
fn algorithms(alg: Algorithm) -> Option<Algorithms> {
    Some(match alg {
        Algorithm::ES256 => (
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &signature::ECDSA_P256_SHA256_FIXED,
        ),
        Algorithm::ES384 => (
            &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            &signature::ECDSA_P384_SHA384_FIXED,
        ),
        Algorithm::ES512 => (
            &signature::ECDSA_P521_SHA512_FIXED_SIGNING,
            &signature::ECDSA_P521_SHA512_FIXED,
        ),
        Algorithm::ES256K => (
            &signature::ECDSA_P256K1_SHA256_FIXED_SIGNING,
            &signature::ECDSA_P256K1_SHA256_FIXED,
        ),
        _ => return None,
    })
}

/// The key pair of an EC private key, made from `d` alone so that AWS-LC computes the public
/// point, which the given `x`/`y` (if any) must equal
/// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
fn key_pair(ec: &EcKey, signing: &'static EcdsaSigningAlgorithm) -> Result<EcdsaKeyPair, KeyError> {
    let bare = Jwk::new(KeyMaterial::Ec(EcKey {
        crv: ec.crv,
        x: Vec::new(),
        y: Vec::new(),
        d: ec.d.clone(),
    }));
    let pair = EcdsaKeyPair::from_pkcs8(signing, &bare.to_pkcs8_der()?)
        .map_err(rejected("EC private key"))?;
    if !ec.x.is_empty() {
        check_public_matches(&sec1_uncompressed(ec), pair.public_key().as_ref())?;
    }
    Ok(pair)
}

/// The uncompressed SEC1 point of a codec-checked EC key: derived from `d` (and compared with
/// `x`/`y`) for a private key, as given for a public key.
fn point(ec: &EcKey, signing: &'static EcdsaSigningAlgorithm) -> Result<Vec<u8>, KeyError> {
    if ec.d.is_some() {
        return Ok(key_pair(ec, signing)?.public_key().as_ref().to_vec());
    }
    if ec.x.is_empty() {
        return Err(KeyError::Invalid("EC public key without its point".into()));
    }
    Ok(sec1_uncompressed(ec))
}

/// Signs ES256, ES384, ES512 or ES256K with a parsed `aws_lc_rs::signature::EcdsaKeyPair`, in
/// the fixed-length `R || S` form.
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
    /// Parses an EC private JWK for `alg` (ES256, ES384, ES512 or ES256K). The public point is
    /// computed from the scalar and must equal `x`/`y` when they are given.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        let (signing, _) =
            algorithms(alg).ok_or_else(|| not_for(type_name!("EcdsaSigner"), alg))?;
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            pair: key_pair(key.ec_for(alg, KeyUse::Sign)?, signing)?,
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
            .map_err(|_| SignError("aws-lc-rs ECDSA signing failed".into()))?;
        let start = out.len();
        out.extend_from_slice(sig.as_ref());
        if self.alg == Algorithm::ES256K
            && let Some(sig) = out.get_mut(start..)
        {
            // secp256k1 verifiers built on k256 (jwt-simple, Bitcoin-derived code) accept only
            // low S; every tessera backend signs ES256K that way.
            ecdsa_low_s(EcCurve::Secp256k1, sig);
        }
        Ok(())
    }
}

/// Verifies ES256, ES384, ES512 or ES256K (fixed-length `R || S`) with a `ParsedPublicKey`.
pub struct EcdsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: ParsedPublicKey,
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
    /// Parses an EC JWK for `alg` (ES256, ES384, ES512 or ES256K): a public key whose point is
    /// on the curve ([`not_on_curve`] otherwise), or a private key, whose point is computed
    /// from the scalar and must equal `x`/`y` when they are given.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        let (signing, verification) =
            algorithms(alg).ok_or_else(|| not_for(type_name!("EcdsaVerifier"), alg))?;
        let ec = key.ec_for(alg, KeyUse::Verify)?;
        let parsed =
            ParsedPublicKey::new(verification, point(ec, signing)?).map_err(|_| not_on_curve())?;
        Ok(EcdsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: parsed,
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

    /// Twice the curve's field size: 64 for ES256 and ES256K, 96 for ES384, 132 for ES512.
    fn signature_len(&self) -> usize {
        self.len
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.len, signature)?;
        self.key
            .verify_sig(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// The public JWK of an EC private key, after the codec's key rules: the point computed from
/// `d`, which must equal `x`/`y` when they are given.
pub(crate) fn public_key(key: &Jwk, ec: &EcKey) -> Result<Jwk, KeyError> {
    if let Some(d) = &ec.d {
        rules::check_ec_private(ec.crv, d.expose())?;
    }
    if !ec.x.is_empty() {
        rules::check_ec_public(ec.crv, &ec.x, &ec.y)?;
    }
    let (signing, _) = algorithms(ec.crv.algorithm())
        .ok_or_else(|| KeyError::UnsupportedKey(format!("EC curve {}", ec.crv)))?;
    let (x, y) = split_point(ec.crv, &point(ec, signing)?)?;
    let public = EcKey {
        crv: ec.crv,
        x,
        y,
        d: None,
    };
    public_jwk(key, KeyMaterial::Ec(public))
}

/// A new key pair for `alg`, with its public point.
pub(crate) fn generate(alg: Algorithm) -> Result<Jwk, KeyError> {
    let (signing, _) = algorithms(alg).ok_or_else(|| not_for(NAME, alg))?;
    let pair = EcdsaKeyPair::generate(signing).map_err(generation("an EC key"))?;
    let pkcs8 = pair
        .to_pkcs8v1()
        .map_err(generation("an EC key's PKCS#8"))?;
    let mut jwk = Jwk::from_pkcs8_der(pkcs8.as_ref())?;
    if let KeyMaterial::Ec(ec) = &mut jwk.material
        && ec.x.is_empty()
    {
        (ec.x, ec.y) = split_point(ec.crv, pair.public_key().as_ref())?;
    }
    Ok(jwk)
}

/// Splits an uncompressed SEC1 point into its coordinates.
pub(crate) fn split_point(crv: EcCurve, point: &[u8]) -> Result<(Vec<u8>, Vec<u8>), KeyError> {
    let n = crv.field_len();
    match point.split_first() {
        Some((4, xy)) if xy.len() == 2 * n => {
            let (x, y) = xy.split_at(n);
            Ok((x.to_vec(), y.to_vec()))
        }
        _ => Err(KeyError::Invalid(format!(
            "aws-lc-rs returned an EC point that is not an uncompressed {crv} point"
        ))),
    }
}
