//! Every JWS algorithm for tessera on the system OpenSSL 3, through the `openssl` crate:
//! HS256/384/512 (RFC 7518 §3.2), RS256/384/512 (§3.3), PS256/384/512 (§3.5),
//! ES256/384/512 (§3.4), ES256K (RFC 8812 §3.2) and EdDSA with Ed25519 (RFC 8037 §3.1).
//!
//! Keys are turned into OpenSSL's prepared form (`PKey`) once, when a [`SigningKey`] or
//! [`VerifyingKey`] is made; signing and verifying only run OpenSSL's `EVP_DigestSign` /
//! `EVP_DigestVerify` over the signing input. Every constructor first runs the codec's
//! [`Jwk::check_for`], so key type, curve, the JWK `alg`, `use`/`key_ops`, RSA size, HMAC length
//! and private material are enforced the same way as in every other backend.
//!
//! - HMAC tags are recomputed and compared in constant time (`CRYPTO_memcmp`).
//! - ECDSA signatures are the fixed-size `R || S` of RFC 7518 §3.4, converted to and from
//!   OpenSSL's DER `ECDSA_SIG`; `r` and `s` outside `[1, n-1]` are refused before OpenSSL sees them,
//!   and a DER signature is never accepted (its length is wrong).
//! - RSASSA-PSS uses MGF1 with the message hash and a salt as long as the hash, both ways.
//! - Ed25519 private keys without their public half (PKCS#8 v1) and EC private keys without their
//!   point (SEC1 without `publicKey`) are completed by deriving the public key
//!   ([`Backend::public_key`]).
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, KeySpec, Signer, Verifier};
//! use tessera_openssl::OpensslBackend;
//!
//! let key = OpensslBackend.generate(KeySpec::new(Algorithm::ES256)).unwrap();
//! let signer = OpensslBackend.signer(&key, Algorithm::ES256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! assert_eq!(sig.len(), 64);
//!
//! let public = OpensslBackend.public_key(&key).unwrap();
//! let verifier = OpensslBackend.verifier(&public, Algorithm::ES256).unwrap();
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! assert!(verifier.verify(b"header.payload!", &sig).is_err());
//! ```

#![forbid(unsafe_code)]

use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::ec::{EcGroup, EcKey, EcPoint, EcPointRef};
use openssl::ecdsa::EcdsaSig;
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::rsa::{Padding, Rsa, RsaPrivateKeyBuilder};
use openssl::sign::{RsaPssSaltlen, Signer as EvpSigner, Verifier as EvpVerifier};
use std::cmp::Ordering;
use std::fmt;
use tessera_codec::{
    Algorithm, Backend, EcCurve, EcKey as JwkEcKey, Family, Hash, Jwk, KeyError, KeyMaterial,
    KeySpec, KeyUse, Library, MIN_RSA_BITS, OkpKey, RsaKey, RsaPrimes, RsaPrivate, Secret,
    SignError, SignatureError, Signer, Verifier, check_hmac_secret, check_rsa_bits, ecdsa_low_s,
    ensure_supported,
};

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

/// Largest RSA modulus OpenSSL accepts (`OPENSSL_RSA_MAX_MODULUS_BITS`).
const MAX_RSA_BITS: usize = 16384;
/// Largest RSA key [`OpensslBackend::generate`] makes.
const MAX_GENERATED_RSA_BITS: usize = 8192;
/// Largest public exponent accepted, in bits (OpenSSL's limit for moduli over 3072 bits).
const MAX_RSA_E_BITS: i32 = 64;
/// Largest HMAC secret [`OpensslBackend::generate`] makes, in bits.
const MAX_GENERATED_HMAC_BITS: usize = 8192;

/// The OpenSSL 3 backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpensslBackend;

/// What a prepared key does per token.
#[derive(Clone, Debug)]
enum Scheme {
    Hmac,
    RsaPkcs1,
    RsaPss,
    /// ECDSA with the curve's field size and, for verifying, its group order as
    /// `field_len` big-endian bytes (to range-check `r` and `s`).
    Ecdsa {
        field_len: usize,
        order: Vec<u8>,
    },
    EdDsa,
}

/// A prepared private key (a secret for HMAC) that signs for one algorithm.
pub struct SigningKey {
    alg: Algorithm,
    kid: Option<String>,
    key: PKey<Private>,
    scheme: Scheme,
}

