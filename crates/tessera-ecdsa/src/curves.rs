//! The per-curve dispatch: one enum arm per curve, and the generic code over RustCrypto's
//! `ecdsa` traits that every arm runs.
//!
//! Everything that depends on a key's bytes goes through the codec's rules first
//! ([`check_ec_public`], [`check_ec_private`]), so this backend refuses a key with the same
//! [`KeyError::Rejected`] variant as every other backend; the library is then left to decide
//! only what needs curve arithmetic (whether the point is on the curve, what `d·G` is).

use ecdsa::elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use ecdsa::elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, Generate};
use ecdsa::signature::{Signer as EcSigner, Verifier as EcVerifier};
use ecdsa::{EcdsaCurve, Signature, SigningKey, VerifyingKey};
use k256::Secp256k1;
use p256::NistP256;
use p384::NistP384;
use p521::NistP521;
use tessera_codec::backend::rules::{check_ec_private, check_ec_public};
use tessera_codec::backend::{KeyRule, check_public_matches, not_for, not_on_curve};
use tessera_codec::{Algorithm, EcCurve, EcKey, KeyError, Secret, SignError, SignatureError};
use zeroize::Zeroizing;

/// One of the four curves this backend implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
    K256,
}

impl Curve {
    /// The curve of `alg`; any algorithm but the four ECDSA ones is refused as `ty` not
    /// supporting it.
    pub(crate) fn of_alg(ty: &'static str, alg: Algorithm) -> Result<Self, KeyError> {
        match alg {
            Algorithm::ES256 => Ok(Curve::P256),
            Algorithm::ES384 => Ok(Curve::P384),
            Algorithm::ES512 => Ok(Curve::P521),
            Algorithm::ES256K => Ok(Curve::K256),
            _ => Err(not_for(ty, alg)),
        }
    }

    /// The curve named by a JWK's `crv`.
    pub(crate) fn of_crv(crv: EcCurve) -> Result<Self, KeyError> {
        match crv {
            EcCurve::P256 => Ok(Curve::P256),
            EcCurve::P384 => Ok(Curve::P384),
            EcCurve::P521 => Ok(Curve::P521),
            EcCurve::Secp256k1 => Ok(Curve::K256),
            other => Err(KeyError::UnsupportedKey(format!("EC curve {other}"))),
        }
    }

    /// The codec's name for it.
    pub(crate) const fn crv(self) -> EcCurve {
        match self {
            Curve::P256 => EcCurve::P256,
            Curve::P384 => EcCurve::P384,
            Curve::P521 => EcCurve::P521,
            Curve::K256 => EcCurve::Secp256k1,
        }
    }

    /// A new private key on this curve, with its public point.
    pub(crate) fn generate(self) -> Result<EcKey, KeyError> {
        let crv = self.crv();
        match self {
            Curve::P256 => generate_on::<NistP256>(crv),
            Curve::P384 => generate_on::<NistP384>(crv),
            Curve::P521 => generate_on::<NistP521>(crv),
            Curve::K256 => generate_on::<Secp256k1>(crv),
        }
    }
}

/// A parsed private key on one of the four curves.
#[derive(Clone)]
pub(crate) enum SigningInner {
    P256(SigningKey<NistP256>),
    P384(SigningKey<NistP384>),
    P521(SigningKey<NistP521>),
    K256(SigningKey<Secp256k1>),
}

/// A parsed public key on one of the four curves.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum VerifyingInner {
    P256(VerifyingKey<NistP256>),
    P384(VerifyingKey<NistP384>),
    P521(VerifyingKey<NistP521>),
    K256(VerifyingKey<Secp256k1>),
}

/// Runs `$body` with `$k` bound to the curve-specific key inside an inner key enum.
macro_rules! on_curve {
    ($enum:ident, $value:expr, $k:ident => $body:expr) => {
        match $value {
            $enum::P256($k) => $body,
            $enum::P384($k) => $body,
            $enum::P521($k) => $body,
            $enum::K256($k) => $body,
        }
    };
}

impl SigningInner {
    /// Parses the private scalar `d` (big-endian, the curve's field size, in `[1, n - 1]`).
    pub(crate) fn parse(curve: Curve, d: &[u8]) -> Result<Self, KeyError> {
        check_ec_private(curve.crv(), d)?;
        Ok(match curve {
            Curve::P256 => SigningInner::P256(signing_key(d)?),
            Curve::P384 => SigningInner::P384(signing_key(d)?),
            Curve::P521 => SigningInner::P521(signing_key(d)?),
            Curve::K256 => SigningInner::K256(signing_key(d)?),
        })
    }

    /// Parses `d` and checks the public point given with it, when there is one (`x`, `y` both
    /// empty for a key file without its public point): it must be `d·G`.
    pub(crate) fn with_public(
        curve: Curve,
        d: &[u8],
        x: &[u8],
        y: &[u8],
    ) -> Result<Self, KeyError> {
        // The codec's rule on the coordinates comes first, so that a coordinate at or above
        // p reads as that, not as a mismatch, whichever way the key arrived.
        if !x.is_empty() || !y.is_empty() {
            check_ec_public(curve.crv(), x, y)?;
        }
        let key = SigningInner::parse(curve, d)?;
        let (dx, dy) = key.verifying().coordinates();
        check_public_matches(x, &dx)?;
        check_public_matches(y, &dy)?;
        Ok(key)
    }

