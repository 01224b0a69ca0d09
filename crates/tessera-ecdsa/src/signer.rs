//! [`EcdsaSigner`]: a prepared private key for one ECDSA algorithm.

use crate::curves::{Curve, SigningInner};
use crate::verifier::EcdsaVerifier;
use std::fmt;
use tessera_codec::{Algorithm, Jwk, KeyError, KeyUse, SignError, Signer};

/// The name [`EcdsaSigner`]'s constructors give when refusing an algorithm.
const TY: &str = "tessera-ecdsa EcdsaSigner";

/// A prepared ECDSA private key for one algorithm: signs with deterministic (RFC 6979) nonces
/// and writes `R || S`.
#[derive(Clone)]
pub struct EcdsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    key: SigningInner,
}

impl fmt::Debug for EcdsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the private scalar: the algorithm, kid and curve only.
        f.debug_struct("EcdsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("crv", &self.key.curve())
            .finish_non_exhaustive()
    }
}

impl EcdsaSigner {
    /// Prepares the private scalar `d` (big-endian, exactly the curve's field size: 32, 48, 66
    /// or 32 bytes) for `alg`; the public key is derived from it. `d` outside `[1, n - 1]` is
    /// [`KeyError::Rejected`] with [`KeyRule::ScalarRange`](tessera_codec::KeyRule::ScalarRange),
    /// as the codec refuses it in a JWK; an algorithm other than ES256, ES384, ES512 and ES256K
    /// is [`KeyError::Unsupported`].
    pub fn new(alg: Algorithm, d: &[u8]) -> Result<Self, KeyError> {
        let curve = Curve::of_alg(TY, alg)?;
        Ok(EcdsaSigner {
            alg,
            kid: None,
            key: SigningInner::parse(curve, d)?,
        })
    }

    /// Prepares an EC private JWK for `alg`, after the codec's checks ([`Jwk::ec_for`]). When
    /// the JWK carries `x` and `y`, they must be the public point of `d`
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch) otherwise); when
    /// they are empty (a key read from a PEM without its public key) they are derived.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        let curve = Curve::of_alg(TY, alg)?;
        let ec = key.ec_for(alg, KeyUse::Sign)?;
        let d = ec.d.as_ref().ok_or(KeyError::NotPrivate)?;
        Ok(EcdsaSigner {
            alg,
            kid: key.kid.clone(),
            key: SigningInner::with_public(curve, d.expose(), &ec.x, &ec.y)?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// A verifier for this key's public half, with the same algorithm and `kid`.
    pub fn verifier(&self) -> EcdsaVerifier {
        EcdsaVerifier::from_parts(self.alg, self.kid.clone(), self.key.verifying())
    }
}

impl Signer for EcdsaSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        self.key.sign(signing_input, out)
    }
}
