//! ML-DSA-44/65/87 (FIPS 204, RFC 9964) on aws-lc-rs: `PqdsaKeyPair` and `ParsedPublicKey` with
//! `signature::ML_DSA_44/65/87`, aws-lc-rs's stable API since 1.18.
//!
//! Signing is **hedged** only: AWS-LC's `EVP_PKEY_sign` draws FIPS 204's `rnd` from its own
//! generator and aws-lc-rs has no deterministic variant, so this backend's signatures differ
//! from one call to the next and from `tessera-mldsa`'s and `tessera-fips204`'s (deterministic
//! by default). They verify everywhere; the conformance suites cross-check this backend by
//! verification and by the public key it derives from a seed, never byte for byte.

use aws_lc_rs::signature::{
    self, KeyPair as _, ParsedPublicKey, PqdsaKeyPair, PqdsaSigningAlgorithm,
    PqdsaVerificationAlgorithm,
};
use std::fmt;
use tessera_codec::backend::{check_public_matches, check_signature_len, not_for};
use tessera_codec::{
    AkpKey, Algorithm, Jwk, KeyError, KeyMaterial, KeyUse, ML_DSA_SEED_LEN, Secret, SignError,
    SignatureError, Signer, Verifier,
};
use zeroize::Zeroizing;

use crate::support::{generation, rejected};

const SIGNER: &str = type_name!("MlDsaSigner");
const VERIFIER: &str = type_name!("MlDsaVerifier");

/// The aws-lc-rs algorithms of an ML-DSA parameter set.
fn algorithms(
    alg: Algorithm,
) -> Option<(
    &'static PqdsaSigningAlgorithm,
    &'static PqdsaVerificationAlgorithm,
)> {
    match alg {
        Algorithm::MlDsa44 => Some((&signature::ML_DSA_44_SIGNING, &signature::ML_DSA_44)),
        Algorithm::MlDsa65 => Some((&signature::ML_DSA_65_SIGNING, &signature::ML_DSA_65)),
        Algorithm::MlDsa87 => Some((&signature::ML_DSA_87_SIGNING, &signature::ML_DSA_87)),
        _ => None,
    }
}

/// An ML-DSA private key as an AWS-LC `EVP_PKEY` expanded from its seed; signs hedged, with an
/// empty context.
pub struct MlDsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    pair: PqdsaKeyPair,
}

impl fmt::Debug for MlDsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlDsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl MlDsaSigner {
    /// Expands a 32-byte seed (the JWK `priv`) for `alg`.
    pub fn new(alg: Algorithm, seed: &[u8]) -> Result<Self, KeyError> {
        let (signing, _) = algorithms(alg).ok_or_else(|| not_for(SIGNER, alg))?;
        if seed.len() != ML_DSA_SEED_LEN {
            return Err(KeyError::Invalid(format!(
                "{alg} private key seed is {} bytes, expected {ML_DSA_SEED_LEN}",
                seed.len()
            )));
        }
        let pair = PqdsaKeyPair::from_seed(signing, seed).map_err(rejected("ML-DSA seed"))?;
        Ok(MlDsaSigner {
            alg,
            kid: None,
            pair,
        })
    }

    /// Prepares an AKP private JWK for `alg` after the codec's checks ([`Jwk::akp_for`]); a
    /// `pub` given beside the seed must be the seed's public key (`KeyRule::PublicMismatch`).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if algorithms(alg).is_none() {
            return Err(not_for(SIGNER, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Sign)?;
        let seed = akp.seed.as_ref().ok_or(KeyError::NotPrivate)?;
        let mut signer = MlDsaSigner::new(alg, seed.expose())?;
        check_public_matches(&akp.public, signer.public_key())?;
        signer.kid = key.kid.clone();
        Ok(signer)
    }

    /// The encoded public key (the JWK `pub`).
    pub fn public_key(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }
}

