//! ES256, ES384, ES512 (RFC 7518 §3.4) and ES256K (RFC 8812 §3.2): an EC `PKey` run through
//! `EVP_DigestSign` / `EVP_DigestVerify`. Signatures are the fixed-size `R || S` of JWS,
//! converted to and from OpenSSL's DER `ECDSA_SIG`; `r` and `s` outside `[1, n - 1]` are refused
//! before OpenSSL sees them.

use crate::OpensslBackend;
use crate::ossl::{bn, digest, generation, invalid, padded, secret_bn, sign_err, with_material};
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::ec::{EcGroup, EcKey as OsslEcKey, EcPoint, EcPointRef};
use openssl::ecdsa::EcdsaSig;
use openssl::error::ErrorStack;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private, Public};
use openssl::sign::{Signer as EvpSigner, Verifier as EvpVerifier};
use std::cmp::Ordering;
use std::fmt;
use tessera_codec::backend::{
    Family, check_public_matches, check_signature_len, ecdsa_low_s, ensure_family,
    ensure_supported, not_for, not_on_curve, rules,
};
use tessera_codec::{
    Algorithm, EcCurve, EcKey, Jwk, KeyError, KeyMaterial, KeyUse, Secret, SignError,
    SignatureError, Signer, Verifier,
};

/// A prepared ECDSA private key (an OpenSSL EC `PKey` holding `d` and `d * G`) that signs for
/// one algorithm and writes `R || S`.
pub struct EcdsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    key: PKey<Private>,
    field_len: usize,
}

/// A prepared ECDSA public key (an OpenSSL EC `PKey`) that verifies one algorithm.
pub struct EcdsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: PKey<Public>,
    /// The curve, whose group order range-checks `r` and `s`.
    crv: EcCurve,
}

impl fmt::Debug for EcdsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the private scalar: the algorithm and kid only.
        f.debug_struct("EcdsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for EcdsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("crv", &self.crv)
            .finish_non_exhaustive()
    }
}

/// The curve of an ES* algorithm; anything else is refused naming `ty`.
fn curve_of(ty: &'static str, alg: Algorithm) -> Result<EcCurve, KeyError> {
    ensure_family(ty, alg, Family::Ecdsa)?;
    ensure_supported(&OpensslBackend, alg)?;
    alg.curve().ok_or_else(|| not_for(ty, alg))
}

impl EcdsaSigner {
    /// Prepares a private EC JWK for `alg`, after the codec's checks ([`Jwk::ec_for`]: binding,
    /// curve, coordinates below `p`, `d` in `[1, n - 1]`). The public point is derived from `d`;
    /// when the JWK carries `x` and `y` they must be that point
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)). The JWK's `kid`
    /// is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let crv = curve_of("tessera-openssl EcdsaSigner", alg)?;
        let ec = key.ec_for(alg, KeyUse::Sign)?;
        let d = ec.d.as_ref().ok_or(KeyError::NotPrivate)?;
        let group = ec_group(crv)?;
        let d = secret_bn(d)?;
        let (point, _, _) = derived_point(&group, ec, &d)?;
        let pair = OsslEcKey::from_private_components(&group, &d, &point)
            .map_err(invalid("EC private key"))?;
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            key: PKey::from_ec_key(pair).map_err(invalid("EC private key"))?,
            field_len: crv.field_len(),
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

