//! [`EcdsaVerifier`]: a prepared public key for one ECDSA algorithm.

use crate::curves::{Curve, VerifyingInner};
use std::fmt;
use tessera_codec::backend::check_signature_len;
use tessera_codec::{
    Algorithm, EcKey, Jwk, KeyError, KeyMaterial, KeyUse, SignatureError, Verifier, b64,
};

/// The name [`EcdsaVerifier`]'s constructors give when refusing an algorithm.
const TY: &str = "tessera-ecdsa EcdsaVerifier";

/// A prepared ECDSA public key for one algorithm: verifies `R || S` signatures, low-S and
/// high-S alike (see the crate docs).
#[derive(Clone, PartialEq, Eq)]
pub struct EcdsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: VerifyingInner,
}

impl fmt::Debug for EcdsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, y) = self.key.coordinates();
        f.debug_struct("EcdsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("crv", &self.key.curve())
            .field("x", &b64::encode(&x))
            .field("y", &b64::encode(&y))
            .finish()
    }
}

impl EcdsaVerifier {
    /// Prepares the public point `(x, y)` (big-endian affine coordinates, each exactly the
    /// curve's field size) for `alg`, with the codec's rules for a JWK: a coordinate at or above
    /// the field prime is [`KeyRule::CoordinateRange`](tessera_codec::KeyRule::CoordinateRange),
    /// a point not on the curve [`KeyRule::NotOnCurve`](tessera_codec::KeyRule::NotOnCurve)
    /// (both [`KeyError::Rejected`]).
    pub fn new(alg: Algorithm, x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        let curve = Curve::of_alg(TY, alg)?;
        Ok(EcdsaVerifier {
            alg,
            kid: None,
            key: VerifyingInner::parse(curve, x, y)?,
        })
    }

    /// Prepares an EC JWK for `alg`, after the codec's checks ([`Jwk::ec_for`]). A private JWK
    /// is accepted and its public half used (derived from `d` and checked against `x`, `y` as
    /// [`EcdsaSigner::from_jwk`](crate::EcdsaSigner::from_jwk) does).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let curve = Curve::of_alg(TY, alg)?;
        let ec = key.ec_for(alg, KeyUse::Verify)?;
        Ok(EcdsaVerifier {
            alg,
            kid: key.kid.clone(),
            key: VerifyingInner::from_ec(curve, ec)?,
        })
    }

    pub(crate) fn from_parts(alg: Algorithm, kid: Option<String>, key: VerifyingInner) -> Self {
        EcdsaVerifier { alg, kid, key }
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The public key as a JWK, with `kid` and `alg` set.
    pub fn public_jwk(&self) -> Jwk {
        let (x, y) = self.key.coordinates();
        Jwk {
            kid: self.kid.clone(),
            alg: Some(self.alg.name().to_owned()),
            key_use: None,
            key_ops: None,
            material: KeyMaterial::Ec(EcKey {
                crv: self.key.curve(),
                x,
                y,
                d: None,
            }),
        }
    }
}

impl Verifier for EcdsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        2 * self.key.curve().field_len()
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.signature_len(), signature)?;
        self.key.verify(signing_input, signature)
    }
}
