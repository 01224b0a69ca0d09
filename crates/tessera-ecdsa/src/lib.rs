//! ES256, ES384, ES512 (RFC 7518 §3.4) and ES256K (RFC 8812 §3.2) for tessera, on RustCrypto's
//! `p256`, `p384`, `p521` and `k256` (through `ecdsa` 0.17).
//!
//! | Algorithm | Curve     | Hash    | Signature `R \|\| S` |
//! |-----------|-----------|---------|----------------------|
//! | ES256     | P-256     | SHA-256 | 64 bytes             |
//! | ES384     | P-384     | SHA-384 | 96 bytes             |
//! | ES512     | P-521     | SHA-512 | 132 bytes            |
//! | ES256K    | secp256k1 | SHA-256 | 64 bytes             |
//!
//! # Keys
//!
//! Keys are parsed and checked once, when an [`EcdsaSigner`] or [`EcdsaVerifier`] is made:
//!
//! - a public point must be on the curve (the identity has no affine coordinates and is refused
//!   too), with coordinates below the field prime;
//! - a private scalar `d` must be in `[1, n - 1]`, `n` the group order;
//! - a private JWK that also carries `x` and `y` must carry the point `d·G`;
//! - a private key without its public point (a SEC1 or PKCS#8 key without `publicKey`, read with
//!   [`Jwk::from_pem`]) signs as usual; [`EcdsaBackend::public_key`] derives the missing `x`, `y`.
//!
//! Every failure is [`KeyError::Invalid`]; the codec's [`Jwk::check_for`] runs first, so a key
//! on another curve is [`KeyError::WrongCurve`].
//!
//! # Signatures
//!
//! Only the JWS form is produced and accepted: `R || S`, each the curve's field size, big-endian
//! (RFC 7518 §3.4). Any other length, an ASN.1 DER signature included, is
//! [`SignatureError::Length`]. `r` and `s` must be in `[1, n - 1]`, checked before any curve
//! arithmetic, so the all-zero "psychic signature" (CVE-2022-21449) and `r` or `s` equal to or
//! above `n` are [`SignatureError::Invalid`]. Parsing cannot panic on any input.
//!
//! Signing is deterministic (RFC 6979 nonces from the key and the message hash): it needs no
//! random numbers, and the same key and input always give the same signature.
//!
//! # Low-S policy
//!
//! An ECDSA signature `(r, s)` has a twin `(r, n - s)` that verifies as well; "low-S" rules
//! (BIP 62/146) pick the one with `s <= n / 2`.
//!
//! - **Signing** produces what the library produces. For P-256, P-384 and P-521 `s` is *not*
//!   normalized, so about half the signatures are high-S (as are RFC 6979's own P-256 examples).
//!   For secp256k1, `k256` normalizes: ES256K signatures from this backend are always low-S.
//! - **Verification accepts both low-S and high-S on all four curves.** RFC 7518 and RFC 8812
//!   do not require low-S, general-purpose ECDSA libraries (OpenSSL, the Java JCA, ...) do not
//!   normalize, and JWT does not rely on signatures being non-malleable. `k256`'s verifier refuses
//!   high-S, so for ES256K this backend normalizes `s` before verifying, which checks exactly the
//!   same equation.
//!
//! Consequence: anyone holding a valid token can produce a second valid token with a different
//! signature for the same header and payload. Never use the token string or its signature as a
//! unique identifier (for replay detection use the `jti` claim).
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, KeySpec, Signer, SignatureError, Verifier};
//! use tessera_ecdsa::{EcdsaBackend, EcdsaVerifier};
//!
//! let key = EcdsaBackend.generate(KeySpec::new(Algorithm::ES256)).unwrap();
//! let signer = EcdsaBackend.signer(&key, Algorithm::ES256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! assert_eq!(sig.len(), 64);
//!
//! let public = EcdsaBackend.public_key(&key).unwrap();
//! let verifier = EcdsaVerifier::from_jwk(&public, Algorithm::ES256).unwrap();
//! assert_eq!(verifier.verify(b"header.payload", &sig), Ok(()));
//! assert_eq!(verifier.verify(b"header.payloaD", &sig), Err(SignatureError::Invalid));
//! ```

#![forbid(unsafe_code)]

use ecdsa::elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use ecdsa::elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, Generate};
use ecdsa::signature::{Signer as EcSigner, Verifier as EcVerifier};
use ecdsa::{EcdsaCurve, Signature, SigningKey, VerifyingKey};
use k256::Secp256k1;
use p256::NistP256;
use p384::NistP384;
use p521::NistP521;
use std::fmt;
use tessera_codec::{
    Algorithm, Backend, EcCurve, EcKey, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse, Library,
    Secret, SignError, SignatureError, Signer, Verifier, b64, ensure_supported,
};
use zeroize::Zeroizing;

const ALGORITHMS: &[Algorithm] = &[
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::ES256K,
];

/// The RustCrypto ECDSA backend: ES256, ES384, ES512 and ES256K.
#[derive(Clone, Copy, Debug, Default)]
pub struct EcdsaBackend;

/// A parsed private key on one of the four curves.
#[derive(Clone)]
enum SigningInner {
    P256(SigningKey<NistP256>),
    P384(SigningKey<NistP384>),
    P521(SigningKey<NistP521>),
    K256(SigningKey<Secp256k1>),
}

