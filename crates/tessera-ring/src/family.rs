//! From an algorithm's family to its module: the signers, verifiers, generated keys and public
//! keys the backend hands out, each after [`ensure_supported`].
//!
//! Shared with `tessera-aws-lc`, which compiles this file by path (see `hmac.rs`).

use crate::{ecdsa, eddsa, hmac, rsa};
use tessera_codec::backend::{Family, KeySpec, Signer, Verifier, ensure_supported, not_for};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyMaterial, KeyUse};

/// A signer for `alg`.
pub(crate) fn signer(key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
    ensure_supported(&crate::BACKEND, alg)?;
    Ok(match alg.family() {
        Family::Hmac => Box::new(hmac::HmacKey::for_use(key, alg, KeyUse::Sign)?),
        Family::RsaPkcs1 | Family::RsaPss => Box::new(rsa::RsaSigner::from_jwk(key, alg)?),
        Family::Ecdsa => Box::new(ecdsa::EcdsaSigner::from_jwk(key, alg)?),
        Family::EdDsa => Box::new(eddsa::Ed25519Signer::from_jwk(key, alg)?),
        _ => return Err(not_for(crate::NAME, alg)),
    })
}

/// A verifier for `alg`.
pub(crate) fn verifier(key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
    ensure_supported(&crate::BACKEND, alg)?;
    Ok(match alg.family() {
        Family::Hmac => Box::new(hmac::HmacKey::for_use(key, alg, KeyUse::Verify)?),
        Family::RsaPkcs1 | Family::RsaPss => Box::new(rsa::RsaVerifier::from_jwk(key, alg)?),
        Family::Ecdsa => Box::new(ecdsa::EcdsaVerifier::from_jwk(key, alg)?),
        Family::EdDsa => Box::new(eddsa::Ed25519Verifier::from_jwk(key, alg)?),
        _ => return Err(not_for(crate::NAME, alg)),
    })
}

/// A new key for `spec`, with `alg` set.
pub(crate) fn generate(spec: KeySpec) -> Result<Jwk, KeyError> {
    let alg = spec.alg;
    ensure_supported(&crate::BACKEND, alg)?;
    let jwk = match alg.family() {
        Family::Hmac => hmac::generate(alg, spec.bits)?,
        Family::RsaPkcs1 | Family::RsaPss => rsa::generate(spec.bits)?,
        Family::Ecdsa => ecdsa::generate(alg)?,
        Family::EdDsa => eddsa::generate()?,
        _ => return Err(not_for(crate::NAME, alg)),
    };
    Ok(jwk.with_alg(alg))
}

/// The public JWK: of a private EC or Ed25519 key through its module (which checks the
/// public members against `d`), of any other key its public members as given.
pub(crate) fn public_key(key: &Jwk) -> Result<Jwk, KeyError> {
    match &key.material {
        KeyMaterial::Okp(okp) if okp.d.is_some() => eddsa::public_key(key, okp),
        KeyMaterial::Ec(ec) if ec.d.is_some() => ecdsa::public_key(key, ec),
        _ => key.to_public(),
    }
}

/// The public JWK of `key` with its material replaced by `public` (derived by the library),
/// the other members kept.
pub(crate) fn public_jwk(key: &Jwk, public: KeyMaterial) -> Result<Jwk, KeyError> {
    Jwk {
        material: public,
        kid: key.kid.clone(),
        alg: key.alg.clone(),
        key_use: key.key_use.clone(),
        key_ops: key.key_ops.clone(),
    }
    .to_public()
}