impl EcdsaVerifier {
    /// Prepares an EC JWK for `alg`, after the codec's checks ([`Jwk::ec_for`]). A public
    /// point OpenSSL refuses is [`not_on_curve`]. A private JWK's public point is derived from
    /// `d` and checked against `x` and `y`, as [`EcdsaSigner::from_jwk`] does. The JWK's `kid`
    /// is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let crv = curve_of("tessera-openssl EcdsaVerifier", alg)?;
        let ec = key.ec_for(alg, KeyUse::Verify)?;
        let group = ec_group(crv)?;
        let public = match &ec.d {
            Some(d) => {
                let d = secret_bn(d)?;
                let (point, _, _) = derived_point(&group, ec, &d)?;
                OsslEcKey::from_public_key(&group, &point).map_err(invalid("EC public key"))?
            }
            None => given_key(&group, ec)?,
        };
        Ok(EcdsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: PKey::from_ec_key(public).map_err(invalid("EC public key"))?,
            crv,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    fn check(&self, input: &[u8], signature: &[u8]) -> Result<bool, ErrorStack> {
        let Some((r, s)) = signature.split_at_checked(self.crv.field_len()) else {
            return Ok(false);
        };
        let order = self.crv.order();
        if !scalar_in_range(r, order) || !scalar_in_range(s, order) {
            return Ok(false);
        }
        let der =
            EcdsaSig::from_private_components(BigNum::from_slice(r)?, BigNum::from_slice(s)?)?
                .to_der()?;
        EvpVerifier::new(digest(self.alg.hash()), &self.key)?.verify_oneshot(&der, input)
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
        let der = EvpSigner::new(digest(self.alg.hash()), &self.key)
            .and_then(|mut s| s.sign_oneshot_to_vec(signing_input))
            .map_err(sign_err)?;
        // OpenSSL gives DER ECDSA-Sig-Value; JWS wants R || S, each the field size.
        let sig = EcdsaSig::from_der(&der).map_err(sign_err)?;
        let start = out.len();
        out.extend_from_slice(&padded(sig.r(), self.field_len).map_err(sign_err)?);
        out.extend_from_slice(&padded(sig.s(), self.field_len).map_err(sign_err)?);
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

impl Verifier for EcdsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        2 * self.crv.field_len()
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.signature_len(), signature)?;
        if self.check(signing_input, signature).unwrap_or(false) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

fn curve_nid(crv: EcCurve) -> Result<Nid, KeyError> {
    Ok(match crv {
        EcCurve::P256 => Nid::X9_62_PRIME256V1,
        EcCurve::P384 => Nid::SECP384R1,
        EcCurve::P521 => Nid::SECP521R1,
        EcCurve::Secp256k1 => Nid::SECP256K1,
        other => return Err(KeyError::UnsupportedKey(format!("EC curve {other}"))),
    })
}

fn ec_group(crv: EcCurve) -> Result<EcGroup, KeyError> {
    EcGroup::from_curve_name(curve_nid(crv)?).map_err(invalid("EC curve"))
}

/// Whether a fixed-size big-endian scalar lies in `[1, order - 1]`; `scalar` and `order` (the
/// codec's copy, [`EcCurve::order`]) have the same length. Only public values (signature
/// halves) are compared.
pub(crate) fn scalar_in_range(scalar: &[u8], order: &[u8]) -> bool {
    scalar.iter().any(|&b| b != 0) && scalar.cmp(order) == Ordering::Less
}

/// The affine coordinates of `point`, each `len` bytes.
fn coordinates(
    group: &EcGroup,
    point: &EcPointRef,
    len: usize,
) -> Result<(Vec<u8>, Vec<u8>), ErrorStack> {
    let mut ctx = BigNumContext::new()?;
    let mut x = BigNum::new()?;
    let mut y = BigNum::new()?;
    point.affine_coordinates(group, &mut x, &mut y, &mut ctx)?;
    Ok((padded(&x, len)?, padded(&y, len)?))
}

/// The public point of a private key, `d * G`, and its coordinates, after checking them
/// against the `x` and `y` the key came with (empty ones pass: the derived point is the key's).
fn derived_point(
    group: &EcGroup,
    ec: &EcKey,
    d: &BigNumRef,
) -> Result<(EcPoint, Vec<u8>, Vec<u8>), KeyError> {
    let mut ctx = BigNumContext::new_secure().map_err(invalid("EC private key"))?;
    let mut point = EcPoint::new(group).map_err(invalid("EC private key"))?;
    point
        .mul_generator2(group, d, &mut ctx)
        .map_err(invalid("EC private key"))?;
    let (x, y) =
        coordinates(group, &point, ec.crv.field_len()).map_err(invalid("EC private key"))?;
    check_public_matches(&[&ec.x[..], &ec.y[..]].concat(), &[&x[..], &y[..]].concat())?;
    Ok((point, x, y))
}

/// The public key `(x, y)`; a point OpenSSL refuses is not on the curve (the codec already
/// checked the lengths and that both coordinates are below `p`).
fn given_key(group: &EcGroup, ec: &EcKey) -> Result<OsslEcKey<Public>, KeyError> {
    if ec.x.is_empty() {
        return Err(KeyError::Invalid(
            "EC public key without coordinates".into(),
        ));
    }
    let mut ctx = BigNumContext::new().map_err(invalid("EC public key"))?;
    let mut point = EcPoint::new(group).map_err(invalid("EC public key"))?;
    let (x, y) = (bn(&ec.x)?, bn(&ec.y)?);
    point
        .set_affine_coordinates_gfp(group, &x, &y, &mut ctx)
        .map_err(|_| not_on_curve())?;
    let key = OsslEcKey::from_public_key(group, &point).map_err(|_| not_on_curve())?;
    // On the curve, not the point at infinity, of the group's order.
    key.check_key().map_err(|_| not_on_curve())?;
    Ok(key)
}

/// The public JWK of a private EC key: `d * G`, checked against the `x` and `y` given. The
/// codec's rules for the point and the scalar apply first, as in every constructor.
pub(crate) fn public_jwk(key: &Jwk, ec: &EcKey, d: &Secret) -> Result<Jwk, KeyError> {
    if !ec.x.is_empty() || !ec.y.is_empty() {
        rules::check_ec_public(ec.crv, &ec.x, &ec.y)?;
    }
    rules::check_ec_private(ec.crv, d.expose())?;
    let group = ec_group(ec.crv)?;
    let d = secret_bn(d)?;
    let (_, x, y) = derived_point(&group, ec, &d)?;
    let public = KeyMaterial::Ec(EcKey {
        crv: ec.crv,
        x,
        y,
        d: None,
    });
    with_material(key, public).to_public()
}

/// A new key on `alg`'s curve.
pub(crate) fn generate(alg: Algorithm) -> Result<KeyMaterial, KeyError> {
    let crv = curve_of("tessera-openssl EcdsaSigner", alg)?;
    let group = ec_group(crv)?;
    let key = OsslEcKey::generate(&group).map_err(generation("EC key"))?;
    let len = crv.field_len();
    let (x, y) = coordinates(&group, key.public_key(), len).map_err(generation("EC key"))?;
    let d = padded(key.private_key(), len).map_err(generation("EC key"))?;
    Ok(KeyMaterial::Ec(EcKey {
        crv,
        x,
        y,
        d: Some(Secret::new(d)),
    }))
}
