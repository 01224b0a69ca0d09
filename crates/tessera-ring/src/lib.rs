//! HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384 and EdDSA (Ed25519) for tessera,
//! on [ring](https://docs.rs/ring/0.17) 0.17.
//!
//! ring implements neither P-521 nor secp256k1, so ES512 and ES256K are not among
//! [`RingBackend`]'s algorithms and asking for them is [`KeyError::Unsupported`]. ring cannot
//! generate RSA keys, signs only with RSA keys of 2048 to 4096 bits whose public exponent is at
//! least 65537 (it verifies up to 8192 bits), and needs the CRT parameters (`p`, `q`, `dp`, `dq`,
//! `qi`) of an RSA private key. It cannot compute an EC public point from a private scalar alone,
//! so an EC private key whose source omitted the public point (a SEC1 or PKCS#8 file without
//! `publicKey`) is [`KeyError::UnsupportedKey`] here; an Ed25519 public key is derived from
//! its seed when missing.
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, KeySpec, Signer, Verifier};
//! use tessera_ring::RingBackend;
//!
//! let key = RingBackend.generate(KeySpec::new(Algorithm::ES256)).unwrap();
//! let signer = RingBackend.signer(&key, Algorithm::ES256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! let verifier = RingBackend.verifier(&RingBackend.public_key(&key).unwrap(), Algorithm::ES256).unwrap();
//! assert_eq!(sig.len(), verifier.signature_len());
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! ```
//!
//! # Key forms
//!
//! Every signer and verifier is built once from a [`Jwk`] (after [`Jwk::check_for`]) and holds
//! its key in the most prepared form ring 0.17 offers; `sign` and `verify` parse nothing.
//!
//! | algorithms | signer holds | verifier holds |
//! |---|---|---|
//! | HS256/384/512 | `hmac::Key` (parsed: the keyed inner and outer hash states) | the same `hmac::Key`; `hmac::verify` compares in constant time |
//! | RS*, PS* | `RsaKeyPair` (parsed: CRT primes, exponents and Montgomery constants) | **bytes**: `RsaPublicKeyComponents` (`n`, `e`), checked at construction |
//! | ES256, ES384 | `EcdsaKeyPair` (parsed: scalar in Montgomery form) | **bytes**: the uncompressed SEC1 point, validated at construction |
//! | EdDSA | `Ed25519KeyPair` (parsed: expanded secret key) | **bytes**: the 32-byte public key |
//!
//! Why bytes on the verifying side:
//!
//! - RSA: ring 0.17's parsed public key, `ring::rsa::PublicKey` (what `RsaKeyPair::public()`
//!   returns), has no verify method and cannot be built from `n` and `e` outside ring.
//!   [`RsaPublicKeyComponents::verify`](ring::signature::RsaPublicKeyComponents::verify) and
//!   `UnparsedPublicKey` both rebuild the modulus (and its Montgomery constant) on every call.
//!   [`RsaVerifier`] therefore checks everything ring checks about `n` and `e` once (modulus odd
//!   and 2048 to 8192 bits, exponent odd and 3 to 2^33 - 1), so a key that is accepted never
//!   fails for key reasons later, and keeps the two integers.
//! - ECDSA: ring has no parsed ECDSA public key type; verification decodes the point each time.
//!   [`EcdsaVerifier`] validates the point once through ring's ECDH peer-key validation (the same
//!   SEC1 decoding and on-curve check ECDSA verification performs) and keeps the bytes.
//! - Ed25519: ring has no parsed Ed25519 public key type and no way to decode one ahead of
//!   verification; [`Ed25519Verifier`] keeps the 32 bytes (their length is checked by the codec).
//!   A 32-byte string that is not a curve point makes every verification fail with
//!   [`SignatureError::Invalid`].
//!
//! ECDSA signatures are the fixed-length `R || S` form of RFC 7518 §3.4 (ring's `*_FIXED`
//! algorithms), never ASN.1. RSA-PSS uses MGF1 with the message hash and a salt as long as the
//! hash (ring's `RSA_PSS_SHA*`).

#![forbid(unsafe_code)]

use ring::agreement;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{self, KeyPair as _};
use std::fmt;
use tessera_codec::{
    Algorithm, Backend, EcCurve, EcKey, Family, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse,
    Library, OkpKey, SignError, SignatureError, Signer, Verifier, check_hmac_secret,
    ensure_supported,
};

const NAME: &str = "tessera-ring";

const ALGORITHMS: &[Algorithm] = &[
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Largest RSA modulus, in bits, ring verifies with (its `RSA_*_2048_8192_*` parameters).
pub const MAX_RSA_VERIFY_BITS: usize = 8192;

/// Largest RSA modulus, in bits, ring signs with.
pub const MAX_RSA_SIGN_BITS: usize = 4096;

/// Largest HMAC secret [`RingBackend::generate`] makes, in bits.
const MAX_HMAC_GENERATE_BITS: usize = 8192;

/// The ring backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct RingBackend;

/// The error of a typed constructor asked for an algorithm of another family (an
/// [`RsaSigner`] for ES256, say); the backend's own `signer`/`verifier` never produce it.
fn other_family(ty: &'static str, alg: Algorithm) -> KeyError {
    KeyError::Unsupported { backend: ty, alg }
}

fn wrong_type(key: &Jwk, alg: Algorithm) -> KeyError {
    KeyError::WrongKeyType {
        alg,
        kty: key.kty(),
    }
}

fn rejected(what: &'static str) -> impl Fn(ring::error::KeyRejected) -> KeyError {
    move |e| KeyError::Invalid(format!("ring rejected the {what}: {e}"))
}

fn no_ec_public() -> KeyError {
    KeyError::UnsupportedKey(
        "ring cannot derive the public point of an EC private key; \
         the key source must include it (JWK x and y, or SEC1 publicKey)"
            .into(),
    )
}

/// Big-endian integer without leading zero bytes.
fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

fn bit_len(bytes: &[u8]) -> usize {
    let bytes = trim(bytes);
    match bytes.first() {
        Some(b) => bytes.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

/// The uncompressed SEC1 encoding `04 || x || y`.
fn sec1_point(k: &EcKey) -> Vec<u8> {
    let mut point = Vec::with_capacity(1 + k.x.len() + k.y.len());
    point.push(4);
    point.extend_from_slice(&k.x);
    point.extend_from_slice(&k.y);
    point
}

fn check_len(expected: usize, signature: &[u8]) -> Result<(), SignatureError> {
    if signature.len() != expected {
        return Err(SignatureError::Length {
            expected,
            found: signature.len(),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// HMAC

/// A prepared HMAC key (`ring::hmac::Key`) for one algorithm; it both signs and verifies.
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
            _ => return Err(other_family("tessera-ring HmacKey", alg)),
        };
        check_hmac_secret(alg, secret.len())?;
        Ok(HmacKey {
            alg,
            kid: None,
            key: hmac::Key::new(algorithm, secret),
        })
    }

    /// Prepares an `oct` JWK for `alg`, after the codec's binding checks for `usage`.
    pub fn from_jwk(key: &Jwk, alg: Algorithm, usage: KeyUse) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        if alg.family() != Family::Hmac {
            return Err(other_family("tessera-ring HmacKey", alg));
        }
        let KeyMaterial::Oct(secret) = key.check_for(alg, usage)? else {
            return Err(wrong_type(key, alg));
        };
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
        check_len(self.signature_len(), signature)?;
        hmac::verify(&self.key, signing_input, signature).map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// RSA

/// Signs RS256/384/512 (RSASSA-PKCS1-v1_5) or PS256/384/512 (RSASSA-PSS) with a parsed
/// `ring::signature::RsaKeyPair`.
pub struct RsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    pair: signature::RsaKeyPair,
    encoding: &'static dyn signature::RsaEncoding,
    rng: SystemRandom,
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("modulus_bytes", &self.pair.public().modulus_len())
            .finish_non_exhaustive()
    }
}

impl RsaSigner {
    /// Parses an RSA private JWK for `alg` (RS* or PS*). The key needs its CRT parameters, a
    /// modulus of 2048 to 4096 bits and a public exponent of at least 65537 (ring's limits).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let encoding: &'static dyn signature::RsaEncoding = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_SHA512,
            _ => return Err(other_family("tessera-ring RsaSigner", alg)),
        };
        let KeyMaterial::Rsa(rsa) = key.check_for(alg, KeyUse::Sign)? else {
            return Err(wrong_type(key, alg));
        };
        let private = rsa.private.as_ref().ok_or(KeyError::NotPrivate)?;
        if private.primes.is_none() {
            return Err(KeyError::UnsupportedKey(
                "RSA private key without its CRT parameters (p, q, dp, dq, qi): \
                 ring signs only with the CRT form"
                    .into(),
            ));
        }
        let bits = bit_len(&rsa.n);
        if bits > MAX_RSA_SIGN_BITS {
            return Err(KeyError::UnsupportedKey(format!(
                "ring signs with RSA keys of at most {MAX_RSA_SIGN_BITS} bits, this one has {bits}"
            )));
        }
        let der = key.to_pkcs8_der()?;
        let pair = signature::RsaKeyPair::from_pkcs8(&der).map_err(rejected("RSA private key"))?;
        Ok(RsaSigner {
            alg,
            kid: key.kid.clone(),
            pair,
            encoding,
            rng: SystemRandom::new(),
        })
    }
}

impl Signer for RsaSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let start = out.len();
        out.resize(start + self.pair.public().modulus_len(), 0);
        let tail = out.get_mut(start..).unwrap_or_default();
        if self
            .pair
            .sign(self.encoding, &self.rng, signing_input, tail)
            .is_err()
        {
            out.truncate(start);
            return Err(SignError("ring RSA signing failed".into()));
        }
        Ok(())
    }
}

/// Verifies RS256/384/512 or PS256/384/512 with the public integers `n` and `e`, checked once
/// at construction; ring 0.17 has no reusable parsed RSA public key (see the crate docs).
pub struct RsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: signature::RsaPublicKeyComponents<Vec<u8>>,
    params: &'static signature::RsaParameters,
}

impl fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("modulus_bits", &bit_len(&self.key.n))
            .finish_non_exhaustive()
    }
}

/// Checks what ring checks about `n` and `e` when it verifies, so that it never refuses the
/// key later: odd modulus of at most 8192 bits (the codec checked the 2048-bit minimum), odd
/// exponent from 3 to 2^33 - 1.
fn check_rsa_public(n: &[u8], e: &[u8]) -> Result<(), KeyError> {
    let bits = bit_len(n);
    if bits > MAX_RSA_VERIFY_BITS {
        return Err(KeyError::UnsupportedKey(format!(
            "ring verifies with RSA keys of at most {MAX_RSA_VERIFY_BITS} bits, this one has {bits}"
        )));
    }
    if n.last().is_none_or(|b| b & 1 == 0) {
        return Err(KeyError::Invalid("RSA modulus is even".into()));
    }
    const E_MAX: u64 = (1 << 33) - 1;
    let e = trim(e);
    let value = if e.len() > 5 {
        None
    } else {
        Some(e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    };
    match value {
        Some(v) if (3..=E_MAX).contains(&v) && v & 1 == 1 => Ok(()),
        _ => Err(KeyError::Invalid(
            "RSA public exponent must be odd and from 3 to 2^33 - 1".into(),
        )),
    }
}

impl RsaVerifier {
    /// Prepares an RSA JWK (public, or the public half of a private key) for `alg` (RS* or PS*).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let params: &'static signature::RsaParameters = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
            _ => return Err(other_family("tessera-ring RsaVerifier", alg)),
        };
        let KeyMaterial::Rsa(rsa) = key.check_for(alg, KeyUse::Verify)? else {
            return Err(wrong_type(key, alg));
        };
        let (n, e) = (trim(&rsa.n), trim(&rsa.e));
        check_rsa_public(n, e)?;
        Ok(RsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: signature::RsaPublicKeyComponents {
                n: n.to_vec(),
                e: e.to_vec(),
            },
            params,
        })
    }
}

impl Verifier for RsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The modulus length in bytes.
    fn signature_len(&self) -> usize {
        self.key.n.len()
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_len(self.signature_len(), signature)?;
        self.key
            .verify(self.params, signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// ECDSA

/// Signs ES256 or ES384 with a parsed `ring::signature::EcdsaKeyPair`, in the fixed-length
/// `R || S` form.
pub struct EcdsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    pair: signature::EcdsaKeyPair,
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
    /// Parses an EC private JWK for `alg` (ES256 or ES384). ring checks that the private scalar
    /// and the public point belong together; the public point must be present.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let signing = match alg {
            Algorithm::ES256 => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            Algorithm::ES384 => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            _ => return Err(other_family("tessera-ring EcdsaSigner", alg)),
        };
        let KeyMaterial::Ec(ec) = key.check_for(alg, KeyUse::Sign)? else {
            return Err(wrong_type(key, alg));
        };
        let d = ec.d.as_ref().ok_or(KeyError::NotPrivate)?;
        if ec.x.is_empty() {
            return Err(no_ec_public());
        }
        let rng = SystemRandom::new();
        let pair = signature::EcdsaKeyPair::from_private_key_and_public_key(
            signing,
            d.expose(),
            &sec1_point(ec),
            &rng,
        )
        .map_err(rejected("EC private key"))?;
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            pair,
            rng,
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

/// Verifies ES256 or ES384 (fixed-length `R || S`) with the public point, validated once at
/// construction and kept as bytes; ring has no parsed ECDSA public key (see the crate docs).
pub struct EcdsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: signature::UnparsedPublicKey<Vec<u8>>,
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

/// Validates `point` as ring's ECDSA verification would (SEC1 decoding, on-curve check), by
/// using it as the peer key of an ephemeral ECDH agreement: ring exposes no other check.
fn validate_point(
    ecdh: &'static agreement::Algorithm,
    crv: EcCurve,
    point: &[u8],
) -> Result<(), KeyError> {
    let ours =
        agreement::EphemeralPrivateKey::generate(ecdh, &SystemRandom::new()).map_err(|_| {
            KeyError::Invalid("the random number generator failed checking an EC key".into())
        })?;
    agreement::agree_ephemeral(
        ours,
        &agreement::UnparsedPublicKey::new(ecdh, point),
        |_| (),
    )
    .map_err(|_| KeyError::Invalid(format!("EC public key is not a point on {crv}")))
}

impl EcdsaVerifier {
    /// Prepares an EC JWK (public, or a private key with its public point) for `alg` (ES256 or
    /// ES384), refusing a point that is not on the curve.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let (verification, ecdh) = match alg {
            Algorithm::ES256 => (&signature::ECDSA_P256_SHA256_FIXED, &agreement::ECDH_P256),
            Algorithm::ES384 => (&signature::ECDSA_P384_SHA384_FIXED, &agreement::ECDH_P384),
            _ => return Err(other_family("tessera-ring EcdsaVerifier", alg)),
        };
        let KeyMaterial::Ec(ec) = key.check_for(alg, KeyUse::Verify)? else {
            return Err(wrong_type(key, alg));
        };
        if ec.x.is_empty() {
            return Err(no_ec_public());
        }
        let point = sec1_point(ec);
        validate_point(ecdh, ec.crv, &point)?;
        Ok(EcdsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: signature::UnparsedPublicKey::new(verification, point),
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
        check_len(self.len, signature)?;
        self.key
            .verify(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// Ed25519

/// Signs EdDSA (Ed25519) with a parsed `ring::signature::Ed25519KeyPair`.
pub struct Ed25519Signer {
    kid: Option<String>,
    pair: signature::Ed25519KeyPair,
}

impl fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The key pair of an OKP private key; the public key is checked against the seed when the
/// key source gave it, derived otherwise.
fn ed25519_pair(okp: &OkpKey) -> Result<signature::Ed25519KeyPair, KeyError> {
    let seed = okp.d.as_ref().ok_or(KeyError::NotPrivate)?;
    if okp.x.is_empty() {
        signature::Ed25519KeyPair::from_seed_unchecked(seed.expose())
    } else {
        signature::Ed25519KeyPair::from_seed_and_public_key(seed.expose(), &okp.x)
    }
    .map_err(rejected("Ed25519 private key"))
}

impl Ed25519Signer {
    /// Parses an Ed25519 private JWK (`kty: OKP`) for EdDSA.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        if alg != Algorithm::EdDSA {
            return Err(other_family("tessera-ring Ed25519Signer", alg));
        }
        let KeyMaterial::Okp(okp) = key.check_for(alg, KeyUse::Sign)? else {
            return Err(wrong_type(key, alg));
        };
        Ok(Ed25519Signer {
            kid: key.kid.clone(),
            pair: ed25519_pair(okp)?,
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
        out.extend_from_slice(self.pair.sign(signing_input).as_ref());
        Ok(())
    }
}

/// Verifies EdDSA (Ed25519) with the 32-byte public key, kept as bytes; ring has no parsed
/// Ed25519 public key (see the crate docs).
pub struct Ed25519Verifier {
    kid: Option<String>,
    key: signature::UnparsedPublicKey<Vec<u8>>,
}

impl fmt::Debug for Ed25519Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519Verifier")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The 32-byte public key of an OKP key, derived from the seed when the source omitted it.
fn ed25519_public(okp: &OkpKey) -> Result<Vec<u8>, KeyError> {
    let x = if okp.x.is_empty() {
        ed25519_pair(okp)?.public_key().as_ref().to_vec()
    } else {
        okp.x.clone()
    };
    if x.len() != signature::ED25519_PUBLIC_KEY_LEN {
        return Err(KeyError::Invalid(
            "Ed25519 public key is not 32 bytes".into(),
        ));
    }
    Ok(x)
}

impl Ed25519Verifier {
    /// Prepares an Ed25519 JWK (public, or private, whose public key is derived if absent) for
    /// EdDSA.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        if alg != Algorithm::EdDSA {
            return Err(other_family("tessera-ring Ed25519Verifier", alg));
        }
        let KeyMaterial::Okp(okp) = key.check_for(alg, KeyUse::Verify)? else {
            return Err(wrong_type(key, alg));
        };
        Ok(Ed25519Verifier {
            kid: key.kid.clone(),
            key: signature::UnparsedPublicKey::new(&signature::ED25519, ed25519_public(okp)?),
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
        check_len(64, signature)?;
        self.key
            .verify(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// The backend

fn generation(what: &str) -> impl Fn(ring::error::Unspecified) -> KeyError + '_ {
    move |_| KeyError::Generation(format!("ring failed to generate {what}"))
}

impl Backend for RingBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "ring",
            version: "0.17",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(match alg.family() {
            Family::Hmac => Box::new(HmacKey::from_jwk(key, alg, KeyUse::Sign)?),
            Family::RsaPkcs1 | Family::RsaPss => Box::new(RsaSigner::from_jwk(key, alg)?),
            Family::Ecdsa => Box::new(EcdsaSigner::from_jwk(key, alg)?),
            Family::EdDsa => Box::new(Ed25519Signer::from_jwk(key, alg)?),
            _ => return Err(other_family(NAME, alg)),
        })
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(match alg.family() {
            Family::Hmac => Box::new(HmacKey::from_jwk(key, alg, KeyUse::Verify)?),
            Family::RsaPkcs1 | Family::RsaPss => Box::new(RsaVerifier::from_jwk(key, alg)?),
            Family::Ecdsa => Box::new(EcdsaVerifier::from_jwk(key, alg)?),
            Family::EdDsa => Box::new(Ed25519Verifier::from_jwk(key, alg)?),
            _ => return Err(other_family(NAME, alg)),
        })
    }

    /// HMAC: a random secret of `bits` bits (default the hash output size, the minimum).
    /// ECDSA and Ed25519: a new key pair from ring's PKCS#8 generation. RSA:
    /// [`KeyError::Generation`], ring cannot generate RSA keys.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let alg = spec.alg;
        let rng = SystemRandom::new();
        let jwk = match alg.family() {
            Family::Hmac => {
                let bits = spec.bits.unwrap_or(alg.hash().output_len() * 8);
                if !bits.is_multiple_of(8) || bits > MAX_HMAC_GENERATE_BITS {
                    return Err(KeyError::Generation(format!(
                        "HMAC secret size {bits} is not a whole number of bytes up to \
                         {MAX_HMAC_GENERATE_BITS} bits"
                    )));
                }
                check_hmac_secret(alg, bits / 8)?;
                let mut secret = vec![0u8; bits / 8];
                rng.fill(&mut secret)
                    .map_err(generation("an HMAC secret"))?;
                Jwk::oct(secret)
            }
            Family::RsaPkcs1 | Family::RsaPss => {
                return Err(KeyError::Generation("ring cannot generate RSA keys".into()));
            }
            Family::Ecdsa => {
                let signing = match alg {
                    Algorithm::ES256 => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    Algorithm::ES384 => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
                    _ => return Err(other_family(NAME, alg)),
                };
                let pkcs8 = signature::EcdsaKeyPair::generate_pkcs8(signing, &rng)
                    .map_err(generation("an EC key"))?;
                // ring's PKCS#8 carries the public point, so x and y are filled in.
                Jwk::from_pkcs8_der(pkcs8.as_ref())?
            }
            Family::EdDsa => {
                let pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&rng)
                    .map_err(generation("an Ed25519 key"))?;
                let mut jwk = Jwk::from_pkcs8_der(pkcs8.as_ref())?;
                if let KeyMaterial::Okp(okp) = &mut jwk.material
                    && okp.x.is_empty()
                {
                    okp.x = ed25519_public(okp)?;
                }
                jwk
            }
            _ => return Err(other_family(NAME, alg)),
        };
        Ok(jwk.with_alg(alg))
    }

    /// The public JWK, deriving an Ed25519 public key from its seed when the key source
    /// omitted it. An EC private key without its public point is [`KeyError::UnsupportedKey`]:
    /// ring cannot derive it.
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        match &key.material {
            KeyMaterial::Okp(okp) if okp.x.is_empty() => {
                let derived = Jwk {
                    material: KeyMaterial::Okp(OkpKey {
                        x: ed25519_public(okp)?,
                        d: None,
                    }),
                    kid: key.kid.clone(),
                    alg: key.alg.clone(),
                    key_use: key.key_use.clone(),
                    key_ops: key.key_ops.clone(),
                };
                derived.to_public()
            }
            KeyMaterial::Ec(ec) if ec.x.is_empty() => Err(no_ec_public()),
            _ => key.to_public(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let k = HmacKey::new(Algorithm::HS256, &[0x41; 32]).unwrap();
        let d = format!("{k:?}");
        assert!(
            d.contains("HS256") && !d.contains("65") && !d.contains("AAAA"),
            "{d}"
        );
        let key = RingBackend
            .generate(KeySpec::new(Algorithm::EdDSA))
            .unwrap();
        let s = RingBackend.signer(&key, Algorithm::EdDSA).unwrap();
        let d = format!("{s:?}");
        assert_eq!(d, "Ed25519Signer { kid: None, .. }");
    }

    #[test]
    fn typed_constructors_refuse_other_families() {
        let key = Jwk::oct(vec![0u8; 64]);
        assert_eq!(
            RsaSigner::from_jwk(&key, Algorithm::HS256).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-ring RsaSigner",
                alg: Algorithm::HS256
            })
        );
        assert_eq!(
            HmacKey::new(Algorithm::ES256, &[0u8; 64]).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-ring HmacKey",
                alg: Algorithm::ES256
            })
        );
    }

    #[test]
    fn rsa_public_checks() {
        let mut n = vec![0xff; 256];
        assert_eq!(check_rsa_public(&n, &[1, 0, 1]), Ok(()));
        assert_eq!(check_rsa_public(&n, &[3]), Ok(()));
        for e in [
            &[1u8][..],
            &[2],
            &[1, 0, 0],
            &[2, 0, 0, 0, 1],
            &[1, 0, 0, 0, 0, 1],
        ] {
            assert!(
                matches!(check_rsa_public(&n, e), Err(KeyError::Invalid(_))),
                "{e:?}"
            );
        }
        assert_eq!(check_rsa_public(&n, &[1, 0xff, 0xff, 0xff, 0xff]), Ok(()));
        n[255] = 0xfe;
        assert_eq!(
            check_rsa_public(&n, &[1, 0, 1]),
            Err(KeyError::Invalid("RSA modulus is even".into()))
        );
        assert!(matches!(
            check_rsa_public(&[0xff; 1025], &[1, 0, 1]),
            Err(KeyError::UnsupportedKey(_))
        ));
    }
}