/// A parsed public key on one of the four curves.
#[derive(Clone, PartialEq, Eq)]
enum VerifyingInner {
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

/// The curve an algorithm needs, for the four algorithms this backend implements.
fn curve_of(alg: Algorithm) -> Result<EcCurve, KeyError> {
    ensure_supported(&EcdsaBackend, alg)?;
    alg.curve().ok_or(KeyError::Unsupported {
        backend: "tessera-ecdsa",
        alg,
    })
}

fn unsupported_curve(crv: EcCurve) -> KeyError {
    KeyError::UnsupportedKey(format!("EC curve {crv}"))
}

/// Parses an affine public point given as big-endian coordinates of the curve's field size.
fn verifying_key<C>(crv: EcCurve, x: &[u8], y: &[u8]) -> Result<VerifyingKey<C>, KeyError>
where
    C: EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let n = crv.field_len();
    if x.len() != n || y.len() != n {
        return Err(KeyError::Invalid(format!(
            "EC public key coordinates are {} and {} bytes, {crv} needs {n}",
            x.len(),
            y.len()
        )));
    }
    let mut point = Vec::with_capacity(1 + 2 * n);
    point.push(0x04);
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    VerifyingKey::<C>::from_sec1_bytes(&point)
        .map_err(|_| KeyError::Invalid(format!("EC public key is not a point on {crv}")))
}

/// Parses a private scalar; when `x`/`y` are given they must be the scalar's public point.
fn signing_key<C>(crv: EcCurve, d: &[u8], x: &[u8], y: &[u8]) -> Result<SigningKey<C>, KeyError>
where
    C: EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let n = crv.field_len();
    if d.len() != n {
        return Err(KeyError::Invalid(format!(
            "EC private key is {} bytes, {crv} needs {n}",
            d.len()
        )));
    }
    let key = SigningKey::<C>::from_slice(d).map_err(|_| {
        KeyError::Invalid(format!(
            "EC private key is zero or not below the {crv} group order"
        ))
    })?;
    if !(x.is_empty() && y.is_empty()) {
        let given = verifying_key::<C>(crv, x, y)?;
        if &given != key.verifying_key() {
            return Err(KeyError::Invalid(
                "EC public key (x, y) does not match the private key d".into(),
            ));
        }
    }
    Ok(key)
}

/// The affine coordinates of a public key, big-endian, the curve's field size each.
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

impl SigningInner {
    fn parse(crv: EcCurve, d: &[u8], x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        Ok(match crv {
            EcCurve::P256 => SigningInner::P256(signing_key(crv, d, x, y)?),
            EcCurve::P384 => SigningInner::P384(signing_key(crv, d, x, y)?),
            EcCurve::P521 => SigningInner::P521(signing_key(crv, d, x, y)?),
            EcCurve::Secp256k1 => SigningInner::K256(signing_key(crv, d, x, y)?),
            other => return Err(unsupported_curve(other)),
        })
    }

    fn verifying(&self) -> VerifyingInner {
        match self {
            SigningInner::P256(k) => VerifyingInner::P256(*k.verifying_key()),
            SigningInner::P384(k) => VerifyingInner::P384(*k.verifying_key()),
            SigningInner::P521(k) => VerifyingInner::P521(*k.verifying_key()),
            SigningInner::K256(k) => VerifyingInner::K256(*k.verifying_key()),
        }
    }
}

impl VerifyingInner {
    fn parse(crv: EcCurve, x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        Ok(match crv {
            EcCurve::P256 => VerifyingInner::P256(verifying_key(crv, x, y)?),
            EcCurve::P384 => VerifyingInner::P384(verifying_key(crv, x, y)?),
            EcCurve::P521 => VerifyingInner::P521(verifying_key(crv, x, y)?),
            EcCurve::Secp256k1 => VerifyingInner::K256(verifying_key(crv, x, y)?),
            other => return Err(unsupported_curve(other)),
        })
    }

    /// The public key of a JWK: parsed from `d` (and checked against `x`, `y`) when private.
    fn from_ec(ec: &EcKey) -> Result<Self, KeyError> {
        match &ec.d {
            Some(d) => Ok(SigningInner::parse(ec.crv, d.expose(), &ec.x, &ec.y)?.verifying()),
            None => VerifyingInner::parse(ec.crv, &ec.x, &ec.y),
        }
    }

    fn curve(&self) -> EcCurve {
        match self {
            VerifyingInner::P256(_) => EcCurve::P256,
            VerifyingInner::P384(_) => EcCurve::P384,
            VerifyingInner::P521(_) => EcCurve::P521,
            VerifyingInner::K256(_) => EcCurve::Secp256k1,
        }
    }

    fn coordinates(&self) -> (Vec<u8>, Vec<u8>) {
        on_curve!(VerifyingInner, self, k => coordinates(k))
    }
}

/// The EC material of a JWK after the codec's binding checks for `alg` and `usage`.
fn ec_material(key: &Jwk, alg: Algorithm, usage: KeyUse) -> Result<&EcKey, KeyError> {
    curve_of(alg)?;
    match key.check_for(alg, usage)? {
        KeyMaterial::Ec(ec) => Ok(ec),
        _ => Err(KeyError::WrongKeyType {
            alg,
            kty: key.kty(),
        }),
    }
}

/// A prepared ECDSA private key for one algorithm: signs with deterministic (RFC 6979) nonces
/// and writes `R || S`.
#[derive(Clone)]
pub struct EcdsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    key: SigningInner,
}

impl fmt::Debug for EcdsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the private scalar: the algorithm, kid and curve only.
        f.debug_struct("EcdsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("crv", &self.key.verifying().curve())
            .finish_non_exhaustive()
    }
}

impl EcdsaSigner {
    /// Prepares the private scalar `d` (big-endian, exactly the curve's field size: 32, 48, 66
    /// or 32 bytes) for `alg`; the public key is derived from it. `d` must be in `[1, n - 1]`.
    pub fn new(alg: Algorithm, d: &[u8]) -> Result<Self, KeyError> {
        let crv = curve_of(alg)?;
        Ok(EcdsaSigner {
            alg,
            kid: None,
            key: SigningInner::parse(crv, d, &[], &[])?,
        })
    }

