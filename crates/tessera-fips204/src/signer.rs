//! [`Fips204Signer`]: a prepared (expanded) private key.

use crate::verifier::Fips204Verifier;
use fips204::traits::{KeyGen, SerDes, Signer as _};
use fips204::{ml_dsa_44, ml_dsa_65, ml_dsa_87};
use std::fmt;
use tessera_codec::backend::{check_public_matches, not_for};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyUse, ML_DSA_SEED_LEN, SignError, Signer};
use zeroize::Zeroizing;

/// The name [`Fips204Signer::from_jwk`] gives when refusing an algorithm.
const TY: &str = "tessera-fips204 Fips204Signer";

/// The expanded private key of one parameter set, boxed (several KiB of precomputed NTTs).
#[derive(Clone)]
enum Key {
    L44(Box<ml_dsa_44::PrivateKey>),
    L65(Box<ml_dsa_65::PrivateKey>),
    L87(Box<ml_dsa_87::PrivateKey>),
}

/// A prepared ML-DSA private key; signs with an empty context string, deterministically unless
/// made [`hedged`](Fips204Signer::hedged).
#[derive(Clone)]
pub struct Fips204Signer {
    alg: Algorithm,
    kid: Option<String>,
    key: Key,
    public: Vec<u8>,
    hedged: bool,
}

impl fmt::Debug for Fips204Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the seed or the expanded key: the algorithm, kid and mode only.
        f.debug_struct("Fips204Signer")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("hedged", &self.hedged)
            .finish_non_exhaustive()
    }
}

impl Fips204Signer {
    /// Expands a 32-byte seed (the JWK `priv`) for `alg`, which must be ML-DSA-44, -65 or -87
    /// ([`KeyError::Unsupported`] otherwise).
    pub fn new(alg: Algorithm, seed: &[u8]) -> Result<Self, KeyError> {
        let seed: Zeroizing<[u8; ML_DSA_SEED_LEN]> =
            Zeroizing::new(seed.try_into().map_err(|_| {
                KeyError::Invalid(format!(
                    "{alg} private key seed is {} bytes, expected {ML_DSA_SEED_LEN}",
                    seed.len()
                ))
            })?);
        let (key, public) = match alg {
            Algorithm::MlDsa44 => {
                let (pk, sk) = ml_dsa_44::KG::keygen_from_seed(&seed);
                (Key::L44(Box::new(sk)), pk.into_bytes().to_vec())
            }
            Algorithm::MlDsa65 => {
                let (pk, sk) = ml_dsa_65::KG::keygen_from_seed(&seed);
                (Key::L65(Box::new(sk)), pk.into_bytes().to_vec())
            }
            Algorithm::MlDsa87 => {
                let (pk, sk) = ml_dsa_87::KG::keygen_from_seed(&seed);
                (Key::L87(Box::new(sk)), pk.into_bytes().to_vec())
            }
            _ => return Err(not_for(TY, alg)),
        };
        Ok(Fips204Signer {
            alg,
            kid: None,
            key,
            public,
            hedged: false,
        })
    }

    /// Prepares an AKP private JWK for `alg` after the codec's checks ([`Jwk::akp_for`]). When
    /// the JWK carries `pub`, it must be the public key of the seed
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if alg.ml_dsa_sizes().is_none() {
            return Err(not_for(TY, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Sign)?;
        let seed = akp.seed.as_ref().ok_or(KeyError::NotPrivate)?;
        let mut signer = Fips204Signer::new(alg, seed.expose())?;
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
    pub fn verifier(&self) -> Result<Fips204Verifier, KeyError> {
        Ok(Fips204Verifier::new(self.alg, &self.public)?.with_kid_opt(self.kid.clone()))
    }
}

impl Signer for Fips204Signer {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let mut rnd = Zeroizing::new([0u8; 32]);
        if self.hedged {
            getrandom::fill(rnd.as_mut()).map_err(|e| SignError(e.to_string()))?;
        }
        // Fails only for a context over 255 bytes (ours is empty) or a rejection-sampling loop
        // that gives up (probability below 2^-200).
        let failed = |e: &str| SignError(format!("ML-DSA signing failed: {e}"));
        match &self.key {
            Key::L44(k) => out.extend_from_slice(
                &k.try_sign_with_seed(&rnd, signing_input, &[])
                    .map_err(failed)?,
            ),
            Key::L65(k) => out.extend_from_slice(
                &k.try_sign_with_seed(&rnd, signing_input, &[])
                    .map_err(failed)?,
            ),
            Key::L87(k) => out.extend_from_slice(
                &k.try_sign_with_seed(&rnd, signing_input, &[])
                    .map_err(failed)?,
            ),
        }
        Ok(())
    }
}
