//! Every JWS algorithm for tessera on the system OpenSSL 3, through the `openssl` crate:
//! HS256/384/512 (RFC 7518 §3.2), RS256/384/512 (§3.3), PS256/384/512 (§3.5),
//! ES256/384/512 (§3.4), ES256K (RFC 8812 §3.2) and EdDSA with Ed25519 (RFC 8037 §3.1).
//!
//! One type per family and use: [`HmacKey`] (signs and verifies), [`RsaSigner`] /
//! [`RsaVerifier`], [`EcdsaSigner`] / [`EcdsaVerifier`], [`Ed25519Signer`] /
//! [`Ed25519Verifier`], each made by `from_jwk(key, alg)` (`HmacKey` also takes the use it is
//! made for). [`OpensslBackend`] builds them for the facade and the conformance suites.
//!
//! # Prepared keys
//!
//! A key is turned into OpenSSL's prepared form, a `PKey`, once, when a signer or verifier is
//! made: an HMAC `PKey` for the secret, an RSA key (with its CRT values when the key source
//! has them; OpenSSL signs with `d` alone, blinded, otherwise), an EC key holding `d` and its
//! point (plus the group order, to range-check signatures), or a raw Ed25519 key. Signing and
//! verifying only run OpenSSL's one-shot `EVP_DigestSign` / `EVP_DigestVerify` over the
//! signing input.
//!
//! # What is checked when a key is made
//!
//! Every constructor first takes the key through the codec's typed accessors
//! ([`Jwk::oct_for`](tessera_codec::Jwk::oct_for), `rsa_for`, `ec_for`, `okp_for`): key
//! type, curve, the JWK `alg`, `use`/`key_ops`, HMAC length, private material for signing, and
//! the key rules every backend shares ([`KeyRule`](tessera_codec::KeyRule)): RSA moduli from
//! 2048 to [`MAX_RSA_BITS`](tessera_codec::backend::MAX_RSA_BITS) bits and odd, public exponents odd and from 3 to 2^33 - 1, EC
//! coordinates below the field prime and `d` in `[1, n - 1]`, Ed25519 public keys canonical
//! and not of small order. OpenSSL then adds, with the same errors as every other backend:
//!
//! - an EC public point it refuses (not on the curve, or not of the group's order) is
//!   `Rejected(NotOnCurve)`;
//! - a signer, verifier or [`Backend::public_key`] made from a *private* EC or Ed25519 key
//!   derives the public key from `d` (`d * G`, or the Ed25519 seed's key) and compares it
//!   with the `x`/`y` given: `Rejected(PublicMismatch)` when they differ. Empty members (a
//!   PKCS#8 v1 Ed25519 key, a SEC1 key without `publicKey`) pass and the derived key is used;
//! - an RSA private key with primes must have `p * q = n`. (OpenSSL also checks each CRT
//!   result against the public key when it signs and falls back to `d` on a mismatch, so
//!   inconsistent CRT exponents cannot leak the factors through a faulty signature.)
//!
//! # What is checked when a token is verified
//!
//! - The signature length first, then, for ECDSA, `r` and `s` in `[1, n - 1]` before OpenSSL
//!   sees them. ECDSA signatures are the fixed-size `R || S` of RFC 7518 §3.4, converted to and
//!   from OpenSSL's DER `ECDSA_SIG`; a DER signature is refused by its length.
//! - HMAC tags are recomputed and compared in constant time (`CRYPTO_memcmp`).
//! - RSASSA-PSS uses MGF1 with the message hash and a salt as long as the hash, both ways.
//! - **Ed25519 points are decoded only here.** OpenSSL keeps a raw Ed25519 public key as its
//!   32 bytes and decompresses it when it verifies, so a 32-byte key that is canonical and not
//!   of small order but is no curve point at all builds an [`Ed25519Verifier`] that refuses
//!   every signature (`invalid signature`), where a backend that decodes at construction says
//!   `Rejected(NotOnCurve)`. Either way no token verifies under such a key.
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

mod ecdsa;
mod eddsa;
mod hmac;
mod ossl;
mod rsa;
#[cfg(test)]
mod tests;

pub use ecdsa::{EcdsaSigner, EcdsaVerifier};
pub use eddsa::{Ed25519Signer, Ed25519Verifier};
pub use hmac::HmacKey;
pub use rsa::{RsaSigner, RsaVerifier};

use tessera_codec::backend::{Family, ensure_supported, not_for};
use tessera_codec::{
    Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse, Library, Signer, Verifier,
};

/// The backend's name.
const NAME: &str = "tessera-openssl";

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

/// The OpenSSL 3 backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpensslBackend;

impl Backend for OpensslBackend {
    fn name(&self) -> &'static str {
        NAME
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
        ensure_supported(self, alg)?;
        Ok(match alg.family() {
            Family::Hmac => Box::new(HmacKey::for_use(key, alg, KeyUse::Sign)?),
            Family::RsaPkcs1 | Family::RsaPss => Box::new(RsaSigner::from_jwk(key, alg)?),
            Family::Ecdsa => Box::new(EcdsaSigner::from_jwk(key, alg)?),
            Family::EdDsa => Box::new(Ed25519Signer::from_jwk(key, alg)?),
            _ => return Err(not_for(NAME, alg)),
        })
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(match alg.family() {
            Family::Hmac => Box::new(HmacKey::for_use(key, alg, KeyUse::Verify)?),
            Family::RsaPkcs1 | Family::RsaPss => Box::new(RsaVerifier::from_jwk(key, alg)?),
            Family::Ecdsa => Box::new(EcdsaVerifier::from_jwk(key, alg)?),
            Family::EdDsa => Box::new(Ed25519Verifier::from_jwk(key, alg)?),
            _ => return Err(not_for(NAME, alg)),
        })
    }

    /// A new key with `alg` set: RSA of `bits` bits (default 2048, a whole number of bytes up
    /// to [`MAX_RSA_BITS`](tessera_codec::backend::MAX_RSA_BITS); larger is `Rejected(RsaModulusTooLarge)`, as no backend would
    /// accept the key; public exponent 65537), EC on the algorithm's curve, Ed25519, or a
    /// random HMAC secret of `bits` bits (default the hash output size, at most 8192).
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        let alg = spec.alg;
        ensure_supported(self, alg)?;
        let material = match alg.family() {
            Family::Hmac => hmac::generate(alg, spec.bits)?,
            Family::RsaPkcs1 | Family::RsaPss => rsa::generate(alg, spec.bits)?,
            Family::Ecdsa => ecdsa::generate(alg)?,
            Family::EdDsa => eddsa::generate()?,
            _ => return Err(not_for(NAME, alg)),
        };
        Ok(Jwk::new(material).with_alg(alg))
    }

    /// The public JWK. For a private EC or Ed25519 key the public key is derived from `d` and
    /// checked against the `x`/`y` given (`Rejected(PublicMismatch)`); missing ones are filled
    /// in. Other keys lose their private members ([`Jwk::to_public`]).
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        match &key.material {
            KeyMaterial::Ec(ec) => match &ec.d {
                Some(d) => ecdsa::public_jwk(key, ec, d),
                None => key.to_public(),
            },
            KeyMaterial::Okp(okp) => match &okp.d {
                Some(d) => eddsa::public_jwk(key, okp, d),
                None => key.to_public(),
            },
            _ => key.to_public(),
        }
    }
}
