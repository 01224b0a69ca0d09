//! What tessera-mldsa and tessera-fips204 have in common: the backend contract, the JWK
//! constructors, the `kid` and mode setters, the `Signer`/`Verifier` impls and the public key of
//! an AKP key. Compiled into both crates with `#[path]` (as the shared unit tests are), against
//! the names each crate gives in its `own` module; neither crate depends on the other. What
//! differs, each crate's `signer.rs` and `verifier.rs` hold: the library's key types, the seed
//! expansion (`new`), signing (`sign_into`), public-key decoding (`new`) and verification
//! (`check`).

use crate::own::{
    LIBRARY, NAME, SIGNER, SIGNER_TYPE, TheBackend, TheSigner, TheVerifier, VERIFIER, VERIFIER_TYPE,
};
use std::fmt;
use tessera_codec::backend::{
    check_public_matches, check_signature_len, ensure_supported, not_for,
};
use tessera_codec::{
    AkpKey, Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse, Library,
    ML_DSA_SEED_LEN, Secret, SignError, SignatureError, Signer, Verifier, b64,
};
use zeroize::Zeroizing;

const ALGORITHMS: &[Algorithm] = &[Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

impl Backend for TheBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        LIBRARY
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(TheSigner::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        ensure_supported(self, alg)?;
        Ok(Box::new(TheVerifier::from_jwk(key, alg)?))
    }

    /// A random 32-byte seed from the operating system's generator, as an AKP JWK with `alg`,
    /// `pub` and `priv`. `spec.bits` is ignored.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let mut seed = Zeroizing::new([0u8; ML_DSA_SEED_LEN]);
        getrandom::fill(seed.as_mut()).map_err(|e| KeyError::Generation(e.to_string()))?;
        let public = TheSigner::new(spec.alg, seed.as_ref())?.public_key();
        Ok(Jwk::new(KeyMaterial::Akp(AkpKey {
            alg: spec.alg,
            public,
            seed: Some(Secret::new(seed.to_vec())),
        })))
    }

    /// The public JWK; for an AKP private key, `pub` is derived from the seed (a PKCS#8 seed
    /// has no public key beside it) and, when the key has `pub`, checked against it
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)). Other key types
    /// are passed to [`Jwk::to_public`].
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        let KeyMaterial::Akp(akp) = &key.material else {
            return key.to_public();
        };
        let complete = Jwk {
            kid: key.kid.clone(),
            alg: key.alg.clone(),
            key_use: key.key_use.clone(),
            key_ops: key.key_ops.clone(),
            material: KeyMaterial::Akp(AkpKey {
                alg: akp.alg,
                public: public_bytes(akp)?,
                seed: None,
            }),
        };
        complete.to_public()
    }
}

/// The public key of an AKP key: `pub` as given for a public key; for a private key, the one
/// its seed expands to, which a non-empty `pub` must equal.
fn public_bytes(akp: &AkpKey) -> Result<Vec<u8>, KeyError> {
    match &akp.seed {
        None => Ok(akp.public.clone()),
        Some(seed) => {
            let derived = TheSigner::new(akp.alg, seed.expose())?.public_key();
            check_public_matches(&akp.public, &derived)?;
            Ok(derived)
        }
    }
}

/// The seed of a raw constructor as an array: [`KeyError::Invalid`] for another length.
pub(crate) fn seed_array(
    alg: Algorithm,
    seed: &[u8],
) -> Result<Zeroizing<[u8; ML_DSA_SEED_LEN]>, KeyError> {
    let bytes: [u8; ML_DSA_SEED_LEN] = seed.try_into().map_err(|_| {
        KeyError::Invalid(format!(
            "{alg} private key seed is {} bytes, expected {ML_DSA_SEED_LEN}",
            seed.len()
        ))
    })?;
    Ok(Zeroizing::new(bytes))
}

/// The error of a raw public-key constructor given `len` bytes for `alg`.
pub(crate) fn public_length(alg: Algorithm, len: usize) -> KeyError {
    KeyError::Invalid(format!(
        "{alg} public key is {len} bytes, expected {}",
        alg.ml_dsa_sizes().map_or(0, |s| s.public_key)
    ))
}

/// The error of a raw constructor asked for an algorithm other than ML-DSA.
pub(crate) fn not_ml_dsa(signer: bool, alg: Algorithm) -> KeyError {
    not_for(if signer { SIGNER_TYPE } else { VERIFIER_TYPE }, alg)
}

impl fmt::Debug for TheSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the seed or the expanded key: the algorithm, kid and mode only.
        f.debug_struct(SIGNER)
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("hedged", &self.hedged)
            .finish_non_exhaustive()
    }
}

impl TheSigner {
    /// Prepares an AKP private JWK for `alg` after the codec's checks ([`Jwk::akp_for`]: the
    /// key is for `alg`, lengths hold). When the JWK carries `pub`, it must be the public key
    /// of the seed ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if alg.ml_dsa_sizes().is_none() {
            return Err(not_ml_dsa(true, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Sign)?;
        let seed = akp.seed.as_ref().ok_or(KeyError::NotPrivate)?;
        let mut signer = TheSigner::new(alg, seed.expose())?;
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
    pub fn verifier(&self) -> Result<TheVerifier, KeyError> {
        let mut v = TheVerifier::new(self.alg, &self.public)?;
        v.kid = self.kid.clone();
        Ok(v)
    }
}

impl Signer for TheSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        self.sign_into(signing_input, out)
    }
}

impl fmt::Debug for TheVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.public;
        // The first bytes of `pub` (its seed rho) identify the key; the whole is kilobytes.
        let head = p.get(..16).unwrap_or(p);
        f.debug_struct(VERIFIER)
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("pub", &format_args!("{}...", b64::encode(head)))
            .finish()
    }
}

impl TheVerifier {
    /// Prepares an AKP JWK for `alg` after the codec's checks ([`Jwk::akp_for`]). A private JWK
    /// is accepted: its public half is used, derived from the seed when `pub` is absent and
    /// checked against it otherwise
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if alg.ml_dsa_sizes().is_none() {
            return Err(not_ml_dsa(false, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Verify)?;
        let public = public_bytes(akp)?;
        let mut v = TheVerifier::new(alg, &public)?;
        v.kid = key.kid.clone();
        Ok(v)
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The encoded public key (the JWK `pub`).
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }
}

impl Verifier for TheVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        self.alg.fixed_signature_len().unwrap_or(0)
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.signature_len(), signature)?;
        if self.check(signing_input, signature) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}
