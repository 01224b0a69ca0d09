//! Every JWS algorithm tessera knows, on [aws-lc-rs](https://docs.rs/aws-lc-rs/1) (AWS-LC):
//! HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, ES512 (P-521), ES256K
//! (secp256k1, RFC 8812) and EdDSA (Ed25519).
//!
//! aws-lc-rs mirrors ring's API, and this crate mirrors `tessera-ring`; the differences are
//! what AWS-LC adds: P-521 and secp256k1, RSA keys of 2048 to 8192 bits for signing as well as
//! verifying (with any odd public exponent AWS-LC accepts), RSA key generation (2048, 3072,
//! 4096 or 8192 bits), derivation of an EC public point from the private scalar alone (a SEC1
//! or PKCS#8 file without `publicKey`), and a reusable parsed public key for every algorithm.
//! An RSA private key needs its CRT parameters (`p`, `q`, `dp`, `dq`, `qi`) here too.
//!
//! ```
//! use tessera_aws_lc::AwsLcBackend;
//! use tessera_codec::{Algorithm, Backend, KeySpec, Signer, Verifier};
//!
//! let key = AwsLcBackend.generate(KeySpec::new(Algorithm::ES512)).unwrap();
//! let signer = AwsLcBackend.signer(&key, Algorithm::ES512).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! let public = AwsLcBackend.public_key(&key).unwrap();
//! let verifier = AwsLcBackend.verifier(&public, Algorithm::ES512).unwrap();
//! assert_eq!(sig.len(), 132);
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! ```
//!
//! # Key forms
//!
//! Every signer and verifier is built once from a [`Jwk`] (after [`Jwk::check_for`]) and holds
//! its key in aws-lc-rs's parsed form; `sign` and `verify` parse nothing.
//!
//! | algorithms | signer holds | verifier holds |
//! |---|---|---|
//! | HS256/384/512 | `hmac::Key` (parsed: the keyed inner and outer hash states) | the same `hmac::Key`; `hmac::verify` compares in constant time |
//! | RS*, PS* | `RsaKeyPair` (parsed: an AWS-LC `EVP_PKEY` with its CRT values) | `ParsedPublicKey` (parsed: an `EVP_PKEY`) |
//! | ES256, ES384, ES512, ES256K | `EcdsaKeyPair` (parsed `EVP_PKEY`) | `ParsedPublicKey` (parsed and validated point) |
//! | EdDSA | `Ed25519KeyPair` (parsed `EVP_PKEY`) | `ParsedPublicKey` (parsed `EVP_PKEY`) |
//!
//! [`ParsedPublicKey`](aws_lc_rs::signature::ParsedPublicKey) is aws-lc-rs's prepared public
//! key: the SubjectPublicKeyInfo, SEC1 point or raw Ed25519 key is decoded and checked once,
//! and `verify_sig` uses the resulting `EVP_PKEY` directly (unlike `UnparsedPublicKey`, which
//! decodes on every call). aws-lc-rs checks the RSA modulus size range of the algorithm only
//! when verifying, so [`RsaVerifier`] refuses moduli over 8192 bits itself at construction.
//!
//! ECDSA signatures are the fixed-length `R || S` form of RFC 7518 §3.4 (aws-lc-rs's `*_FIXED`
//! algorithms), never ASN.1. RSA-PSS uses MGF1 with the message hash and a salt as long as the
//! hash (aws-lc-rs's `RSA_PSS_SHA*`, whose salt length is `RsaPssSaltLength::Digest`).
//!
//! # Building
//!
//! aws-lc-rs builds AWS-LC from C sources through the `aws-lc-sys` crate. On x86_64 and
//! aarch64 Linux that needs only a C compiler (the `cc` crate drives it; no CMake, Go, NASM,
//! Perl or libclang, since the bindings are pre-generated). Other targets may need CMake.

#![forbid(unsafe_code)]

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, KeyPair as _};
use std::fmt;
use tessera_codec::{
    Algorithm, Backend, EcCurve, EcKey, Family, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse,
    Library, OkpKey, SignError, SignatureError, Signer, Verifier, check_hmac_secret, ecdsa_low_s,
    ensure_supported,
};

const NAME: &str = "tessera-aws-lc";

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
    Algorithm::ES512,
    Algorithm::ES256K,
    Algorithm::EdDSA,
];

/// Largest RSA modulus, in bits, aws-lc-rs signs and verifies with.
pub const MAX_RSA_BITS: usize = 8192;

/// Largest HMAC secret [`AwsLcBackend::generate`] makes, in bits.
const MAX_HMAC_GENERATE_BITS: usize = 8192;

/// The aws-lc-rs backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLcBackend;

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

fn rejected(what: &'static str) -> impl Fn(aws_lc_rs::error::KeyRejected) -> KeyError {
    move |e| KeyError::Invalid(format!("aws-lc-rs rejected the {what}: {e}"))
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

/// A prepared HMAC key (`aws_lc_rs::hmac::Key`) for one algorithm; it both signs and verifies.
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
            _ => return Err(other_family("tessera-aws-lc HmacKey", alg)),
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
        ensure_supported(&AwsLcBackend, alg)?;
        if alg.family() != Family::Hmac {
            return Err(other_family("tessera-aws-lc HmacKey", alg));
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
/// `aws_lc_rs::signature::RsaKeyPair`.
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
            .field("modulus_bytes", &self.pair.public_modulus_len())
            .finish_non_exhaustive()
    }
}

impl RsaSigner {
    /// Parses an RSA private JWK for `alg` (RS* or PS*). The key needs its CRT parameters and a
    /// modulus of 2048 to 8192 bits.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        let encoding: &'static dyn signature::RsaEncoding = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_SHA512,
            _ => return Err(other_family("tessera-aws-lc RsaSigner", alg)),
        };
        let KeyMaterial::Rsa(rsa) = key.check_for(alg, KeyUse::Sign)? else {
            return Err(wrong_type(key, alg));
        };
        let private = rsa.private.as_ref().ok_or(KeyError::NotPrivate)?;
        if private.primes.is_none() {
            return Err(KeyError::UnsupportedKey(
                "RSA private key without its CRT parameters (p, q, dp, dq, qi): \
                 aws-lc-rs signs only with the CRT form"
                    .into(),
            ));
        }
        let bits = bit_len(&rsa.n);
        if bits > MAX_RSA_BITS {
            return Err(KeyError::UnsupportedKey(format!(
                "aws-lc-rs signs with RSA keys of at most {MAX_RSA_BITS} bits, this one has {bits}"
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
        // aws-lc-rs writes exactly `public_modulus_len()` bytes into this slice.
        out.resize(start + self.pair.public_modulus_len(), 0);
        let tail = out.get_mut(start..).unwrap_or_default();
        if self
            .pair
            .sign(self.encoding, &self.rng, signing_input, tail)
            .is_err()
        {
            out.truncate(start);
            return Err(SignError("aws-lc-rs RSA signing failed".into()));
        }
        Ok(())
    }
}

/// Verifies RS256/384/512 or PS256/384/512 with a `ParsedPublicKey`.
pub struct RsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: signature::ParsedPublicKey,
    len: usize,
}

impl fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("modulus_bytes", &self.len)
            .finish_non_exhaustive()
    }
}

impl RsaVerifier {
    /// Parses an RSA JWK (public, or the public half of a private key) for `alg` (RS* or PS*).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        let params: &'static signature::RsaParameters = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
            _ => return Err(other_family("tessera-aws-lc RsaVerifier", alg)),
        };
        let KeyMaterial::Rsa(rsa) = key.check_for(alg, KeyUse::Verify)? else {
            return Err(wrong_type(key, alg));
        };
        let bits = bit_len(&rsa.n);
        if bits > MAX_RSA_BITS {
            return Err(KeyError::UnsupportedKey(format!(
                "aws-lc-rs verifies with RSA keys of at most {MAX_RSA_BITS} bits, this one has {bits}"
            )));
        }
        let spki = key.to_spki_der()?;
        let parsed =
            signature::ParsedPublicKey::new(params, &spki).map_err(rejected("RSA public key"))?;
        Ok(RsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: parsed,
            len: bits.div_ceil(8),
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
        self.len
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_len(self.len, signature)?;
        self.key
            .verify_sig(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// ECDSA

/// aws-lc-rs's fixed-length (`R || S`) signing and verification algorithms for an ECDSA
/// algorithm.
fn ecdsa_algorithms(
    alg: Algorithm,
) -> Option<(
    &'static signature::EcdsaSigningAlgorithm,
    &'static signature::EcdsaVerificationAlgorithm,
)> {
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

/// The key pair of an EC private JWK. AWS-LC checks that the scalar and the point belong
/// together when the point is given, and computes the point when it is not.
fn ecdsa_pair(
    key: &Jwk,
    signing: &'static signature::EcdsaSigningAlgorithm,
) -> Result<signature::EcdsaKeyPair, KeyError> {
    let der = key.to_pkcs8_der()?;
    signature::EcdsaKeyPair::from_pkcs8(signing, &der).map_err(rejected("EC private key"))
}

/// The uncompressed SEC1 point `04 || x || y` of an EC JWK, computed from the private scalar
/// when the key source omitted it.
fn ec_point(
    key: &Jwk,
    ec: &EcKey,
    signing: &'static signature::EcdsaSigningAlgorithm,
) -> Result<Vec<u8>, KeyError> {
    if ec.x.is_empty() {
        return Ok(ecdsa_pair(key, signing)?.public_key().as_ref().to_vec());
    }
    let mut point = Vec::with_capacity(1 + ec.x.len() + ec.y.len());
    point.push(4);
    point.extend_from_slice(&ec.x);
    point.extend_from_slice(&ec.y);
    Ok(point)
}

/// Signs ES256, ES384, ES512 or ES256K with a parsed `aws_lc_rs::signature::EcdsaKeyPair`, in
/// the fixed-length `R || S` form.
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
    /// Parses an EC private JWK for `alg` (ES256, ES384, ES512 or ES256K); the public point is
    /// checked against the scalar when present, computed when absent.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        let Some((signing, _)) = ecdsa_algorithms(alg) else {
            return Err(other_family("tessera-aws-lc EcdsaSigner", alg));
        };
        let KeyMaterial::Ec(_) = key.check_for(alg, KeyUse::Sign)? else {
            return Err(wrong_type(key, alg));
        };
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            pair: ecdsa_pair(key, signing)?,
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
    key: signature::ParsedPublicKey,
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
    /// Parses an EC JWK (public, or private, whose point is computed if absent) for `alg`
    /// (ES256, ES384, ES512 or ES256K), refusing a point that is not on the curve.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        let Some((signing, verification)) = ecdsa_algorithms(alg) else {
            return Err(other_family("tessera-aws-lc EcdsaVerifier", alg));
        };
        let KeyMaterial::Ec(ec) = key.check_for(alg, KeyUse::Verify)? else {
            return Err(wrong_type(key, alg));
        };
        let point = ec_point(key, ec, signing)?;
        let parsed = signature::ParsedPublicKey::new(verification, &point).map_err(|_| {
            KeyError::Invalid(format!("EC public key is not a point on {}", ec.crv))
        })?;
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
        check_len(self.len, signature)?;
        self.key
            .verify_sig(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// Ed25519

/// Signs EdDSA (Ed25519) with a parsed `aws_lc_rs::signature::Ed25519KeyPair`.
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
        ensure_supported(&AwsLcBackend, alg)?;
        if alg != Algorithm::EdDSA {
            return Err(other_family("tessera-aws-lc Ed25519Signer", alg));
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
        let sig = self
            .pair
            .try_sign(signing_input)
            .map_err(|_| SignError("aws-lc-rs Ed25519 signing failed".into()))?;
        out.extend_from_slice(sig.as_ref());
        Ok(())
    }
}

/// Verifies EdDSA (Ed25519) with a `ParsedPublicKey`.
pub struct Ed25519Verifier {
    kid: Option<String>,
    key: signature::ParsedPublicKey,
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
    /// Parses an Ed25519 JWK (public, or private, whose public key is derived if absent) for
    /// EdDSA.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
        if alg != Algorithm::EdDSA {
            return Err(other_family("tessera-aws-lc Ed25519Verifier", alg));
        }
        let KeyMaterial::Okp(okp) = key.check_for(alg, KeyUse::Verify)? else {
            return Err(wrong_type(key, alg));
        };
        let parsed = signature::ParsedPublicKey::new(&signature::ED25519, ed25519_public(okp)?)
            .map_err(rejected("Ed25519 public key"))?;
        Ok(Ed25519Verifier {
            kid: key.kid.clone(),
            key: parsed,
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
            .verify_sig(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

// ---------------------------------------------------------------------------------------------
// The backend

fn generation(what: &str) -> impl Fn(aws_lc_rs::error::Unspecified) -> KeyError + '_ {
    move |_| KeyError::Generation(format!("aws-lc-rs failed to generate {what}"))
}

/// The signing algorithm that goes with an EC key's curve, for deriving its public point.
fn curve_signing(crv: EcCurve) -> Result<&'static signature::EcdsaSigningAlgorithm, KeyError> {
    ecdsa_algorithms(crv.algorithm())
        .map(|(signing, _)| signing)
        .ok_or_else(|| KeyError::UnsupportedKey(format!("EC curve {crv}")))
}

/// Splits an uncompressed SEC1 point into its coordinates.
fn split_point(crv: EcCurve, point: &[u8]) -> Result<(Vec<u8>, Vec<u8>), KeyError> {
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

impl Backend for AwsLcBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "aws-lc-rs",
            version: "1.19",
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
    /// RSA: a key of `bits` bits, 2048 (the default), 3072, 4096 or 8192. ECDSA and Ed25519: a
    /// new key pair; `bits` is ignored.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let alg = spec.alg;
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
                aws_lc_rs::rand::fill(&mut secret).map_err(generation("an HMAC secret"))?;
                Jwk::oct(secret)
            }
            Family::RsaPkcs1 | Family::RsaPss => {
                let size = match spec.bits.unwrap_or(2048) {
                    2048 => aws_lc_rs::rsa::KeySize::Rsa2048,
                    3072 => aws_lc_rs::rsa::KeySize::Rsa3072,
                    4096 => aws_lc_rs::rsa::KeySize::Rsa4096,
                    8192 => aws_lc_rs::rsa::KeySize::Rsa8192,
                    other => {
                        return Err(KeyError::Generation(format!(
                            "aws-lc-rs generates RSA keys of 2048, 3072, 4096 or 8192 bits, \
                             not {other}"
                        )));
                    }
                };
                let pair =
                    signature::RsaKeyPair::generate(size).map_err(generation("an RSA key"))?;
                let pkcs8: Pkcs8V1Der<'static> =
                    pair.as_der().map_err(generation("an RSA key's PKCS#8"))?;
                Jwk::from_pkcs8_der(pkcs8.as_ref())?
            }
            Family::Ecdsa => {
                let Some((signing, _)) = ecdsa_algorithms(alg) else {
                    return Err(other_family(NAME, alg));
                };
                let pair =
                    signature::EcdsaKeyPair::generate(signing).map_err(generation("an EC key"))?;
                let pkcs8 = pair
                    .to_pkcs8v1()
                    .map_err(generation("an EC key's PKCS#8"))?;
                let mut jwk = Jwk::from_pkcs8_der(pkcs8.as_ref())?;
                if let KeyMaterial::Ec(ec) = &mut jwk.material
                    && ec.x.is_empty()
                {
                    (ec.x, ec.y) = split_point(ec.crv, pair.public_key().as_ref())?;
                }
                jwk
            }
            Family::EdDsa => {
                let pair =
                    signature::Ed25519KeyPair::generate().map_err(generation("an Ed25519 key"))?;
                let pkcs8 = pair
                    .to_pkcs8()
                    .map_err(generation("an Ed25519 key's PKCS#8"))?;
                let mut jwk = Jwk::from_pkcs8_der(pkcs8.as_ref())?;
                if let KeyMaterial::Okp(okp) = &mut jwk.material
                    && okp.x.is_empty()
                {
                    okp.x = pair.public_key().as_ref().to_vec();
                }
                jwk
            }
            _ => return Err(other_family(NAME, alg)),
        };
        Ok(jwk.with_alg(alg))
    }

    /// The public JWK, deriving an EC point or an Ed25519 public key from the private key when
    /// the key source omitted it.
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        let material = match &key.material {
            KeyMaterial::Okp(okp) if okp.x.is_empty() => KeyMaterial::Okp(OkpKey {
                x: ed25519_public(okp)?,
                d: None,
            }),
            KeyMaterial::Ec(ec) if ec.x.is_empty() => {
                let point = ec_point(key, ec, curve_signing(ec.crv)?)?;
                let (x, y) = split_point(ec.crv, &point)?;
                KeyMaterial::Ec(EcKey {
                    crv: ec.crv,
                    x,
                    y,
                    d: None,
                })
            }
            _ => return key.to_public(),
        };
        Jwk {
            material,
            kid: key.kid.clone(),
            alg: key.alg.clone(),
            key_use: key.key_use.clone(),
            key_ops: key.key_ops.clone(),
        }
        .to_public()
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
        let key = AwsLcBackend
            .generate(KeySpec::new(Algorithm::ES256K))
            .unwrap();
        let s = AwsLcBackend.signer(&key, Algorithm::ES256K).unwrap();
        assert_eq!(
            format!("{s:?}"),
            "EcdsaSigner { alg: ES256K, kid: None, .. }"
        );
    }

    #[test]
    fn typed_constructors_refuse_other_families() {
        let key = Jwk::oct(vec![0u8; 64]);
        assert_eq!(
            EcdsaVerifier::from_jwk(&key, Algorithm::HS256).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-aws-lc EcdsaVerifier",
                alg: Algorithm::HS256
            })
        );
        assert_eq!(
            HmacKey::new(Algorithm::ES256, &[0u8; 64]).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-aws-lc HmacKey",
                alg: Algorithm::ES256
            })
        );
    }

    #[test]
    fn split_point_checks_shape() {
        assert!(split_point(EcCurve::P256, &[4; 65]).is_ok());
        assert!(split_point(EcCurve::P256, &[4; 64]).is_err());
        assert!(split_point(EcCurve::P256, &[2; 65]).is_err());
        assert!(split_point(EcCurve::P256, &[]).is_err());
    }
}