    /// Prepares an EC private JWK for `alg`, after the codec's binding checks. When the JWK
    /// carries `x` and `y`, they must be the public point of `d`; when they are empty (a key
    /// read from a PEM without its public key) they are derived.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let ec = ec_material(key, alg, KeyUse::Sign)?;
        let d = ec.d.as_ref().ok_or(KeyError::NotPrivate)?;
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            key: SigningInner::parse(ec.crv, d.expose(), &ec.x, &ec.y)?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// A verifier for this key's public half, with the same algorithm and `kid`.
    pub fn verifier(&self) -> EcdsaVerifier {
        EcdsaVerifier {
            alg: self.alg,
            kid: self.kid.clone(),
            key: self.key.verifying(),
        }
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
        on_curve!(SigningInner, &self.key, k => sign_with(k, signing_input, out))
    }
}

/// A prepared ECDSA public key for one algorithm: verifies `R || S` signatures, low-S and
/// high-S alike (see the crate docs).
#[derive(Clone, PartialEq, Eq)]
pub struct EcdsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: VerifyingInner,
}

impl fmt::Debug for EcdsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, y) = self.key.coordinates();
        f.debug_struct("EcdsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("crv", &self.key.curve())
            .field("x", &b64::encode(&x))
            .field("y", &b64::encode(&y))
            .finish()
    }
}

impl EcdsaVerifier {
    /// Prepares the public point `(x, y)` (big-endian affine coordinates, each exactly the
    /// curve's field size) for `alg`. The point must be on the curve.
    pub fn new(alg: Algorithm, x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        let crv = curve_of(alg)?;
        Ok(EcdsaVerifier {
            alg,
            kid: None,
            key: VerifyingInner::parse(crv, x, y)?,
        })
    }

    /// Prepares an EC JWK for `alg`, after the codec's binding checks. A private JWK is
    /// accepted and its public half used (checked against `d` as [`EcdsaSigner::from_jwk`] does).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let ec = ec_material(key, alg, KeyUse::Verify)?;
        Ok(EcdsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: VerifyingInner::from_ec(ec)?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The public key as a JWK, with `kid` and `alg` set.
    pub fn public_jwk(&self) -> Jwk {
        let (x, y) = self.key.coordinates();
        Jwk {
            kid: self.kid.clone(),
            alg: Some(self.alg.name().to_owned()),
            key_use: None,
            key_ops: None,
            material: KeyMaterial::Ec(EcKey {
                crv: self.key.curve(),
                x,
                y,
                d: None,
            }),
        }
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
        2 * self.key.curve().field_len()
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        let expected = self.signature_len();
        if signature.len() != expected {
            return Err(SignatureError::Length {
                expected,
                found: signature.len(),
            });
        }
        on_curve!(VerifyingInner, &self.key, k => verify_with(k, signing_input, signature))
    }
}

impl Backend for EcdsaBackend {
    fn name(&self) -> &'static str {
        "tessera-ecdsa"
    }

