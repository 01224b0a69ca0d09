//! [`MlDsaVerifier`]: a prepared public key.

use crate::signer::MlDsaSigner;
use ml_dsa::{EncodedSignature, EncodedVerifyingKey, MlDsa44, MlDsa65, MlDsa87, Signature};
use ml_dsa::{MlDsaParams, VerifyingKey};
use std::fmt;
use tessera_codec::backend::{check_public_matches, check_signature_len, not_for};
use tessera_codec::{
    AkpKey, Algorithm, Jwk, KeyError, KeyUse, MlDsaSizes, SignatureError, Verifier, b64,
};

/// The name [`MlDsaVerifier::from_jwk`] gives when refusing an algorithm.
const TY: &str = "tessera-mldsa MlDsaVerifier";

/// The decoded public key of one parameter set, with its expanded matrix `Â`.
#[derive(Clone)]
enum Key {
    L44(Box<VerifyingKey<MlDsa44>>),
    L65(Box<VerifyingKey<MlDsa65>>),
    L87(Box<VerifyingKey<MlDsa87>>),
}

/// A prepared ML-DSA public key; verifies signatures made with an empty context string.
#[derive(Clone)]
pub struct MlDsaVerifier {
    alg: Algorithm,
    kid: Option<String>,
    key: Key,
    public: Vec<u8>,
}

impl fmt::Debug for MlDsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.public;
        // The first bytes of `pub` (its seed rho) identify the key; the whole is kilobytes.
        let head = p.get(..16).unwrap_or(p);
        f.debug_struct("MlDsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("pub", &format_args!("{}...", b64::encode(head)))
            .finish()
    }
}

fn decode<P: MlDsaParams>(alg: Algorithm, public: &[u8]) -> Result<Box<VerifyingKey<P>>, KeyError> {
    let enc = EncodedVerifyingKey::<P>::try_from(public).map_err(|_| length(alg, public.len()))?;
    Ok(Box::new(VerifyingKey::decode(&enc)))
}

fn length(alg: Algorithm, len: usize) -> KeyError {
    KeyError::Invalid(format!(
        "{alg} public key is {len} bytes, expected {}",
        sizes(alg).map_or(0, |s| s.public_key)
    ))
}

fn sizes(alg: Algorithm) -> Option<MlDsaSizes> {
    alg.ml_dsa_sizes()
}

fn check<P: MlDsaParams>(key: &VerifyingKey<P>, input: &[u8], signature: &[u8]) -> bool {
    let Ok(enc) = EncodedSignature::<P>::try_from(signature) else {
        return false;
    };
    // sigDecode refuses a malformed hint and ||z|| out of range (FIPS 204 Algorithm 27).
    Signature::<P>::decode(&enc).is_some_and(|sig| key.verify_with_context(input, &[], &sig))
}

impl MlDsaVerifier {
    /// Decodes an encoded public key (the JWK `pub`) for `alg`, which must be ML-DSA-44, -65
    /// or -87 ([`KeyError::Unsupported`] otherwise). Every byte string of the right length is
    /// a public key (FIPS 204 Algorithm 23); other lengths are [`KeyError::Invalid`].
    pub fn new(alg: Algorithm, public_key: &[u8]) -> Result<Self, KeyError> {
        let key = match alg {
            Algorithm::MlDsa44 => Key::L44(decode(alg, public_key)?),
            Algorithm::MlDsa65 => Key::L65(decode(alg, public_key)?),
            Algorithm::MlDsa87 => Key::L87(decode(alg, public_key)?),
            _ => return Err(not_for(TY, alg)),
        };
        Ok(MlDsaVerifier {
            alg,
            kid: None,
            key,
            public: public_key.to_vec(),
        })
    }

    /// Prepares an AKP JWK for `alg` after the codec's checks ([`Jwk::akp_for`]). A private JWK
    /// is accepted: its public half is used, derived from the seed when `pub` is absent and
    /// checked against it otherwise
    /// ([`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch)).
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        if sizes(alg).is_none() {
            return Err(not_for(TY, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Verify)?;
        let public = public_bytes(akp)?;
        Ok(MlDsaVerifier::new(alg, &public)?.with_kid_opt(key.kid.clone()))
    }

    /// Sets the `kid`.
    pub fn with_kid(self, kid: impl Into<String>) -> Self {
        self.with_kid_opt(Some(kid.into()))
    }

    pub(crate) fn with_kid_opt(mut self, kid: Option<String>) -> Self {
        self.kid = kid;
        self
    }

    /// The encoded public key (the JWK `pub`).
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }
}

/// The public key of an AKP key: `pub` as given for a public key; for a private key, the one
/// its seed expands to, which a non-empty `pub` must equal.
pub(crate) fn public_bytes(akp: &AkpKey) -> Result<Vec<u8>, KeyError> {
    match &akp.seed {
        None => Ok(akp.public.clone()),
        Some(seed) => {
            let derived = MlDsaSigner::new(akp.alg, seed.expose())?.public_key();
            check_public_matches(&akp.public, &derived)?;
            Ok(derived)
        }
    }
}

impl Verifier for MlDsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        sizes(self.alg).map_or(0, |s| s.signature)
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.signature_len(), signature)?;
        let ok = match &self.key {
            Key::L44(k) => check(k, signing_input, signature),
            Key::L65(k) => check(k, signing_input, signature),
            Key::L87(k) => check(k, signing_input, signature),
        };
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}
