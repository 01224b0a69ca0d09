//! RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS) on `ring::signature`.

use crate::support::rejected;
use crate::{MAX_RSA_SIGN_BITS, RingBackend};
use ring::rand::SystemRandom;
use ring::signature::{self, RsaEncoding, RsaKeyPair, RsaParameters, RsaPublicKeyComponents};
use std::fmt;
use tessera_codec::backend::{
    Signer, Verifier, bit_len, check_signature_len, ensure_supported, not_for, unsigned,
};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyUse, SignError, SignatureError};

/// Signs RS256/384/512 or PS256/384/512 with a parsed `ring::signature::RsaKeyPair`.
pub struct RsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    pair: RsaKeyPair,
    encoding: &'static dyn RsaEncoding,
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
    /// Parses an RSA private JWK for `alg` (RS* or PS*). Beyond the codec's rules, ring needs
    /// the CRT parameters, a modulus of at most [`MAX_RSA_SIGN_BITS`] bits and a public exponent
    /// of at least 65537.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let encoding: &'static dyn RsaEncoding = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_SHA512,
            _ => return Err(not_for(type_name!("RsaSigner"), alg)),
        };
        let rsa = key.rsa_for(alg, KeyUse::Sign)?;
        if rsa.private.as_ref().is_none_or(|p| p.primes.is_none()) {
            return Err(KeyError::UnsupportedKey(
                "RSA private key without its CRT parameters (p, q, dp, dq, qi): \
                 ring signs only with the CRT form"
                    .into(),
            ));
        }
        let bits = rsa.bits();
        if bits > MAX_RSA_SIGN_BITS {
            return Err(KeyError::UnsupportedKey(format!(
                "ring signs with RSA keys of at most {MAX_RSA_SIGN_BITS} bits, this one has {bits}"
            )));
        }
        let pair =
            RsaKeyPair::from_pkcs8(&key.to_pkcs8_der()?).map_err(rejected("RSA private key"))?;
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

/// Verifies RS256/384/512 or PS256/384/512 with the public integers `n` and `e`; ring 0.17 has
/// no reusable parsed RSA public key (see the crate docs).
pub struct RsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: RsaPublicKeyComponents<Vec<u8>>,
    params: &'static RsaParameters,
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

impl RsaVerifier {
    /// Prepares an RSA JWK (public, or the public half of a private key) for `alg` (RS* or
    /// PS*). The codec's rules are exactly what ring checks about `n` and `e` when it
    /// verifies (odd modulus of 2048 to 8192 bits, odd exponent from 3 to 2^33 - 1), so a key
    /// accepted here never fails for key reasons later.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RingBackend, alg)?;
        let params: &'static RsaParameters = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
            _ => return Err(not_for(type_name!("RsaVerifier"), alg)),
        };
        let rsa = key.rsa_for(alg, KeyUse::Verify)?;
        Ok(RsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: RsaPublicKeyComponents {
                n: unsigned(&rsa.n).to_vec(),
                e: unsigned(&rsa.e).to_vec(),
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
        check_signature_len(self.signature_len(), signature)?;
        self.key
            .verify(self.params, signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// ring cannot generate RSA keys: [`KeyError::Generation`].
pub(crate) fn generate(_bits: Option<usize>) -> Result<Jwk, KeyError> {
    Err(KeyError::Generation("ring cannot generate RSA keys".into()))
}