    fn library(&self) -> Library {
        Library {
            name: "RustCrypto p256/p384/p521/k256 + ecdsa",
            version: "0.14 + 0.17",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        Ok(Box::new(EcdsaSigner::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        Ok(Box::new(EcdsaVerifier::from_jwk(key, alg)?))
    }

    /// A new private key on the algorithm's curve, with complete `x`, `y`, `d` and `alg` set.
    /// `spec.bits` is ignored: the curve fixes the size.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        let crv = curve_of(spec.alg)?;
        let ec = match crv {
            EcCurve::P256 => generate_on::<NistP256>(crv)?,
            EcCurve::P384 => generate_on::<NistP384>(crv)?,
            EcCurve::P521 => generate_on::<NistP521>(crv)?,
            EcCurve::Secp256k1 => generate_on::<Secp256k1>(crv)?,
            other => return Err(unsupported_curve(other)),
        };
        Ok(Jwk::new(KeyMaterial::Ec(ec)).with_alg(spec.alg))
    }

    /// The public JWK of an EC key. For a private key the point is derived from `d` (so a key
    /// read from a PEM without its public key gets `x` and `y`), and checked against `x`, `y`
    /// when those are present; a public key is checked to be on its curve. `kid`, `alg` and
    /// `use` are kept and `key_ops` filtered as [`Jwk::to_public`] does. Other key types get
    /// [`Jwk::to_public`].
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        let KeyMaterial::Ec(ec) = &key.material else {
            return key.to_public();
        };
        let (x, y) = VerifyingInner::from_ec(ec)?.coordinates();
        Jwk {
            kid: key.kid.clone(),
            alg: key.alg.clone(),
            key_use: key.key_use.clone(),
            key_ops: key.key_ops.clone(),
            material: KeyMaterial::Ec(EcKey {
                crv: ec.crv,
                x,
                y,
                d: None,
            }),
        }
        .to_public()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_codec::{Encoder, Validation, verify_jws};

    // RFC 7515 Appendix A.3 (ES256): the key of Figure 21 (A.3.1) and the token of A.3.1.
    const A3_KEY: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
    const A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    const A3_PAYLOAD: &[u8] =
        b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

    // RFC 7515 Appendix A.4 (ES512, payload "Payload"): key of A.4.1 and the token of A.4.1.
    const A4_KEY: &str = r#"{"kty":"EC","crv":"P-521","x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk","y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2","d":"AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"}"#;
    const A4_TOKEN: &str = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

    // RFC 7520 §3.2 (Figure 2) key and the §4.3.3 compact JWS (ES512).
    const RFC7520_KEY: &str = r#"{"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521","x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt","y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1","d":"AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt"}"#;
    const RFC7520_TOKEN: &str = "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2";
    const RFC7520_PAYLOAD: &str = "It\u{2019}s a dangerous business, Frodo, going out your door. You step onto the road, and if you don't keep your feet, there\u{2019}s no knowing where you might be swept off to.";

    // The A.3 private key as SEC1 `EC PRIVATE KEY` without the optional publicKey
    // (SEQUENCE { 1, OCTET STRING d, [0] prime256v1 }); `openssl ec -text` shows the A.3 x, y.
    const A3_SEC1_NO_PUBLIC: &str = "-----BEGIN EC PRIVATE KEY-----\nMDECAQEEII6bEJ5xkJi/mASH3x9dd+nLKWBuvtImO19XwhPfhPSyoAoGCCqGSM49\nAwEH\n-----END EC PRIVATE KEY-----\n";

    // RFC 6979 Appendix A.2.5: P-256 key, public point, and the SHA-256 signature of "sample".
    const RFC6979_P256_D: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
    const RFC6979_P256_UX: &str =
        "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
    const RFC6979_P256_UY: &str =
        "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";
    const RFC6979_P256_SAMPLE_R: &str =
        "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
    const RFC6979_P256_SAMPLE_S: &str =
        "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";

    // The widely published secp256k1 RFC 6979 (SHA-256) vector, low-S normalized as libsecp256k1
    // does: d = 1, message "Satoshi Nakamoto". The public key is the generator G (SEC 2 §2.4.1).
    const K256_GX: &str = "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";
    const K256_GY: &str = "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8";
    const K256_SATOSHI_R: &str = "934B1EA10A4B3C1757E2B0C017D0B6143CE3C9A7E6A4A49860D7A6AB210EE3D8";
    const K256_SATOSHI_S: &str = "2442CE9D2B916064108014783E923EC36B49743E2FFA1C4496F01A512AAFD9E5";

    // Group orders n (SEC 2 §2.4.1, §2.4.2, §2.5.1, §2.7.1; as printed by `openssl ecparam
    // -param_enc explicit`), big-endian at the curve's field size.
    const N_P256: &str = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";
    const N_P384: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973";
    const N_P521: &str = "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409";
    const N_K256: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";

    const CURVES: [(Algorithm, &str); 4] = [
        (Algorithm::ES256, N_P256),
        (Algorithm::ES384, N_P384),
        (Algorithm::ES512, N_P521),
        (Algorithm::ES256K, N_K256),
    ];

    fn hex(s: &str) -> Vec<u8> {
        assert!(s.len().is_multiple_of(2), "{s}");
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn jwk(json: &str) -> Jwk {
        Jwk::from_json(json.as_bytes()).unwrap()
    }

    /// `a - b` for big-endian numbers of equal length, `a >= b`.
    fn sub(a: &[u8], b: &[u8]) -> Vec<u8> {
        assert_eq!(a.len(), b.len());
        let mut out = vec![0u8; a.len()];
        let mut borrow = 0i16;
        for i in (0..a.len()).rev() {
            let mut v = i16::from(a[i]) - i16::from(b[i]) - borrow;
            borrow = i16::from(v < 0);
            if v < 0 {
                v += 256;
            }
            out[i] = v as u8;
        }
        assert_eq!(borrow, 0, "a < b");
        out
    }

    /// `a + 1` for a big-endian number (no overflow in the cases used).
    fn plus_one(a: &[u8]) -> Vec<u8> {
        let mut out = a.to_vec();
        for b in out.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        out
    }

    /// Whether `s > n / 2` (big-endian, equal length).
    fn is_high(s: &[u8], n: &[u8]) -> bool {
        // n is odd, so s > n / 2 exactly when 2s > n, i.e. when s > n - s.
        s > sub(n, s).as_slice()
    }

    /// ASN.1 DER `ECDSA-Sig-Value` of `r || s` (RFC 3279 §2.2.3), the form JWS must not use.
    fn der(sig: &[u8]) -> Vec<u8> {
        fn int(v: &[u8]) -> Vec<u8> {
            let v = &v[v.iter().position(|&b| b != 0).unwrap_or(v.len() - 1)..];
            let mut out = vec![0x02];
            let pad = v[0] >= 0x80;
            out.push((v.len() + usize::from(pad)) as u8);
            if pad {
                out.push(0);
            }
            out.extend_from_slice(v);
            out
        }
        let (r, s) = sig.split_at(sig.len() / 2);
        let body = [int(r), int(s)].concat();
        let mut out = vec![0x30];
        if body.len() >= 0x80 {
            out.push(0x81);
        }
        out.push(body.len() as u8);
        out.extend(body);
        out
    }

    fn keypair(alg: Algorithm) -> (EcdsaSigner, EcdsaVerifier) {
        let key = EcdsaBackend.generate(KeySpec::new(alg)).unwrap();
        let signer = EcdsaSigner::from_jwk(&key, alg).unwrap();
        let verifier =
            EcdsaVerifier::from_jwk(&EcdsaBackend.public_key(&key).unwrap(), alg).unwrap();
        (signer, verifier)
    }

    fn sign(signer: &EcdsaSigner, input: &[u8]) -> Vec<u8> {
        let mut sig = Vec::new();
        signer.sign(input, &mut sig).unwrap();
        sig
    }

    #[test]
    fn es256_rfc7515_a3_token_verifies() {
        let key = jwk(A3_KEY);
        let verifier = EcdsaBackend
            .verifier(&key.to_public().unwrap(), Algorithm::ES256)
            .unwrap();
        let v = verify_jws(A3_TOKEN, &verifier, &Validation::new()).unwrap();
        assert_eq!(v.payload(), A3_PAYLOAD);
        // The private key's own public half verifies it too.
        let from_private = EcdsaBackend.verifier(&key, Algorithm::ES256).unwrap();
        assert!(verify_jws(A3_TOKEN, &from_private, &Validation::new()).is_ok());
    }

    #[test]
    fn es512_rfc7515_a4_token_verifies() {
        let key = jwk(A4_KEY).to_public().unwrap();
        let verifier = EcdsaVerifier::from_jwk(&key, Algorithm::ES512).unwrap();
        assert_eq!(verifier.signature_len(), 132);
        let v = verify_jws(A4_TOKEN, &verifier, &Validation::new()).unwrap();
        assert_eq!(v.payload(), b"Payload");
    }

    #[test]
    fn es512_rfc7520_4_3_token_verifies() {
        let key = jwk(RFC7520_KEY).to_public().unwrap();
        let verifier = EcdsaBackend.verifier(&key, Algorithm::ES512).unwrap();
        assert_eq!(verifier.key_id(), Some("bilbo.baggins@hobbiton.example"));
        let v = verify_jws(RFC7520_TOKEN, &verifier, &Validation::new()).unwrap();
        assert_eq!(v.payload(), RFC7520_PAYLOAD.as_bytes());
    }

    #[test]
    fn rfc_tokens_with_one_bit_changed_are_invalid() {
        for (key, alg, token) in [
            (A3_KEY, Algorithm::ES256, A3_TOKEN),
            (A4_KEY, Algorithm::ES512, A4_TOKEN),
            (RFC7520_KEY, Algorithm::ES512, RFC7520_TOKEN),
        ] {
            let verifier = EcdsaVerifier::from_jwk(&jwk(key), alg).unwrap();
            let (input, sig) = token.rsplit_once('.').unwrap();
            let sig = b64::decode(sig.as_bytes()).unwrap();
            assert_eq!(verifier.verify(input.as_bytes(), &sig), Ok(()));
            let mut tampered_input = input.as_bytes().to_vec();
            let last = tampered_input.len() - 1;
            tampered_input[last] ^= 1;
            assert_eq!(
                verifier.verify(&tampered_input, &sig),
                Err(SignatureError::Invalid)
            );
            for i in [0, sig.len() / 2 - 1, sig.len() / 2, sig.len() - 1] {
                let mut bad = sig.clone();
                bad[i] ^= 0x01;
                assert_eq!(
                    verifier.verify(input.as_bytes(), &bad),
                    Err(SignatureError::Invalid),
                    "{alg} byte {i}"
                );
            }
        }
    }

    #[test]
    fn es256_signing_is_rfc6979_and_keeps_high_s() {
        // RFC 6979 A.2.5 signs SHA-256("sample"); the ES256 signer hashes its input with SHA-256,
        // so signing the bytes "sample" must give the published (r, s) exactly. That s is above
        // n / 2: P-256 signatures are not normalized to low-S.
        let signer = EcdsaSigner::new(Algorithm::ES256, &hex(RFC6979_P256_D)).unwrap();
        let sig = sign(&signer, b"sample");
        let expected = [hex(RFC6979_P256_SAMPLE_R), hex(RFC6979_P256_SAMPLE_S)].concat();
        assert_eq!(sig, expected);
        assert!(is_high(&hex(RFC6979_P256_SAMPLE_S), &hex(N_P256)));
        let verifier = signer.verifier();
        let KeyMaterial::Ec(public) = verifier.public_jwk().material else {
            panic!("not EC")
        };
        assert_eq!(
            (public.x, public.y),
            (hex(RFC6979_P256_UX), hex(RFC6979_P256_UY))
        );
        assert_eq!(verifier.verify(b"sample", &sig), Ok(()));
    }

    #[test]
    fn es256k_signing_matches_published_secp256k1_vector_and_is_low_s() {
        // d = 1, message "Satoshi Nakamoto": the RFC 6979 nonce gives a high s, which k256
        // normalizes; the published (low-S) signature must come out byte for byte.
        let mut d = [0u8; 32];
        d[31] = 1;
        let signer = EcdsaSigner::new(Algorithm::ES256K, &d).unwrap();
        let sig = sign(&signer, b"Satoshi Nakamoto");
        assert_eq!(sig, [hex(K256_SATOSHI_R), hex(K256_SATOSHI_S)].concat());
        assert!(!is_high(&hex(K256_SATOSHI_S), &hex(N_K256)));
        // Its public key is the generator, and a verifier made from (x, y) accepts the signature.
        let verifier = EcdsaVerifier::new(Algorithm::ES256K, &hex(K256_GX), &hex(K256_GY)).unwrap();
        assert_eq!(verifier, signer.verifier());
        assert_eq!(verifier.verify(b"Satoshi Nakamoto", &sig), Ok(()));
        assert_eq!(
            verifier.verify(b"Satoshi Nakamoto!", &sig),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn es256k_signature_made_with_k256_directly_verifies() {
        use k256::ecdsa::signature::{Signer as _, Verifier as _};
        let key = EcdsaBackend
            .generate(KeySpec::new(Algorithm::ES256K))
            .unwrap();
        let KeyMaterial::Ec(ec) = &key.material else {
            panic!("not EC")
        };
        let direct = k256::ecdsa::SigningKey::from_slice(ec.d.as_ref().unwrap().expose()).unwrap();
        let input = b"eyJhbGciOiJFUzI1NksifQ.eyJzdWIiOiJhbGljZSJ9";
        let sig: k256::ecdsa::Signature = direct.sign(input);
        let verifier = EcdsaBackend
            .verifier(&EcdsaBackend.public_key(&key).unwrap(), Algorithm::ES256K)
            .unwrap();
        assert_eq!(verifier.verify(input, &sig.to_bytes()), Ok(()));
        // Its high-S twin: k256's own verifier refuses it, this backend accepts it (the
        // documented policy).
        let (r, s) = sig.split_bytes();
        let twin = [r.to_vec(), sub(&hex(N_K256), &s)].concat();
        let twin_sig = k256::ecdsa::Signature::from_slice(&twin).unwrap();
        assert!(direct.verifying_key().verify(input, &twin_sig).is_err());
        assert_eq!(verifier.verify(input, &twin), Ok(()));
    }

    #[test]
    fn every_algorithm_round_trips_and_rejects_tampering() {
        for (alg, n) in CURVES {
            let n = hex(n);
            let key = EcdsaBackend.generate(KeySpec::new(alg)).unwrap();
            assert_eq!(key.alg.as_deref(), Some(alg.name()));
            let KeyMaterial::Ec(ec) = &key.material else {
                panic!("not EC")
            };
            let len = alg.curve().unwrap().field_len();
            assert_eq!((ec.x.len(), ec.y.len()), (len, len));
            assert_eq!(ec.d.as_ref().map(Secret::len), Some(len));
            // The generated key survives the JWK JSON round trip and the codec's checks.
            let key = Jwk::from_json(key.to_json().as_bytes()).unwrap();
            let signer = EcdsaBackend.signer(&key, alg).unwrap();
            let verifier = EcdsaBackend
                .verifier(&key.to_public().unwrap(), alg)
                .unwrap();
            assert_eq!(verifier.signature_len(), 2 * len);
            let mut sig = Vec::new();
            signer.sign(b"a.b", &mut sig).unwrap();
            assert_eq!(sig.len(), verifier.signature_len(), "{alg}");
            assert!(sig[..len] < n[..] && sig[len..] < n[..], "{alg}");
            assert_eq!(verifier.verify(b"a.b", &sig), Ok(()), "{alg}");
            assert_eq!(verifier.verify(b"a.c", &sig), Err(SignatureError::Invalid));
            let mut bad = sig.clone();
            bad[len - 1] ^= 1;
            assert_eq!(verifier.verify(b"a.b", &bad), Err(SignatureError::Invalid));
            // Encoder and verify_jws with this backend, end to end.
            let token = Encoder::new(signer).sign_payload(b"payload").unwrap();
            let v = verify_jws(&token, &verifier, &Validation::new()).unwrap();
            assert_eq!(v.payload(), b"payload");
            // A key from another generation does not verify it.
            let (_, other) = keypair(alg);
            assert!(verify_jws(&token, &other, &Validation::new()).is_err());
        }
    }

    #[test]
    fn high_s_twin_is_accepted_on_every_curve() {
        // The documented policy: (r, n - s) verifies exactly when (r, s) does, on all curves.
        for (alg, n) in CURVES {
            let n = hex(n);
            let (signer, verifier) = keypair(alg);
            let sig = sign(&signer, b"header.payload");
            let (r, s) = sig.split_at(sig.len() / 2);
            let twin = [r, &sub(&n, s)].concat();
            assert_ne!(twin, sig);
            assert_eq!(verifier.verify(b"header.payload", &twin), Ok(()), "{alg}");
            assert_eq!(
                verifier.verify(b"header.payloaD", &twin),
                Err(SignatureError::Invalid)
            );
        }
    }

    #[test]
    fn es256k_signatures_are_always_low_s() {
        let n = hex(N_K256);
        let (signer, _) = keypair(Algorithm::ES256K);
        for i in 0..16u8 {
            let sig = sign(&signer, &[i; 7]);
            assert!(!is_high(&sig[32..], &n), "message {i}");
        }
    }

    #[test]
    fn der_signature_is_a_length_error() {
        for (alg, _) in CURVES {
            let (signer, verifier) = keypair(alg);
            let sig = sign(&signer, b"a.b");
            let der = der(&sig);
            assert_ne!(der.len(), sig.len());
            assert_eq!(
                verifier.verify(b"a.b", &der),
                Err(SignatureError::Length {
                    expected: sig.len(),
                    found: der.len()
                })
            );
        }
        // Through the decoder: the A.3 token with its signature re-encoded as DER.
        let verifier = EcdsaVerifier::from_jwk(&jwk(A3_KEY), Algorithm::ES256).unwrap();
        let (input, sig) = A3_TOKEN.rsplit_once('.').unwrap();
        let der = der(&b64::decode(sig.as_bytes()).unwrap());
        let token = format!("{input}.{}", b64::encode(&der));
        assert_eq!(
            verify_jws(&token, &verifier, &Validation::new()).err(),
            Some(tessera_codec::Error::Signature(SignatureError::Length {
                expected: 64,
                found: der.len()
            }))
        );
    }

    #[test]
    fn wrong_length_signatures_are_length_errors() {
        for (alg, _) in CURVES {
            let (_, verifier) = keypair(alg);
            let expected = verifier.signature_len();
            for found in [0, 1, expected - 1, expected + 1, 2 * expected] {
                assert_eq!(
                    verifier.verify(b"a.b", &vec![1u8; found]),
                    Err(SignatureError::Length { expected, found })
                );
            }
        }
    }

    #[test]
    fn zero_r_and_s_are_invalid() {
        // CVE-2022-21449: (0, 0) satisfies the verification equation in an implementation that
        // skips the range check.
        for (alg, _) in CURVES {
            let (signer, verifier) = keypair(alg);
            let len = verifier.signature_len();
            let half = len / 2;
            assert_eq!(
                verifier.verify(b"a.b", &vec![0u8; len]),
                Err(SignatureError::Invalid)
            );
            let sig = sign(&signer, b"a.b");
            let zero_r = [&vec![0u8; half][..], &sig[half..]].concat();
            let zero_s = [&sig[..half], &vec![0u8; half][..]].concat();
            assert_eq!(
                verifier.verify(b"a.b", &zero_r),
                Err(SignatureError::Invalid)
            );
            assert_eq!(
                verifier.verify(b"a.b", &zero_s),
                Err(SignatureError::Invalid)
            );
        }
    }

    #[test]
    fn r_or_s_not_below_the_group_order_is_invalid() {
        for (alg, n) in CURVES {
            let n = hex(n);
            let (signer, verifier) = keypair(alg);
            let sig = sign(&signer, b"a.b");
            let (r, s) = sig.split_at(sig.len() / 2);
            let cases = [
                ("r = n, s = n", [&n[..], &n[..]].concat()),
                ("r = n", [&n[..], s].concat()),
                ("s = n", [r, &n[..]].concat()),
                ("r = n + 1", [&plus_one(&n)[..], s].concat()),
                ("s = n + 1", [r, &plus_one(&n)[..]].concat()),
                ("r = 0, s = n", [&vec![0u8; n.len()][..], &n[..]].concat()),
            ];
            for (what, bad) in cases {
                assert_eq!(
                    verifier.verify(b"a.b", &bad),
                    Err(SignatureError::Invalid),
                    "{alg} {what}"
                );
            }
            // n - 1 is in range: a well-formed (if wrong) signature, still Invalid.
            let n_minus_1 = sub(&n, &plus_one(&vec![0u8; n.len()]));
            let edge = [&n_minus_1[..], &n_minus_1[..]].concat();
            assert_eq!(verifier.verify(b"a.b", &edge), Err(SignatureError::Invalid));
        }
    }

    #[test]
    fn arbitrary_signature_bytes_never_panic() {
        for (alg, _) in CURVES {
            let (_, verifier) = keypair(alg);
            let len = verifier.signature_len();
            let mut state = 0x2545_f491_4f6c_dd1d_u64;
            let mut inputs = vec![vec![0xff; len], vec![0x80; len], vec![0x01; len]];
            for _ in 0..64 {
                inputs.push(
                    (0..len)
                        .map(|_| {
                            state ^= state << 13;
                            state ^= state >> 7;
                            state ^= state << 17;
                            (state >> 24) as u8
                        })
                        .collect(),
                );
            }
            for sig in inputs {
                assert_eq!(
                    verifier.verify(b"a.b", &sig),
                    Err(SignatureError::Invalid),
                    "{alg}"
                );
            }
        }
    }

    #[test]
    fn group_order_constants_bound_the_private_scalar() {
        // Double-checks the n constants used above against the libraries: n - 1 is a valid
        // private key, n is not; and 0 is not either.
        for (alg, n) in CURVES {
            let n = hex(n);
            let n_minus_1 = sub(&n, &plus_one(&vec![0u8; n.len()]));
            assert!(EcdsaSigner::new(alg, &n_minus_1).is_ok(), "{alg}");
            let crv = alg.curve().unwrap();
            let out_of_range = Err(KeyError::Invalid(format!(
                "EC private key is zero or not below the {crv} group order"
            )));
            assert_eq!(EcdsaSigner::new(alg, &n).map(|_| ()), out_of_range);
            assert_eq!(
                EcdsaSigner::new(alg, &vec![0u8; n.len()]).map(|_| ()),
                out_of_range
            );
            assert_eq!(
                EcdsaSigner::new(alg, &vec![0xffu8; n.len()]).map(|_| ()),
                out_of_range
            );
        }
    }

    #[test]
    fn private_scalar_of_wrong_length_is_invalid() {
        assert_eq!(
            EcdsaSigner::new(Algorithm::ES512, &[1u8; 65]).map(|_| ()),
            Err(KeyError::Invalid(
                "EC private key is 65 bytes, P-521 needs 66".into()
            ))
        );
    }

    #[test]
    fn wrong_curve_key_is_refused() {
        let p384 = EcdsaBackend
            .generate(KeySpec::new(Algorithm::ES384))
            .unwrap();
        let expected = KeyError::WrongCurve {
            alg: Algorithm::ES256,
            expected: "P-256",
            found: "P-384",
        };
        assert_eq!(
            EcdsaBackend.signer(&p384, Algorithm::ES256).err(),
            Some(expected.clone())
        );
        assert_eq!(
            EcdsaBackend
                .verifier(&p384.to_public().unwrap(), Algorithm::ES256)
                .err(),
            Some(expected)
        );
        // A P-256 key for ES256K: same curve size, other curve.
        assert_eq!(
            EcdsaVerifier::from_jwk(&jwk(A3_KEY), Algorithm::ES256K).err(),
            Some(KeyError::WrongCurve {
                alg: Algorithm::ES256K,
                expected: "secp256k1",
                found: "P-256"
            })
        );
    }

    #[test]
    fn private_key_whose_public_point_does_not_match_is_invalid() {
        // The A.3 x, y with the RFC 6979 A.2.5 d: both valid on their own.
        let mut key = jwk(A3_KEY);
        let KeyMaterial::Ec(ec) = &mut key.material else {
            panic!("not EC")
        };
        ec.d = Some(Secret::new(hex(RFC6979_P256_D)));
        let mismatch =
            KeyError::Invalid("EC public key (x, y) does not match the private key d".into());
        assert_eq!(
            EcdsaBackend.signer(&key, Algorithm::ES256).err(),
            Some(mismatch.clone())
        );
        assert_eq!(
            EcdsaBackend.verifier(&key, Algorithm::ES256).err(),
            Some(mismatch.clone())
        );
        assert_eq!(EcdsaBackend.public_key(&key).err(), Some(mismatch));
    }

    #[test]
    fn public_point_not_on_the_curve_is_invalid() {
        let not_on_curve = Some(KeyError::Invalid(
            "EC public key is not a point on P-256".into(),
        ));
        let key = jwk(A3_KEY).to_public().unwrap();
        let KeyMaterial::Ec(ec) = &key.material else {
            panic!("not EC")
        };
        let mut y = ec.y.clone();
        y[31] ^= 1;
        assert_eq!(
            EcdsaVerifier::new(Algorithm::ES256, &ec.x, &y).err(),
            not_on_curve
        );
        // (0, 0) is not on P-256 (it would need b = 0); the identity has no affine form.
        assert_eq!(
            EcdsaVerifier::new(Algorithm::ES256, &[0; 32], &[0; 32]).err(),
            not_on_curve
        );
        // Coordinates at or above the field prime p.
        let p = hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
        assert_eq!(
            EcdsaVerifier::new(Algorithm::ES256, &p, &y).err(),
            not_on_curve
        );
        assert_eq!(
            EcdsaVerifier::new(Algorithm::ES256, &[0xff; 32], &[0xff; 32]).err(),
            not_on_curve
        );
        // The same through a JWK and Backend::public_key.
        let mut bad = key.clone();
        let KeyMaterial::Ec(ec) = &mut bad.material else {
            panic!("not EC")
        };
        ec.y = y;
        assert_eq!(
            EcdsaBackend.verifier(&bad, Algorithm::ES256).err(),
            not_on_curve
        );
        assert_eq!(EcdsaBackend.public_key(&bad).err(), not_on_curve);
        // On every curve, a point with y flipped is refused.
        for (alg, _) in CURVES {
            let public = keypair(alg).1.public_jwk();
            let KeyMaterial::Ec(ec) = &public.material else {
                panic!("not EC")
            };
            let mut y = ec.y.clone();
            let last = y.len() - 1;
            y[last] ^= 1;
            assert_eq!(
                EcdsaVerifier::new(alg, &ec.x, &y).err(),
                Some(KeyError::Invalid(format!(
                    "EC public key is not a point on {}",
                    ec.crv
                )))
            );
        }
    }

    #[test]
    fn coordinates_of_wrong_length_are_invalid() {
        assert_eq!(
            EcdsaVerifier::new(Algorithm::ES256, &[1; 31], &[1; 32]).err(),
            Some(KeyError::Invalid(
                "EC public key coordinates are 31 and 32 bytes, P-256 needs 32".into()
            ))
        );
    }

    #[test]
    fn sec1_pem_without_public_key_signs_and_public_key_derives_xy() {
        let private = Jwk::from_pem(A3_SEC1_NO_PUBLIC).unwrap();
        let KeyMaterial::Ec(ec) = &private.material else {
            panic!("not EC")
        };
        assert!(ec.x.is_empty() && ec.y.is_empty());
        let signer = EcdsaBackend.signer(&private, Algorithm::ES256).unwrap();
        let mut sig = Vec::new();
        signer.sign(b"a.b", &mut sig).unwrap();

        let public = EcdsaBackend.public_key(&private).unwrap();
        assert_eq!(public, jwk(A3_KEY).to_public().unwrap());
        assert!(!public.is_private());
        let verifier = EcdsaBackend.verifier(&public, Algorithm::ES256).unwrap();
        assert_eq!(verifier.verify(b"a.b", &sig), Ok(()));
        assert!(verify_jws(A3_TOKEN, &verifier, &Validation::new()).is_ok());
        // A verifier straight from the PEM key derives the point as well.
        let from_private = EcdsaBackend.verifier(&private, Algorithm::ES256).unwrap();
        assert!(verify_jws(A3_TOKEN, &from_private, &Validation::new()).is_ok());
    }

    #[test]
    fn public_key_keeps_members_and_filters_key_ops() {
        let mut key = jwk(RFC7520_KEY);
        key.key_ops = Some(vec!["sign".into(), "verify".into()]);
        let public = EcdsaBackend.public_key(&key).unwrap();
        assert_eq!(
            public.kid.as_deref(),
            Some("bilbo.baggins@hobbiton.example")
        );
        assert_eq!(public.key_use.as_deref(), Some("sig"));
        assert_eq!(public.key_ops, Some(vec!["verify".to_owned()]));
        assert_eq!(public, key.to_public().unwrap());
    }

    #[test]
    fn non_ecdsa_algorithms_and_keys_are_refused() {
        let key = jwk(A3_KEY);
        assert_eq!(
            EcdsaBackend.verifier(&key, Algorithm::HS256).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-ecdsa",
                alg: Algorithm::HS256
            })
        );
        assert_eq!(
            EcdsaBackend.generate(KeySpec::new(Algorithm::EdDSA)).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-ecdsa",
                alg: Algorithm::EdDSA
            })
        );
        assert_eq!(
            EcdsaSigner::new(Algorithm::RS256, &[1; 32])
                .err()
                .map(|e| e.to_string()),
            Some("backend tessera-ecdsa does not support RS256".into())
        );
        assert_eq!(
            EcdsaBackend
                .signer(&Jwk::oct(vec![7u8; 64]), Algorithm::ES256)
                .err(),
            Some(KeyError::WrongKeyType {
                alg: Algorithm::ES256,
                kty: "oct"
            })
        );
        assert_eq!(
            EcdsaBackend
                .signer(&key.to_public().unwrap(), Algorithm::ES256)
                .err(),
            Some(KeyError::NotPrivate)
        );
        let bound = jwk(A3_KEY).with_alg(Algorithm::ES256);
        assert!(EcdsaBackend.signer(&bound, Algorithm::ES256).is_ok());
    }

    #[test]
    fn kid_comes_from_the_jwk_or_with_kid() {
        let signer = EcdsaSigner::from_jwk(&jwk(RFC7520_KEY), Algorithm::ES512).unwrap();
        assert_eq!(signer.key_id(), Some("bilbo.baggins@hobbiton.example"));
        assert_eq!(
            signer.verifier().key_id(),
            Some("bilbo.baggins@hobbiton.example")
        );
        let signer = signer.with_kid("k2");
        assert_eq!(signer.key_id(), Some("k2"));
        let verifier = signer.verifier().with_kid("k3");
        assert_eq!(verifier.key_id(), Some("k3"));
        assert_eq!(verifier.public_jwk().kid.as_deref(), Some("k3"));
        assert_eq!(verifier.public_jwk().alg.as_deref(), Some("ES512"));
    }

    #[test]
    fn debug_hides_private_scalar() {
        let signer = EcdsaSigner::new(Algorithm::ES256, &hex(RFC6979_P256_D)).unwrap();
        let d = format!("{signer:?}");
        assert!(
            d.contains("ES256") && d.contains("P256") && !d.to_lowercase().contains("c9afa9"),
            "{d}"
        );
        assert!(!d.contains(&b64::encode(&hex(RFC6979_P256_D))[..8]), "{d}");
        let v = format!("{:?}", signer.verifier());
        assert!(v.contains(&b64::encode(&hex(RFC6979_P256_UX))), "{v}");
    }

    #[test]
    fn backend_describes_itself() {
        assert_eq!(EcdsaBackend.name(), "tessera-ecdsa");
        assert_eq!(EcdsaBackend.algorithms(), ALGORITHMS);
        for alg in Algorithm::ALL {
            assert_eq!(
                EcdsaBackend.supports(alg),
                alg.family() == tessera_codec::Family::Ecdsa,
                "{alg}"
            );
        }
        // Curve size is fixed; KeySpec::bits is ignored.
        let key = EcdsaBackend
            .generate(KeySpec::new(Algorithm::ES384).bits(4096))
            .unwrap();
        assert_eq!(key.curve_name(), Some("P-384"));
    }
}