/// The key a [`VerifyingKey`] holds: the HMAC secret or a public key.
enum VerifyKey {
    Mac(PKey<Private>),
    Public(PKey<Public>),
}

/// A prepared public key (a secret for HMAC) that verifies for one algorithm.
pub struct VerifyingKey {
    alg: Algorithm,
    kid: Option<String>,
    key: VerifyKey,
    sig_len: usize,
    scheme: Scheme,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never key material: the algorithm, kid and key size only.
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("bits", &self.key.bits())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = match &self.key {
            VerifyKey::Mac(k) => k.bits(),
            VerifyKey::Public(k) => k.bits(),
        };
        f.debug_struct("VerifyingKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("bits", &bits)
            .field("signature_len", &self.sig_len)
            .finish_non_exhaustive()
    }
}

fn invalid(what: &str) -> impl Fn(ErrorStack) -> KeyError + '_ {
    move |e| KeyError::Invalid(format!("{what}: {e}"))
}

fn generation(what: &str) -> impl Fn(ErrorStack) -> KeyError + '_ {
    move |e| KeyError::Generation(format!("{what}: {e}"))
}

fn sign_err(e: ErrorStack) -> SignError {
    SignError(format!("OpenSSL: {e}"))
}

fn digest(hash: Hash) -> MessageDigest {
    match hash {
        Hash::Sha256 => MessageDigest::sha256(),
        Hash::Sha384 => MessageDigest::sha384(),
        Hash::Sha512 => MessageDigest::sha512(),
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

/// Longest big integer taken from a key, in bytes: twice OpenSSL's largest RSA modulus. Keeps
/// absurd programmatic inputs away from the `openssl` crate's length assertions.
const MAX_INT_BYTES: usize = 2 * MAX_RSA_BITS / 8;

fn check_int_len(len: usize) -> Result<(), KeyError> {
    if len > MAX_INT_BYTES {
        return Err(KeyError::Invalid(format!(
            "big integer of {len} bytes, at most {MAX_INT_BYTES} accepted"
        )));
    }
    Ok(())
}

/// A big integer from public bytes.
fn bn(bytes: &[u8]) -> Result<BigNum, KeyError> {
    check_int_len(bytes.len())?;
    BigNum::from_slice(bytes).map_err(invalid("big integer"))
}

/// A big integer from secret bytes, in a `BigNum` that OpenSSL wipes when it is freed.
fn secret_bn(secret: &Secret) -> Result<BigNum, KeyError> {
    check_int_len(secret.len())?;
    let mut n = BigNum::new_secure().map_err(invalid("big integer"))?;
    n.copy_from_slice(secret.expose())
        .map_err(invalid("big integer"))?;
    Ok(n)
}

/// `n` as exactly `len` big-endian bytes; an error if it does not fit.
fn padded(n: &BigNumRef, len: usize) -> Result<Vec<u8>, ErrorStack> {
    // `len` is a curve's field size (at most 66). Were it ever out of `i32` range, 0 makes
    // OpenSSL refuse any non-zero number instead of the crate allocating a huge buffer.
    n.to_vec_padded(i32::try_from(len).unwrap_or(0))
}

/// Big-endian `len`-byte encoding of the group order.
fn group_order(group: &EcGroup, len: usize) -> Result<Vec<u8>, KeyError> {
    let mut ctx = BigNumContext::new().map_err(invalid("EC group"))?;
    let mut order = BigNum::new().map_err(invalid("EC group"))?;
    group
        .order(&mut order, &mut ctx)
        .map_err(invalid("EC group order"))?;
    padded(&order, len).map_err(invalid("EC group order"))
}

/// Whether a fixed-size big-endian scalar lies in `[1, order - 1]`; `scalar` and `order` have
/// the same length. Only public values (signature halves) are compared.
fn scalar_in_range(scalar: &[u8], order: &[u8]) -> bool {
    scalar.iter().any(|&b| b != 0) && scalar.cmp(order) == Ordering::Less
}

/// Checks the public exponent: odd, at least 3, and small enough for OpenSSL.
fn check_rsa_public(k: &RsaKey, e: &BigNumRef) -> Result<(), KeyError> {
    if k.bits() > MAX_RSA_BITS {
        return Err(KeyError::UnsupportedKey(format!(
            "RSA modulus of {} bits, OpenSSL handles at most {MAX_RSA_BITS}",
            k.bits()
        )));
    }
    if !e.is_odd() || e.num_bits() < 2 || e.num_bits() > MAX_RSA_E_BITS {
        return Err(KeyError::Invalid(
            "RSA public exponent must be odd, at least 3 and at most 64 bits".into(),
        ));
    }
    Ok(())
}

fn rsa_public_pkey(k: &RsaKey) -> Result<PKey<Public>, KeyError> {
    let e = bn(&k.e)?;
    check_rsa_public(k, &e)?;
    let rsa = Rsa::from_public_components(bn(&k.n)?, e).map_err(invalid("RSA public key"))?;
    PKey::from_rsa(rsa).map_err(invalid("RSA public key"))
}

fn rsa_private_pkey(k: &RsaKey, private: &RsaPrivate) -> Result<PKey<Private>, KeyError> {
    let n = bn(&k.n)?;
    let e = bn(&k.e)?;
    check_rsa_public(k, &e)?;
    let d = secret_bn(&private.d)?;
    let builder = RsaPrivateKeyBuilder::new(n, e, d).map_err(invalid("RSA private key"))?;
    let rsa = match &private.primes {
        Some(c) => {
            let p = secret_bn(&c.p)?;
            let q = secret_bn(&c.q)?;
            check_factors(k, &p, &q)?;
            let (dp, dq, qi) = (secret_bn(&c.dp)?, secret_bn(&c.dq)?, secret_bn(&c.qi)?);
            builder
                .set_factors(p, q)
                .and_then(|b| b.set_crt_params(dp, dq, qi))
                .map_err(invalid("RSA private key"))?
                .build()
        }
        // OpenSSL signs with `d` alone (no CRT, blinded) when the key has no factors.
        None => builder.build(),
    };
    PKey::from_rsa(rsa).map_err(invalid("RSA private key"))
}

/// Cheap consistency check of the CRT factors: `p * q == n`. (OpenSSL also checks each CRT
/// result against the public key and falls back to `d` on a mismatch, so inconsistent CRT
/// exponents cannot leak the factors through a faulty signature.)
fn check_factors(k: &RsaKey, p: &BigNumRef, q: &BigNumRef) -> Result<(), KeyError> {
    let mut ctx = BigNumContext::new_secure().map_err(invalid("RSA private key"))?;
    let mut product = BigNum::new_secure().map_err(invalid("RSA private key"))?;
    product
        .checked_mul(p, q, &mut ctx)
        .map_err(invalid("RSA private key"))?;
    let n = bn(&k.n)?;
    if product.ucmp(&n) != Ordering::Equal {
        return Err(KeyError::Invalid(
            "RSA private key: p * q is not the modulus".into(),
        ));
    }
    Ok(())
}

/// The public point of an EC key: the given `x`/`y`, or `d * G` when the key source omitted them.
fn ec_public_point(k: &JwkEcKey, group: &EcGroup) -> Result<EcPoint, KeyError> {
    let mut ctx = BigNumContext::new().map_err(invalid("EC key"))?;
    let mut point = EcPoint::new(group).map_err(invalid("EC key"))?;
    if k.x.is_empty() || k.y.is_empty() {
        let d =
            k.d.as_ref()
                .ok_or_else(|| KeyError::Invalid("EC public key without coordinates".into()))?;
        let d = secret_bn(d)?;
        point
            .mul_generator2(group, &d, &mut ctx)
            .map_err(invalid("EC private key"))?;
    } else {
        let (x, y) = (bn(&k.x)?, bn(&k.y)?);
        point
            .set_affine_coordinates_gfp(group, &x, &y, &mut ctx)
            .map_err(invalid("EC public key"))?;
    }
    Ok(point)
}

fn ec_private_pkey(k: &JwkEcKey, d: &Secret) -> Result<(PKey<Private>, EcGroup), KeyError> {
    let group = ec_group(k.crv)?;
    let point = ec_public_point(k, &group)?;
    let d = secret_bn(d)?;
    let key =
        EcKey::from_private_components(&group, &d, &point).map_err(invalid("EC private key"))?;
    // The point is on the curve, the scalar in range, and d * G is the given point.
    key.check_key()
        .map_err(invalid("EC private key does not match its public key"))?;
    let pkey = PKey::from_ec_key(key).map_err(invalid("EC private key"))?;
    Ok((pkey, group))
}

fn ec_public_pkey(k: &JwkEcKey) -> Result<(PKey<Public>, EcGroup), KeyError> {
    let group = ec_group(k.crv)?;
    let point = ec_public_point(k, &group)?;
    let key = EcKey::from_public_key(&group, &point).map_err(invalid("EC public key"))?;
    key.check_key().map_err(invalid("EC public key"))?;
    let pkey = PKey::from_ec_key(key).map_err(invalid("EC public key"))?;
    Ok((pkey, group))
}

fn ed25519_private_pkey(k: &OkpKey, d: &Secret) -> Result<PKey<Private>, KeyError> {
    let key = PKey::private_key_from_raw_bytes(d.expose(), Id::ED25519)
        .map_err(invalid("Ed25519 private key"))?;
    if !k.x.is_empty() {
        let x = key
            .raw_public_key()
            .map_err(invalid("Ed25519 private key"))?;
        if x != k.x {
            return Err(KeyError::Invalid(
                "Ed25519 public key x does not match the private key d".into(),
            ));
        }
    }
    Ok(key)
}

fn ed25519_public_pkey(k: &OkpKey) -> Result<PKey<Public>, KeyError> {
    if k.x.is_empty() {
        let d =
            k.d.as_ref()
                .ok_or_else(|| KeyError::Invalid("Ed25519 public key without x".into()))?;
        let x = ed25519_private_pkey(k, d)?
            .raw_public_key()
            .map_err(invalid("Ed25519 private key"))?;
        return PKey::public_key_from_raw_bytes(&x, Id::ED25519)
            .map_err(invalid("Ed25519 public key"));
    }
    PKey::public_key_from_raw_bytes(&k.x, Id::ED25519).map_err(invalid("Ed25519 public key"))
}

/// Largest HMAC secret accepted, in bytes (far beyond any real key; `EVP_PKEY_new_mac_key`
/// takes an `int` length).
const MAX_HMAC_SECRET: usize = 1 << 20;

fn hmac_pkey(secret: &Secret) -> Result<PKey<Private>, KeyError> {
    if secret.len() > MAX_HMAC_SECRET {
        return Err(KeyError::UnsupportedKey(format!(
            "HMAC secret of {} bytes, at most {MAX_HMAC_SECRET} accepted",
            secret.len()
        )));
    }
    PKey::hmac(secret.expose()).map_err(invalid("HMAC key"))
}

fn wrong_type(key: &Jwk, alg: Algorithm) -> KeyError {
    KeyError::WrongKeyType {
        alg,
        kty: key.kty(),
    }
}

fn ecdsa_scheme(crv: EcCurve, group: &EcGroup) -> Result<Scheme, KeyError> {
    let field_len = crv.field_len();
    Ok(Scheme::Ecdsa {
        field_len,
        order: group_order(group, field_len)?,
    })
}

impl SigningKey {
    /// Prepares a private JWK (a secret for HMAC) to sign with `alg`, after the codec's binding
    /// checks ([`Jwk::check_for`]). EC and Ed25519 keys without their public members are
    /// completed from the private key; given public members must match it.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&OpensslBackend, alg)?;
        let material = key.check_for(alg, KeyUse::Sign)?;
        let (pkey, scheme) = match (alg.family(), material) {
            (Family::Hmac, KeyMaterial::Oct(secret)) => (hmac_pkey(secret)?, Scheme::Hmac),
            (Family::RsaPkcs1 | Family::RsaPss, KeyMaterial::Rsa(k)) => {
                let private = k.private.as_ref().ok_or(KeyError::NotPrivate)?;
                let scheme = if alg.family() == Family::RsaPss {
                    Scheme::RsaPss
                } else {
                    Scheme::RsaPkcs1
                };
                (rsa_private_pkey(k, private)?, scheme)
            }
            (Family::Ecdsa, KeyMaterial::Ec(k)) => {
                let d = k.d.as_ref().ok_or(KeyError::NotPrivate)?;
                let (pkey, group) = ec_private_pkey(k, d)?;
                (pkey, ecdsa_scheme(k.crv, &group)?)
            }
            (Family::EdDsa, KeyMaterial::Okp(k)) => {
                let d = k.d.as_ref().ok_or(KeyError::NotPrivate)?;
                (ed25519_private_pkey(k, d)?, Scheme::EdDsa)
            }
            _ => return Err(wrong_type(key, alg)),
        };
        Ok(SigningKey {
            alg,
            kid: key.kid.clone(),
            key: pkey,
            scheme,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

impl VerifyingKey {
    /// Prepares a public JWK (a secret for HMAC; a private key's public half) to verify `alg`,
    /// after the codec's binding checks ([`Jwk::check_for`]).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&OpensslBackend, alg)?;
        let material = key.check_for(alg, KeyUse::Verify)?;
        let (pkey, sig_len, scheme) = match (alg.family(), material) {
            (Family::Hmac, KeyMaterial::Oct(secret)) => (
                VerifyKey::Mac(hmac_pkey(secret)?),
                alg.hash().output_len(),
                Scheme::Hmac,
            ),
            (Family::RsaPkcs1 | Family::RsaPss, KeyMaterial::Rsa(k)) => {
                let pkey = rsa_public_pkey(k)?;
                let scheme = if alg.family() == Family::RsaPss {
                    Scheme::RsaPss
                } else {
                    Scheme::RsaPkcs1
                };
                let len = pkey.size();
                (VerifyKey::Public(pkey), len, scheme)
            }
            (Family::Ecdsa, KeyMaterial::Ec(k)) => {
                let (pkey, group) = ec_public_pkey(k)?;
                (
                    VerifyKey::Public(pkey),
                    2 * k.crv.field_len(),
                    ecdsa_scheme(k.crv, &group)?,
                )
            }
            (Family::EdDsa, KeyMaterial::Okp(k)) => (
                VerifyKey::Public(ed25519_public_pkey(k)?),
                64,
                Scheme::EdDsa,
            ),
            _ => return Err(wrong_type(key, alg)),
        };
        Ok(VerifyingKey {
            alg,
            kid: key.kid.clone(),
            key: pkey,
            sig_len,
            scheme,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

/// Runs `EVP_DigestSign` over `input` with the scheme's padding.
fn evp_sign(
    alg: Algorithm,
    scheme: &Scheme,
    key: &PKey<Private>,
    input: &[u8],
) -> Result<Vec<u8>, ErrorStack> {
    let md = digest(alg.hash());
    let mut signer = match scheme {
        Scheme::EdDsa => EvpSigner::new_without_digest(key)?,
        _ => EvpSigner::new(md, key)?,
    };
    match scheme {
        Scheme::RsaPkcs1 => signer.set_rsa_padding(Padding::PKCS1)?,
        Scheme::RsaPss => {
            signer.set_rsa_padding(Padding::PKCS1_PSS)?;
            signer.set_rsa_mgf1_md(md)?;
            signer.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)?;
        }
        _ => {}
    }
    signer.sign_oneshot_to_vec(input)
}

impl Signer for SigningKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let sig = evp_sign(self.alg, &self.scheme, &self.key, signing_input).map_err(sign_err)?;
        match &self.scheme {
            Scheme::Ecdsa { field_len, .. } => {
                // OpenSSL gives DER ECDSA-Sig-Value; JWS wants R || S, each the field size.
                let sig = EcdsaSig::from_der(&sig).map_err(sign_err)?;
                let start = out.len();
                out.extend_from_slice(&padded(sig.r(), *field_len).map_err(sign_err)?);
                out.extend_from_slice(&padded(sig.s(), *field_len).map_err(sign_err)?);
                if self.alg == Algorithm::ES256K
                    && let Some(sig) = out.get_mut(start..)
                {
                    // secp256k1 verifiers built on k256 (jwt-simple, Bitcoin-derived code)
                    // accept only low S; every tessera backend signs ES256K that way.
                    ecdsa_low_s(EcCurve::Secp256k1, sig);
                }
            }
            _ => out.extend_from_slice(&sig),
        }
        Ok(())
    }
}

impl VerifyingKey {
    fn verify_public(
        &self,
        key: &PKey<Public>,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, ErrorStack> {
        let md = digest(self.alg.hash());
        let der;
        let signature = match &self.scheme {
            Scheme::Ecdsa { field_len, order } => {
                let (r, s) = signature.split_at(*field_len);
                if !scalar_in_range(r, order) || !scalar_in_range(s, order) {
                    return Ok(false);
                }
                der = EcdsaSig::from_private_components(
                    BigNum::from_slice(r)?,
                    BigNum::from_slice(s)?,
                )?
                .to_der()?;
                der.as_slice()
            }
            _ => signature,
        };
        let mut verifier = match &self.scheme {
            Scheme::EdDsa => EvpVerifier::new_without_digest(key)?,
            _ => EvpVerifier::new(md, key)?,
        };
        match &self.scheme {
            Scheme::RsaPkcs1 => verifier.set_rsa_padding(Padding::PKCS1)?,
            Scheme::RsaPss => {
                verifier.set_rsa_padding(Padding::PKCS1_PSS)?;
                verifier.set_rsa_mgf1_md(md)?;
                verifier.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)?;
            }
            _ => {}
        }
        verifier.verify_oneshot(signature, input)
    }
}

impl Verifier for VerifyingKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        self.sig_len
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        if signature.len() != self.sig_len {
            return Err(SignatureError::Length {
                expected: self.sig_len,
                found: signature.len(),
            });
        }
        let ok = match &self.key {
            VerifyKey::Mac(key) => {
                evp_sign(self.alg, &self.scheme, key, signing_input).is_ok_and(|tag| {
                    tag.len() == signature.len() && openssl::memcmp::eq(&tag, signature)
                })
            }
            VerifyKey::Public(key) => self
                .verify_public(key, signing_input, signature)
                .unwrap_or(false),
        };
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

fn secret_vec(n: &BigNumRef) -> Secret {
    Secret::new(n.to_vec())
}

fn generate_rsa(bits: usize) -> Result<KeyMaterial, KeyError> {
    let rsa =
        Rsa::generate(u32::try_from(bits).unwrap_or(u32::MAX)).map_err(generation("RSA key"))?;
    let missing = || KeyError::Generation("OpenSSL made an RSA key without CRT values".into());
    Ok(KeyMaterial::Rsa(RsaKey {
        n: rsa.n().to_vec(),
        e: rsa.e().to_vec(),
        private: Some(RsaPrivate {
            d: secret_vec(rsa.d()),
            primes: Some(RsaPrimes {
                p: secret_vec(rsa.p().ok_or_else(missing)?),
                q: secret_vec(rsa.q().ok_or_else(missing)?),
                dp: secret_vec(rsa.dmp1().ok_or_else(missing)?),
                dq: secret_vec(rsa.dmq1().ok_or_else(missing)?),
                qi: secret_vec(rsa.iqmp().ok_or_else(missing)?),
            }),
        }),
    }))
}

fn ec_coordinates(
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

fn generate_ec(crv: EcCurve) -> Result<KeyMaterial, KeyError> {
    let group = ec_group(crv)?;
    let key = EcKey::generate(&group).map_err(generation("EC key"))?;
    let len = crv.field_len();
    let (x, y) = ec_coordinates(&group, key.public_key(), len).map_err(generation("EC key"))?;
    let d = padded(key.private_key(), len).map_err(generation("EC key"))?;
    Ok(KeyMaterial::Ec(JwkEcKey {
        crv,
        x,
        y,
        d: Some(Secret::new(d)),
    }))
}

fn generate_ed25519() -> Result<KeyMaterial, KeyError> {
    let key = PKey::generate_ed25519().map_err(generation("Ed25519 key"))?;
    let d = key.raw_private_key().map_err(generation("Ed25519 key"))?;
    let x = key.raw_public_key().map_err(generation("Ed25519 key"))?;
    Ok(KeyMaterial::Okp(OkpKey {
        x,
        d: Some(Secret::new(d)),
    }))
}

impl Backend for OpensslBackend {
    fn name(&self) -> &'static str {
        "tessera-openssl"
    }

    fn library(&self) -> Library {
        Library {
            name: "OpenSSL",
            version: openssl::version::version().trim_start_matches("OpenSSL "),
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        Ok(Box::new(SigningKey::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        Ok(Box::new(VerifyingKey::from_jwk(key, alg)?))
    }

    /// A new key: RSA of `bits` bits (default 2048, from 2048 to 8192, public exponent 65537),
    /// EC on the algorithm's curve, Ed25519, or a random HMAC secret of `bits` bits (default the
    /// hash output size).
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        let alg = spec.alg;
        ensure_supported(self, alg)?;
        let material = match alg.family() {
            Family::Hmac => {
                let bits = spec.bits.unwrap_or(alg.hash().output_len() * 8);
                if !bits.is_multiple_of(8) || bits > MAX_GENERATED_HMAC_BITS {
                    return Err(KeyError::Generation(format!(
                        "HMAC secret size {bits} is not a whole number of bytes up to \
                         {MAX_GENERATED_HMAC_BITS} bits"
                    )));
                }
                check_hmac_secret(alg, bits / 8)?;
                let mut bytes = vec![0u8; bits / 8];
                openssl::rand::rand_bytes(&mut bytes).map_err(generation("HMAC secret"))?;
                KeyMaterial::Oct(Secret::new(bytes))
            }
            Family::RsaPkcs1 | Family::RsaPss => {
                let bits = spec.bits.unwrap_or(MIN_RSA_BITS);
                check_rsa_bits(alg, bits)?;
                if bits > MAX_GENERATED_RSA_BITS || !bits.is_multiple_of(8) {
                    return Err(KeyError::Generation(format!(
                        "RSA key size {bits} is not a whole number of bytes up to \
                         {MAX_GENERATED_RSA_BITS} bits"
                    )));
                }
                generate_rsa(bits)?
            }
            Family::Ecdsa => {
                let crv = alg
                    .curve()
                    .ok_or_else(|| KeyError::Generation(format!("{alg} names no curve")))?;
                generate_ec(crv)?
            }
            Family::EdDsa => generate_ed25519()?,
            _ => {
                return Err(KeyError::Unsupported {
                    backend: self.name(),
                    alg,
                });
            }
        };
        Ok(Jwk::new(material).with_alg(alg))
    }

    /// The public JWK; EC and Ed25519 public members missing from the key source are derived
    /// from the private key.
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        let completed = match &key.material {
            KeyMaterial::Ec(k) if k.x.is_empty() || k.y.is_empty() => {
                let d = k
                    .d
                    .as_ref()
                    .ok_or_else(|| KeyError::Invalid("EC public key without coordinates".into()))?;
                let group = ec_group(k.crv)?;
                let point = ec_public_point(k, &group)?;
                let (x, y) = ec_coordinates(&group, &point, k.crv.field_len())
                    .map_err(invalid("EC private key"))?;
                KeyMaterial::Ec(JwkEcKey {
                    crv: k.crv,
                    x,
                    y,
                    d: Some(d.clone()),
                })
            }
            KeyMaterial::Okp(k) if k.x.is_empty() => {
                let d =
                    k.d.as_ref()
                        .ok_or_else(|| KeyError::Invalid("Ed25519 public key without x".into()))?;
                let x = ed25519_private_pkey(k, d)?
                    .raw_public_key()
                    .map_err(invalid("Ed25519 private key"))?;
                KeyMaterial::Okp(OkpKey {
                    x,
                    d: Some(d.clone()),
                })
            }
            _ => return key.to_public(),
        };
        Jwk {
            material: completed,
            ..key.clone()
        }
        .to_public()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_range_is_one_to_order_minus_one() {
        let order = [0x80, 0x00, 0x01];
        assert!(!scalar_in_range(&[0, 0, 0], &order));
        assert!(scalar_in_range(&[0, 0, 1], &order));
        assert!(scalar_in_range(&[0x80, 0x00, 0x00], &order));
        assert!(!scalar_in_range(&[0x80, 0x00, 0x01], &order));
        assert!(!scalar_in_range(&[0xff, 0xff, 0xff], &order));
    }

    #[test]
    fn group_orders_are_padded_to_the_field_size() {
        for crv in [
            EcCurve::P256,
            EcCurve::P384,
            EcCurve::P521,
            EcCurve::Secp256k1,
        ] {
            let order = group_order(&ec_group(crv).unwrap(), crv.field_len()).unwrap();
            assert_eq!(order.len(), crv.field_len());
        }
        // P-521's order is 521 bits: the first of its 66 bytes is 0x01.
        let p521 = group_order(&ec_group(EcCurve::P521).unwrap(), 66).unwrap();
        assert_eq!(p521[0], 0x01);
        let k256 = group_order(&ec_group(EcCurve::Secp256k1).unwrap(), 32).unwrap();
        assert_eq!(
            &k256[..],
            &[
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c,
                0xd0, 0x36, 0x41, 0x41
            ][..]
        );
    }
}
