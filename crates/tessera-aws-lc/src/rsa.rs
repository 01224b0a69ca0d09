//! RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS) on `aws_lc_rs::signature`,
//! and RSA key generation.

use crate::AwsLcBackend;
use crate::support::{generation, rejected};
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaEncoding, RsaKeyPair, RsaParameters};
use std::fmt;
use tessera_codec::backend::{Signer, Verifier, check_signature_len, ensure_supported, not_for};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyUse, SignError, SignatureError};

/// Signs RS256/384/512 or PS256/384/512 with a parsed `aws_lc_rs::signature::RsaKeyPair`.
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
            .field("modulus_bytes", &self.pair.public_modulus_len())
            .finish_non_exhaustive()
    }
}

impl RsaSigner {
    /// Parses an RSA private JWK for `alg` (RS* or PS*). The key needs its CRT parameters; the
    /// codec's rules bound the modulus to 2048 to 8192 bits, what AWS-LC signs with.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
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
                 aws-lc-rs signs only with the CRT form"
                    .into(),
            ));
        }
        let der = key.to_pkcs8_der()?;
        Ok(RsaSigner {
            alg,
            kid: key.kid.clone(),
            pair: RsaKeyPair::from_pkcs8(&der).map_err(rejected("RSA private key"))?,
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
    key: ParsedPublicKey,
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
    /// aws-lc-rs checks the modulus size range of the algorithm only when verifying; the
    /// codec's rules have already bounded it to 2048 to 8192 bits, the range of these
    /// parameters.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&AwsLcBackend, alg)?;
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
        let parsed =
            ParsedPublicKey::new(params, key.to_spki_der()?).map_err(rejected("RSA public key"))?;
        Ok(RsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: parsed,
            len: rsa.bits().div_ceil(8),
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
        check_signature_len(self.len, signature)?;
        self.key
            .verify_sig(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// A new RSA key of `bits` bits: 2048 (the default), 3072, 4096 or 8192.
pub(crate) fn generate(bits: Option<usize>) -> Result<Jwk, KeyError> {
    let size = match bits.unwrap_or(2048) {
        2048 => KeySize::Rsa2048,
        3072 => KeySize::Rsa3072,
        4096 => KeySize::Rsa4096,
        8192 => KeySize::Rsa8192,
        other => {
            return Err(KeyError::Generation(format!(
                "aws-lc-rs generates RSA keys of 2048, 3072, 4096 or 8192 bits, not {other}"
            )));
        }
    };
    let pair = RsaKeyPair::generate(size).map_err(generation("an RSA key"))?;
    let pkcs8: Pkcs8V1Der<'static> = pair.as_der().map_err(generation("an RSA key's PKCS#8"))?;
    Jwk::from_pkcs8_der(pkcs8.as_ref())
}