impl Signer for MlDsaSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let len = self.alg.fixed_signature_len().unwrap_or(0);
        let start = out.len();
        out.resize(start + len, 0);
        let tail = out.get_mut(start..).unwrap_or_default();
        match self.pair.sign(signing_input, tail) {
            Ok(n) if n == len => Ok(()),
            _ => {
                out.truncate(start);
                Err(SignError("aws-lc-rs ML-DSA signing failed".into()))
            }
        }
    }
}

/// An ML-DSA public key parsed once into an AWS-LC `EVP_PKEY`.
pub struct MlDsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: ParsedPublicKey,
}

impl fmt::Debug for MlDsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlDsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl MlDsaVerifier {
    /// Parses an encoded public key (the JWK `pub`) for `alg`; lengths other than the
    /// parameter set's are [`KeyError::Invalid`] (as in every other backend).
    pub fn new(alg: Algorithm, public_key: &[u8]) -> Result<Self, KeyError> {
        let (_, verification) = algorithms(alg).ok_or_else(|| not_for(VERIFIER, alg))?;
        let expected = alg.ml_dsa_sizes().map_or(0, |s| s.public_key);
        if public_key.len() != expected {
            return Err(KeyError::Invalid(format!(
                "{alg} public key is {} bytes, expected {expected}",
                public_key.len()
            )));
        }
        let key = ParsedPublicKey::new(verification, public_key)
            .map_err(rejected("ML-DSA public key"))?;
        Ok(MlDsaVerifier {
            alg,
            kid: None,
            key,
        })
    }

    /// Prepares an AKP JWK for `alg` after the codec's checks ([`Jwk::akp_for`]); a private
    /// JWK's public half is derived from its seed (and checked against `pub` when given).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if algorithms(alg).is_none() {
            return Err(not_for(VERIFIER, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Verify)?;
        let public = public_bytes(akp)?;
        let mut verifier = MlDsaVerifier::new(alg, &public)?;
        verifier.kid = key.kid.clone();
        Ok(verifier)
    }
}

impl Verifier for MlDsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        self.alg.fixed_signature_len().unwrap_or(0)
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.signature_len(), signature)?;
        self.key
            .verify_sig(signing_input, signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// The public key of an AKP key: `pub` for a public key; for a private one, the key its seed
/// expands to, which a non-empty `pub` must equal.
fn public_bytes(akp: &AkpKey) -> Result<Vec<u8>, KeyError> {
    match &akp.seed {
        None => Ok(akp.public.clone()),
        Some(seed) => {
            let signer = MlDsaSigner::new(akp.alg, seed.expose())?;
            check_public_matches(&akp.public, signer.public_key())?;
            Ok(signer.public_key().to_vec())
        }
    }
}

/// `Backend::public_key` for an AKP key: `pub` derived from the seed (and checked against a
/// given `pub`, [`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
pub(crate) fn public_jwk(key: &Jwk, akp: &AkpKey) -> Result<Jwk, KeyError> {
    let public = KeyMaterial::Akp(AkpKey {
        alg: akp.alg,
        public: public_bytes(akp)?,
        seed: None,
    });
    crate::family::public_jwk(key, public)
}

/// `Backend::generate` for ML-DSA: a random seed from AWS-LC's generator, as an AKP JWK with
/// `alg`, `pub` and `priv` (the seed, which is what RFC 9964 keys hold).
pub(crate) fn generate(alg: Algorithm) -> Result<Jwk, KeyError> {
    let mut seed = Zeroizing::new([0u8; ML_DSA_SEED_LEN]);
    aws_lc_rs::rand::fill(seed.as_mut()).map_err(generation("an ML-DSA seed"))?;
    let public = MlDsaSigner::new(alg, seed.as_ref())?.public_key().to_vec();
    Ok(Jwk::new(KeyMaterial::Akp(AkpKey {
        alg,
        public,
        seed: Some(Secret::new(seed.to_vec())),
    })))
}
