//! [`MlDsaSigner`]: a prepared (expanded) private key. The constructors from JWKs, the setters
//! and the `Signer` impl are in `shared.rs`.

use crate::shared::{not_ml_dsa, seed_array};
use ml_dsa::{ExpandedSigningKey, MlDsa44, MlDsa65, MlDsa87, Seed};
use tessera_codec::{Algorithm, KeyError, SignError};

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
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
    key: Key,
    pub(crate) public: Vec<u8>,
    pub(crate) hedged: bool,
}

impl MlDsaSigner {
    /// Expands a 32-byte seed (the JWK `priv`) for `alg`, which must be ML-DSA-44, -65 or -87
    /// ([`KeyError::Unsupported`] otherwise).
    pub fn new(alg: Algorithm, seed: &[u8]) -> Result<Self, KeyError> {
        let bytes = seed_array(alg, seed)?;
        let seed = zeroize::Zeroizing::new(Seed::from(*bytes));
        let key = match alg {
            Algorithm::MlDsa44 => Key::L44(Box::new(ExpandedSigningKey::from_seed(&seed))),
            Algorithm::MlDsa65 => Key::L65(Box::new(ExpandedSigningKey::from_seed(&seed))),
            Algorithm::MlDsa87 => Key::L87(Box::new(ExpandedSigningKey::from_seed(&seed))),
            _ => return Err(not_ml_dsa(true, alg)),
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

    /// Signs `signing_input`, appending the signature to `out`.
    pub(crate) fn sign_into(
        &self,
        signing_input: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), SignError> {
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
