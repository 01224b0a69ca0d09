//! ES256, ES384, ES512 (RFC 7518 §3.4) and ES256K (RFC 8812 §3.2) for tessera, on RustCrypto's
//! `p256`, `p384`, `p521` and `k256` (through `ecdsa` 0.17).
//!
//! | Algorithm | Curve     | Hash    | Signature `R \|\| S` |
//! |-----------|-----------|---------|----------------------|
//! | ES256     | P-256     | SHA-256 | 64 bytes             |
//! | ES384     | P-384     | SHA-384 | 96 bytes             |
//! | ES512     | P-521     | SHA-512 | 132 bytes            |
//! | ES256K    | secp256k1 | SHA-256 | 64 bytes             |
//!
//! # Keys
//!
//! Keys are parsed and checked once, when an [`EcdsaSigner`] or [`EcdsaVerifier`] is made, with
//! the rules and errors every tessera backend shares ([`KeyError::Rejected`] with the
//! [`KeyRule`] broken):
//!
//! - a public point's coordinates must be below the field prime ([`KeyRule::CoordinateRange`])
//!   and the point on the curve ([`KeyRule::NotOnCurve`]; the identity has no affine
//!   coordinates and is refused too);
//! - a private scalar `d` must be in `[1, n - 1]`, `n` the group order
//!   ([`KeyRule::ScalarRange`]);
//! - a private JWK that also carries `x` and `y` must carry the point `d·G`
//!   ([`KeyRule::PublicMismatch`]);
//! - a private key without its public point (a SEC1 or PKCS#8 key without `publicKey`, read with
//!   [`Jwk::from_pem`]) signs as usual; [`EcdsaBackend::public_key`] derives the missing `x`, `y`.
//!
//! The codec's [`Jwk::ec_for`] runs first, so a key on another curve is [`KeyError::WrongCurve`];
//! the constructors from raw bytes ([`EcdsaSigner::new`], [`EcdsaVerifier::new`]) apply the same
//! rules through [`tessera_codec::backend::rules`]. Coordinates or a scalar of the wrong length
//! are [`KeyError::Invalid`].
//!
//! # Signatures
//!
//! Only the JWS form is produced and accepted: `R || S`, each the curve's field size, big-endian
//! (RFC 7518 §3.4). Any other length, an ASN.1 DER signature included, is
//! [`SignatureError::Length`]. `r` and `s` must be in `[1, n - 1]`, checked before any curve
//! arithmetic, so the all-zero "psychic signature" (CVE-2022-21449) and `r` or `s` equal to or
//! above `n` are [`SignatureError::Invalid`]. Parsing cannot panic on any input.
//!
//! Signing is deterministic (RFC 6979 nonces from the key and the message hash): it needs no
//! random numbers, and the same key and input always give the same signature.
//!
//! # Low-S policy
//!
//! An ECDSA signature `(r, s)` has a twin `(r, n - s)` that verifies as well; "low-S" rules
//! (BIP 62/146) pick the one with `s <= n / 2`.
//!
//! - **Signing** produces what the library produces. For P-256, P-384 and P-521 `s` is *not*
//!   normalized, so about half the signatures are high-S (as are RFC 6979's own P-256 examples).
//!   For secp256k1, `k256` normalizes: ES256K signatures from this backend are always low-S.
//! - **Verification accepts both low-S and high-S on all four curves.** RFC 7518 and RFC 8812
//!   do not require low-S, general-purpose ECDSA libraries (OpenSSL, the Java JCA, ...) do not
//!   normalize, and JWT does not rely on signatures being non-malleable. `k256`'s verifier refuses
//!   high-S, so for ES256K this backend normalizes `s` before verifying, which checks exactly the
//!   same equation.
//!
//! Consequence: anyone holding a valid token can produce a second valid token with a different
//! signature for the same header and payload. Never use the token string or its signature as a
//! unique identifier (for replay detection use the `jti` claim).
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, KeySpec, Signer, SignatureError, Verifier};
//! use tessera_ecdsa::{EcdsaBackend, EcdsaVerifier};
//!
//! let key = EcdsaBackend.generate(KeySpec::new(Algorithm::ES256)).unwrap();
//! let signer = EcdsaBackend.signer(&key, Algorithm::ES256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! assert_eq!(sig.len(), 64);
//!
//! let public = EcdsaBackend.public_key(&key).unwrap();
//! let verifier = EcdsaVerifier::from_jwk(&public, Algorithm::ES256).unwrap();
//! assert_eq!(verifier.verify(b"header.payload", &sig), Ok(()));
//! assert_eq!(verifier.verify(b"header.payloaD", &sig), Err(SignatureError::Invalid));
//! ```
//!
//! [`KeyRule`]: tessera_codec::KeyRule
//! [`KeyRule::CoordinateRange`]: tessera_codec::KeyRule::CoordinateRange
//! [`KeyRule::NotOnCurve`]: tessera_codec::KeyRule::NotOnCurve
//! [`KeyRule::ScalarRange`]: tessera_codec::KeyRule::ScalarRange
//! [`KeyRule::PublicMismatch`]: tessera_codec::KeyRule::PublicMismatch
//! [`SignatureError::Length`]: tessera_codec::SignatureError::Length
//! [`SignatureError::Invalid`]: tessera_codec::SignatureError::Invalid

