//! [`Fips204Verifier`]: a prepared public key.

use crate::signer::Fips204Signer;
use fips204::traits::{SerDes, Verifier as _};
use fips204::{ml_dsa_44, ml_dsa_65, ml_dsa_87};
use std::fmt;
use tessera_codec::backend::{check_public_matches, check_signature_len, not_for};
use tessera_codec::{AkpKey, Algorithm, Jwk, KeyError, KeyUse, SignatureError, Verifier, b64};

/// The name [`Fips204Verifier::from_jwk`] gives when refusing an algorithm.
const TY: &str = "tessera-fips204 Fips204Verifier";

/// The decoded public key of one parameter set (`t1` in NTT form, and `tr`).
#[derive(Clone)]
enum Key {
    L44(Box<ml_dsa_44::PublicKey>),
    L65(Box<ml_dsa_65::PublicKey>),
    L87(Box<ml_dsa_87::PublicKey>),
}

/// A prepared ML-DSA public key; verifies signatures made with an empty context string.
#[derive(Clone)]
pub struct Fips204Verifier {
    alg: Algorithm,
    kid: Option<String>,
    key: Key,
    public: Vec<u8>,
}

impl fmt::Debug for Fips204Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.public;
        // The first bytes of `pub` (its seed rho) identify the key; the whole is kilobytes.
        let head = p.get(..16).unwrap_or(p);
        f.debug_struct("Fips204Verifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("pub", &format_args!("{}...", b64::encode(head)))
            .finish()
    }
}

fn length(alg: Algorithm, len: usize) -> KeyError {
    KeyError::Invalid(format!(
        "{alg} public key is {len} bytes, expected {}",
        alg.ml_dsa_sizes().map_or(0, |s| s.public_key)
    ))
}

/// Decodes `bytes` as a public key of module `$m`, boxed into `Key::$v`.
macro_rules! decode {
    ($m:ident, $v:ident, $alg:expr, $bytes:expr) => {{
        let arr: [u8; $m::PK_LEN] = $bytes.try_into().map_err(|_| length($alg, $bytes.len()))?;
        let pk = $m::PublicKey::try_from_bytes(arr)
            .map_err(|e| KeyError::Invalid(format!("{} public key: {e}", $alg)))?;
        Key::$v(Box::new(pk))
    }};
}

/// Verifies with module `$m`'s key `$k`; a signature of another length is simply invalid.
macro_rules! check {
    ($m:ident, $k:expr, $input:expr, $sig:expr) => {{
        match <[u8; $m::SIG_LEN]>::try_from($sig) {
            Ok(sig) => $k.verify($input, &sig, &[]),
            Err(_) => false,
        }
    }};
}

impl Fips204Verifier {
    /// Decodes an encoded public key (the JWK `pub`) for `alg`, which must be ML-DSA-44, -65
    /// or -87 ([`KeyError::Unsupported`] otherwise); other lengths are [`KeyError::Invalid`].
    pub fn new(alg: Algorithm, public_key: &[u8]) -> Result<Self, KeyError> {
        let key = match alg {
            Algorithm::MlDsa44 => decode!(ml_dsa_44, L44, alg, public_key),
            Algorithm::MlDsa65 => decode!(ml_dsa_65, L65, alg, public_key),
            Algorithm::MlDsa87 => decode!(ml_dsa_87, L87, alg, public_key),
            _ => return Err(not_for(TY, alg)),
        };
        Ok(Fips204Verifier {
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
        if alg.ml_dsa_sizes().is_none() {
            return Err(not_for(TY, alg));
        }
        let akp = key.akp_for(alg, KeyUse::Verify)?;
        let public = public_bytes(akp)?;
        Ok(Fips204Verifier::new(alg, &public)?.with_kid_opt(key.kid.clone()))
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
            let derived = Fips204Signer::new(akp.alg, seed.expose())?.public_key();
            check_public_matches(&akp.public, &derived)?;
            Ok(derived)
        }
    }
}

impl Verifier for Fips204Verifier {
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
        let ok = match &self.key {
            Key::L44(k) => check!(ml_dsa_44, k, signing_input, signature),
            Key::L65(k) => check!(ml_dsa_65, k, signing_input, signature),
            Key::L87(k) => check!(ml_dsa_87, k, signing_input, signature),
        };
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}
