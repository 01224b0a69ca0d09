//! RS256/384/512 (RSASSA-PKCS1-v1_5, RFC 7518 §3.3) and PS256/384/512 (RSASSA-PSS, §3.5):
//! an RSA `PKey` run through `EVP_DigestSign` / `EVP_DigestVerify`. PSS uses MGF1 with the
//! message hash and a salt as long as the hash, both ways.

use crate::OpensslBackend;
use crate::ossl::{bn, digest, generation, invalid, secret_bn, secret_vec, sign_err};
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private, Public};
use openssl::rsa::{Padding, Rsa, RsaPrivateKeyBuilder};
use openssl::sign::{RsaPssSaltlen, Signer as EvpSigner, Verifier as EvpVerifier};
use std::cmp::Ordering;
use std::fmt;
use tessera_codec::backend::{
    Family, KeyRule, MAX_RSA_BITS, MIN_RSA_BITS, check_rsa_bits, check_signature_len,
    ensure_supported, not_for, unsigned,
};
use tessera_codec::{
    Algorithm, Jwk, KeyError, KeyMaterial, KeyUse, RsaKey, RsaPrimes, RsaPrivate, SignError,
    SignatureError, Signer, Verifier,
};

/// A prepared RSA private key (an OpenSSL RSA `PKey`, with its CRT values when the key source
/// has them) that signs for one algorithm.
pub struct RsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    key: PKey<Private>,
}

/// A prepared RSA public key (an OpenSSL RSA `PKey`) that verifies one algorithm.
pub struct RsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: PKey<Public>,
    len: usize,
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never key material: the algorithm, kid and modulus size only.
        f.debug_struct("RsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("bits", &self.key.bits())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("bits", &self.key.bits())
            .finish_non_exhaustive()
    }
}

/// Refuses `alg` unless it is RS* or PS*; `ty` names the constructor's type in the error.
fn ensure_rsa(ty: &'static str, alg: Algorithm) -> Result<(), KeyError> {
    match alg.family() {
        Family::RsaPkcs1 | Family::RsaPss => ensure_supported(&OpensslBackend, alg),
        _ => Err(not_for(ty, alg)),
    }
}

impl RsaSigner {
    /// Prepares a private RSA JWK for `alg` (RS256 ... PS512), after the codec's checks
    /// ([`Jwk::rsa_for`]: binding, 2048 to 8192 bits, modulus and exponent rules); `p * q` must
    /// be the modulus when the primes are given. The JWK's `kid` is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_rsa("tessera-openssl RsaSigner", alg)?;
        let rsa = key.rsa_for(alg, KeyUse::Sign)?;
        let private = rsa.private.as_ref().ok_or(KeyError::NotPrivate)?;
        Ok(RsaSigner {
            alg,
            kid: key.kid.clone(),
            key: private_pkey(rsa, private)?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

impl RsaVerifier {
    /// Prepares an RSA JWK, public or private (its public half is used), for `alg`
    /// (RS256 ... PS512), after the codec's checks ([`Jwk::rsa_for`]). The JWK's `kid` is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_rsa("tessera-openssl RsaVerifier", alg)?;
        let rsa = key.rsa_for(alg, KeyUse::Verify)?;
        let key_pub = public_pkey(rsa)?;
        Ok(RsaVerifier {
            alg,
            kid: key.kid.clone(),
            len: key_pub.size(),
            key: key_pub,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    fn check(&self, input: &[u8], signature: &[u8]) -> Result<bool, ErrorStack> {
        let md = digest(self.alg.hash());
        let mut v = EvpVerifier::new(md, &self.key)?;
        if self.alg.family() == Family::RsaPss {
            v.set_rsa_padding(Padding::PKCS1_PSS)?;
            v.set_rsa_mgf1_md(md)?;
            v.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)?;
        } else {
            v.set_rsa_padding(Padding::PKCS1)?;
        }
        v.verify_oneshot(signature, input)
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
        let sign = || -> Result<Vec<u8>, ErrorStack> {
            let md = digest(self.alg.hash());
            let mut s = EvpSigner::new(md, &self.key)?;
            if self.alg.family() == Family::RsaPss {
                s.set_rsa_padding(Padding::PKCS1_PSS)?;
                s.set_rsa_mgf1_md(md)?;
                s.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)?;
            } else {
                s.set_rsa_padding(Padding::PKCS1)?;
            }
            s.sign_oneshot_to_vec(signing_input)
        };
        out.extend_from_slice(&sign().map_err(sign_err)?);
        Ok(())
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
        check_signature_len(self.len, signature)?;
        if self.check(signing_input, signature).unwrap_or(false) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

fn public_pkey(k: &RsaKey) -> Result<PKey<Public>, KeyError> {
    let rsa = Rsa::from_public_components(bn(unsigned(&k.n))?, bn(unsigned(&k.e))?)
        .map_err(invalid("RSA public key"))?;
    PKey::from_rsa(rsa).map_err(invalid("RSA public key"))
}

fn private_pkey(k: &RsaKey, private: &RsaPrivate) -> Result<PKey<Private>, KeyError> {
    let n = bn(unsigned(&k.n))?;
    let e = bn(unsigned(&k.e))?;
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
    let n = bn(unsigned(&k.n))?;
    if product.ucmp(&n) != Ordering::Equal {
        return Err(KeyError::Invalid(
            "RSA private key: p * q is not the modulus".into(),
        ));
    }
    Ok(())
}

/// A new key with public exponent 65537 and a modulus of `bits` bits (default 2048): a whole
/// number of bytes from [`MIN_RSA_BITS`] to [`MAX_RSA_BITS`]. Larger is
/// [`KeyRule::RsaModulusTooLarge`], as no backend would accept the key.
pub(crate) fn generate(alg: Algorithm, bits: Option<usize>) -> Result<KeyMaterial, KeyError> {
    let bits = bits.unwrap_or(MIN_RSA_BITS);
    check_rsa_bits(alg, bits)?;
    if bits > MAX_RSA_BITS {
        return Err(KeyError::Rejected(KeyRule::RsaModulusTooLarge));
    }
    if !bits.is_multiple_of(8) {
        return Err(KeyError::Generation(format!(
            "RSA key size {bits} is not a whole number of bytes"
        )));
    }
    let bits = u32::try_from(bits).map_err(|_| KeyError::Generation("RSA key size".into()))?;
    let rsa = Rsa::generate(bits).map_err(generation("RSA key"))?;
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
