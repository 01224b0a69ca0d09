//! EdDSA with Ed25519 (RFC 8037 §3.1): a raw Ed25519 `PKey` run through one-shot
//! `EVP_DigestSign` / `EVP_DigestVerify` (no separate digest; RFC 8032 §5.1 hashes inside).

use crate::OpensslBackend;
use crate::ossl::{generation, invalid, sign_err, with_material};
use openssl::error::ErrorStack;
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::sign::{Signer as EvpSigner, Verifier as EvpVerifier};
use std::fmt;
use tessera_codec::backend::{
    Family, check_public_matches, check_signature_len, ensure_family, ensure_supported, rules,
};
use tessera_codec::{
    Algorithm, Jwk, KeyError, KeyMaterial, KeyUse, OkpKey, Secret, SignError, SignatureError,
    Signer, Verifier,
};

/// Length of an Ed25519 signature.
const SIGNATURE_LEN: usize = 64;

/// A prepared Ed25519 private key (an OpenSSL raw Ed25519 `PKey`) that signs EdDSA.
pub struct Ed25519Signer {
    kid: Option<String>,
    key: PKey<Private>,
}

/// A prepared Ed25519 public key (an OpenSSL raw Ed25519 `PKey`) that verifies EdDSA. OpenSSL
/// decodes the point only when it verifies: a 32-byte key that is not a curve point is
/// accepted here and refuses every signature (see the crate docs).
pub struct Ed25519Verifier {
    kid: Option<String>,
    key: PKey<Public>,
}

impl fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the seed: the kid only.
        f.debug_struct("Ed25519Signer")
            .field("alg", &Algorithm::EdDSA)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Ed25519Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519Verifier")
            .field("alg", &Algorithm::EdDSA)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn ensure_eddsa(ty: &'static str, alg: Algorithm) -> Result<(), KeyError> {
    ensure_family(ty, alg, Family::EdDsa)?;
    ensure_supported(&OpensslBackend, alg)
}

impl Ed25519Signer {
    /// Prepares a private Ed25519 JWK (`kty: OKP`) for EdDSA, after the codec's checks
    /// ([`Jwk::okp_for`]: binding, `x` canonical and not of small order). The public key is
    /// derived from the seed `d`; when the JWK carries `x` it must be that key
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)). The JWK's `kid`
    /// is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_eddsa("tessera-openssl Ed25519Signer", alg)?;
        let okp = key.okp_for(alg, KeyUse::Sign)?;
        let d = okp.d.as_ref().ok_or(KeyError::NotPrivate)?;
        let (key_priv, _) = private_pkey(okp, d)?;
        Ok(Ed25519Signer {
            kid: key.kid.clone(),
            key: key_priv,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

impl Ed25519Verifier {
    /// Prepares an Ed25519 JWK for EdDSA, after the codec's checks ([`Jwk::okp_for`]). A
    /// private JWK's public key is derived from `d` and checked against `x`, as
    /// [`Ed25519Signer::from_jwk`] does. The JWK's `kid` is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_eddsa("tessera-openssl Ed25519Verifier", alg)?;
        let okp = key.okp_for(alg, KeyUse::Verify)?;
        let public = match &okp.d {
            Some(d) => private_pkey(okp, d)?.1,
            None if okp.x.is_empty() => {
                return Err(KeyError::Invalid("Ed25519 public key without x".into()));
            }
            None => okp.x.clone(),
        };
        Ok(Ed25519Verifier {
            kid: key.kid.clone(),
            key: PKey::public_key_from_raw_bytes(&public, Id::ED25519)
                .map_err(invalid("Ed25519 public key"))?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    fn check(&self, input: &[u8], signature: &[u8]) -> Result<bool, ErrorStack> {
        EvpVerifier::new_without_digest(&self.key)?.verify_oneshot(signature, input)
    }
}

/// The private key of seed `d` and its public key, checked against the `x` the key came with
/// (an empty one passes: the derived key is the key's).
fn private_pkey(okp: &OkpKey, d: &Secret) -> Result<(PKey<Private>, Vec<u8>), KeyError> {
    let key = PKey::private_key_from_raw_bytes(d.expose(), Id::ED25519)
        .map_err(invalid("Ed25519 private key"))?;
    let public = key
        .raw_public_key()
        .map_err(invalid("Ed25519 private key"))?;
    check_public_matches(&okp.x, &public)?;
    Ok((key, public))
}

impl Signer for Ed25519Signer {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let sig = EvpSigner::new_without_digest(&self.key)
            .and_then(|mut s| s.sign_oneshot_to_vec(signing_input))
            .map_err(sign_err)?;
        out.extend_from_slice(&sig);
        Ok(())
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
        SIGNATURE_LEN
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(SIGNATURE_LEN, signature)?;
        if self.check(signing_input, signature).unwrap_or(false) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// The public JWK of a private Ed25519 key: derived from `d`, checked against the `x` given
/// after the codec's rule for it, as in every constructor.
pub(crate) fn public_jwk(key: &Jwk, okp: &OkpKey, d: &Secret) -> Result<Jwk, KeyError> {
    if !okp.x.is_empty() {
        rules::check_ed25519_public(&okp.x)?;
    }
    let (_, x) = private_pkey(okp, d)?;
    with_material(key, KeyMaterial::Okp(OkpKey { x, d: None })).to_public()
}

/// A new Ed25519 key.
pub(crate) fn generate() -> Result<KeyMaterial, KeyError> {
    let key = PKey::generate_ed25519().map_err(generation("Ed25519 key"))?;
    let d = key.raw_private_key().map_err(generation("Ed25519 key"))?;
    let x = key.raw_public_key().map_err(generation("Ed25519 key"))?;
    Ok(KeyMaterial::Okp(OkpKey {
        x,
        d: Some(Secret::new(d)),
    }))
}
