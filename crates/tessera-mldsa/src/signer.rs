//! [`MlDsaSigner`]: a prepared (expanded) private key.

use crate::verifier::MlDsaVerifier;
use ml_dsa::{ExpandedSigningKey, MlDsa44, MlDsa65, MlDsa87, Seed};
use std::fmt;
use tessera_codec::backend::{check_public_matches, not_for};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyUse, ML_DSA_SEED_LEN, SignError, Signer};

/// The name [`MlDsaSigner::from_jwk`] gives when refusing an algorithm.
const TY: &str = "tessera-mldsa MlDsaSigner";

/// The expanded private key of one parameter set, boxed: the expanded keys are 20-40 KiB.
#[derive(Clone)]
enum Key {
    L44(Box<ExpandedSigningKey<MlDsa44>>),
    L65(Box<ExpandedSigningKey<MlDsa65>>),
    L87(Box<ExpandedSigningKey<MlDsa87>>),
}

/// Runs `$body` with `$k` bound to the expanded key, whatever its parameter set.
macro_rules! with_key {
    ($key:expr, $k:ident => $body:expr) => {
        match $key {
            Key::L44($k) => $body,
            Key::L65($k) => $body,
            Key::L87($k) => $body,
        }
    };
}

/// A prepared ML-DSA private key; signs with an empty context string, deterministically
/// unless made [`hedged`](MlDsaSigner::hedged) (see the crate docs).
#[derive(Clone)]
pub struct MlDsaSigner {
    alg: Algorithm,
    kid: Option<String>,
    key: Key,
    public: Vec<u8>,
    hedged: bool,
}

impl fmt::Debug for MlDsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the seed or the expanded key: the algorithm, kid and mode only.
        f.debug_struct("MlDsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("hedged", &self.hedged)
            .finish_non_exhaustive()
    }
}

impl MlDsaSigner {
    /// Expands a 32-byte seed (the JWK `priv`) for `alg`, which must be ML-DSA-44, -65 or -87
    /// ([`KeyError::Unsupported`] otherwise).
    pub fn new(alg: Algorithm, seed: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; ML_DSA_SEED_LEN] = seed.try_into().map_err(|_| {
            KeyError::Invalid(format!(
                "{alg} private key seed is {} bytes, expected {ML_DSA_SEED_LEN}",
                seed.len()
            ))
        })?;
        let seed = zeroize::Zeroizing::new(Seed::from(bytes));
        let key = match alg {
            Algorithm::MlDsa44 => Key::L44(Box::new(ExpandedSigningKey::from_seed(&seed))),
            Algorithm::MlDsa65 => Key::L65(Box::new(ExpandedSigningKey::from_seed(&seed))),
            Algorithm::MlDsa87 => Key::L87(Box::new(ExpandedSigningKey::from_seed(&seed))),
            _ => return Err(not_for(TY, alg)),
        };
        let public = with_key!(&key, k => k.verifying_key().encode().to_vec());
        Ok(MlDsaSigner {
            alg,
            kid: None,
            key,
            public,
            hedged: false,
        })
    }

    /// Prepares an AKP private JWK for `alg` after the codec's checks ([`Jwk::akp_for`]: the
    /// key is for `alg`, lengths hold). When the JWK carries `pub`, it must be the public key
    /// of the seed ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if alg.ml_dsa_sizes().is_none() {
            return Err(not_for(TY, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Sign)?;
        let seed = akp.seed.as_ref().ok_or(KeyError::NotPrivate)?;
        let mut signer = MlDsaSigner::new(alg, seed.expose())?;
        check_public_matches(&akp.public, &signer.public)?;
        signer.kid = key.kid.clone();
        Ok(signer)
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Switches to hedged signing (`hedged = true`): each signature mixes in 32 fresh bytes
    /// from the operating system's generator (FIPS 204 Algorithm 2 with a random `rnd`).
    pub fn hedged(mut self, hedged: bool) -> Self {
        self.hedged = hedged;
        self
    }

    /// Whether this signer is hedged.
    pub fn is_hedged(&self) -> bool {
        self.hedged
    }

    /// The encoded public key (the JWK `pub`).
    pub fn public_key(&self) -> Vec<u8> {
        self.public.clone()
    }

    /// A verifier for this key's public half, with the same `kid`.
    pub fn verifier(&self) -> Result<MlDsaVerifier, KeyError> {
        Ok(MlDsaVerifier::new(self.alg, &self.public)?.with_kid_opt(self.kid.clone()))
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
        // Both calls fail only for a context over 255 bytes (ours is empty), a failing
        // generator, or a rejection-sampling loop that never ends (probability below 2^-200).
        let failed = |_| SignError("ML-DSA signing failed".into());
        if self.hedged {
            let mut rng = getrandom::SysRng;
            with_key!(&self.key, k => {
                let sig = k.sign_randomized(signing_input, &[], &mut rng).map_err(failed)?;
                out.extend_from_slice(&sig.encode());
            });
        } else {
            with_key!(&self.key, k => {
                let sig = k.sign_deterministic(signing_input, &[]).map_err(failed)?;
                out.extend_from_slice(&sig.encode());
            });
        }
        Ok(())
    }
}
