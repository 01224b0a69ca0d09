//! [`Fips204Signer`]: a prepared (expanded) private key. The constructors from JWKs, the setters
//! and the `Signer` impl are in `tessera-mldsa/src/shared.rs`.

use crate::shared::{not_ml_dsa, seed_array};
use fips204::traits::{KeyGen, SerDes, Signer as _};
use fips204::{ml_dsa_44, ml_dsa_65, ml_dsa_87};
use tessera_codec::{Algorithm, KeyError, SignError};
use zeroize::Zeroizing;

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
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
    key: Key,
    pub(crate) public: Vec<u8>,
    pub(crate) hedged: bool,
}

impl Fips204Signer {
    /// Expands a 32-byte seed (the JWK `priv`) for `alg`, which must be ML-DSA-44, -65 or -87
    /// ([`KeyError::Unsupported`] otherwise).
    pub fn new(alg: Algorithm, seed: &[u8]) -> Result<Self, KeyError> {
        let seed = seed_array(alg, seed)?;
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
            _ => return Err(not_ml_dsa(true, alg)),
        };
        Ok(Fips204Signer {
            alg,
            kid: None,
            key,
            public,
            hedged: false,
        })
    }

    /// Signs `signing_input`, appending the signature to `out`.
    pub(crate) fn sign_into(
        &self,
        signing_input: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), SignError> {
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