    /// The public key `d·G`.
    pub(crate) fn verifying(&self) -> VerifyingInner {
        match self {
            SigningInner::P256(k) => VerifyingInner::P256(*k.verifying_key()),
            SigningInner::P384(k) => VerifyingInner::P384(*k.verifying_key()),
            SigningInner::P521(k) => VerifyingInner::P521(*k.verifying_key()),
            SigningInner::K256(k) => VerifyingInner::K256(*k.verifying_key()),
        }
    }

    pub(crate) fn curve(&self) -> EcCurve {
        match self {
            SigningInner::P256(_) => EcCurve::P256,
            SigningInner::P384(_) => EcCurve::P384,
            SigningInner::P521(_) => EcCurve::P521,
            SigningInner::K256(_) => EcCurve::Secp256k1,
        }
    }

    /// Signs `input` (deterministic RFC 6979 nonce), appending `R || S` to `out`.
    pub(crate) fn sign(&self, input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        on_curve!(SigningInner, self, k => sign_with(k, input, out))
    }
}

impl VerifyingInner {
    /// Parses the affine point `(x, y)`, big-endian coordinates of the curve's field size.
    pub(crate) fn parse(curve: Curve, x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        check_ec_public(curve.crv(), x, y)?;
        let point = [&[0x04][..], x, y].concat();
        Ok(match curve {
            Curve::P256 => VerifyingInner::P256(verifying_key(&point)?),
            Curve::P384 => VerifyingInner::P384(verifying_key(&point)?),
            Curve::P521 => VerifyingInner::P521(verifying_key(&point)?),
            Curve::K256 => VerifyingInner::K256(verifying_key(&point)?),
        })
    }

    /// The public key of a JWK's material: derived from `d` (and checked against `x`, `y`)
    /// when it is private, else parsed from `x`, `y`.
    pub(crate) fn from_ec(curve: Curve, ec: &EcKey) -> Result<Self, KeyError> {
        match &ec.d {
            Some(d) => Ok(SigningInner::with_public(curve, d.expose(), &ec.x, &ec.y)?.verifying()),
            None => VerifyingInner::parse(curve, &ec.x, &ec.y),
        }
    }

    pub(crate) fn curve(&self) -> EcCurve {
        match self {
            VerifyingInner::P256(_) => EcCurve::P256,
            VerifyingInner::P384(_) => EcCurve::P384,
            VerifyingInner::P521(_) => EcCurve::P521,
            VerifyingInner::K256(_) => EcCurve::Secp256k1,
        }
    }

    /// The affine coordinates, big-endian, the curve's field size each.
    pub(crate) fn coordinates(&self) -> (Vec<u8>, Vec<u8>) {
        on_curve!(VerifyingInner, self, k => coordinates(k))
    }

    /// Verifies `R || S` over `input`, low-S and high-S alike.
    pub(crate) fn verify(&self, input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        on_curve!(VerifyingInner, self, k => verify_with(k, input, signature))
    }
}

/// Parses a private scalar already checked by the codec's rule.
fn signing_key<C>(d: &[u8]) -> Result<SigningKey<C>, KeyError>
where
    C: EcdsaCurve + CurveArithmetic,
{
    // Cannot fail once `check_ec_private` passed (length and range are all `from_slice` checks);
    // mapped to the rule it would have broken rather than unwrapped.
    SigningKey::<C>::from_slice(d).map_err(|_| KeyError::Rejected(KeyRule::ScalarRange))
}

/// Parses an uncompressed SEC1 point whose coordinates the codec's rule already checked: the
/// library refusing it means it is not on the curve.
fn verifying_key<C>(point: &[u8]) -> Result<VerifyingKey<C>, KeyError>
where
    C: EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    VerifyingKey::<C>::from_sec1_bytes(point).map_err(|_| not_on_curve())
}

fn coordinates<C>(key: &VerifyingKey<C>) -> (Vec<u8>, Vec<u8>)
where
    C: EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let point = key.to_sec1_point(false);
    (
        point.x().map(|v| v.to_vec()).unwrap_or_default(),
        point.y().map(|v| v.to_vec()).unwrap_or_default(),
    )
}

fn sign_with<C>(key: &SigningKey<C>, input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError>
where
    C: EcdsaCurve + CurveArithmetic,
    SigningKey<C>: EcSigner<Signature<C>>,
{
    let sig: Signature<C> = key
        .try_sign(input)
        .map_err(|_| SignError("ECDSA signing failed".into()))?;
    out.extend_from_slice(&sig.to_bytes());
    Ok(())
}

fn verify_with<C>(key: &VerifyingKey<C>, input: &[u8], sig: &[u8]) -> Result<(), SignatureError>
where
    C: EcdsaCurve + CurveArithmetic,
    VerifyingKey<C>: EcVerifier<Signature<C>>,
{
    // `from_slice` refuses a wrong length and r or s outside [1, n - 1], without panicking.
    let sig = Signature::<C>::from_slice(sig).map_err(|_| SignatureError::Invalid)?;
    // Curves whose verifier insists on low-S (secp256k1 in k256): accept high-S as well by
    // checking the equivalent (r, n - s). See the crate docs on the low-S policy.
    let sig = if C::NORMALIZE_S {
        sig.normalize_s()
    } else {
        sig
    };
    key.verify(input, &sig).map_err(|_| SignatureError::Invalid)
}

fn generate_on<C>(crv: EcCurve) -> Result<EcKey, KeyError>
where
    C: EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
    SigningKey<C>: Generate,
{
    let key = SigningKey::<C>::try_generate().map_err(|e| KeyError::Generation(e.to_string()))?;
    let (x, y) = coordinates(key.verifying_key());
    let d = Zeroizing::new(key.to_bytes());
    Ok(EcKey {
        crv,
        x,
        y,
        d: Some(Secret::new(d.as_slice())),
    })
}