#![forbid(unsafe_code)]

mod curves;
mod signer;
mod verifier;

#[cfg(test)]
mod tests;

pub use signer::EcdsaSigner;
pub use verifier::EcdsaVerifier;

use curves::{Curve, VerifyingInner};
use tessera_codec::backend::ensure_supported;
use tessera_codec::{
    Algorithm, Backend, EcKey, Jwk, KeyError, KeyMaterial, KeySpec, Library, Signer, Verifier,
};

/// The backend's name, as [`Backend::name`] gives it.
const NAME: &str = "tessera-ecdsa";

const ALGORITHMS: &[Algorithm] = &[
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::ES256K,
];

/// The RustCrypto ECDSA backend: ES256, ES384, ES512 and ES256K.
#[derive(Clone, Copy, Debug, Default)]
pub struct EcdsaBackend;

impl Backend for EcdsaBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "RustCrypto p256/p384/p521/k256 + ecdsa",
            version: "0.14 + 0.17",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(EcdsaSigner::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(EcdsaVerifier::from_jwk(key, alg)?))
    }

    /// A new private key on the algorithm's curve, with complete `x`, `y`, `d` and `alg` set.
    /// `spec.bits` is ignored: the curve fixes the size.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let ec = Curve::of_alg(NAME, spec.alg)?.generate()?;
        Ok(Jwk::new(KeyMaterial::Ec(ec)).with_alg(spec.alg))
    }

    /// The public JWK of an EC key. For a private key the point is derived from `d` (so a key
    /// read from a PEM without its public key gets `x` and `y`), and checked against `x`, `y`
    /// when those are present; a public key is checked to be on its curve. The codec's key
    /// rules apply as in [`Jwk::ec_for`], with the same errors. `kid`, `alg` and `use` are kept
    /// and `key_ops` filtered as [`Jwk::to_public`] does. Other key types get
    /// [`Jwk::to_public`].
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        let KeyMaterial::Ec(ec) = &key.material else {
            return key.to_public();
        };
        let curve = Curve::of_crv(ec.crv)?;
        let (x, y) = VerifyingInner::from_ec(curve, ec)?.coordinates();
        Jwk {
            kid: key.kid.clone(),
            alg: key.alg.clone(),
            key_use: key.key_use.clone(),
            key_ops: key.key_ops.clone(),
            material: KeyMaterial::Ec(EcKey {
                crv: ec.crv,
                x,
                y,
                d: None,
            }),
        }
        .to_public()
    }
}
