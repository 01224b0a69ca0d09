//! [`Fips204Verifier`]: a prepared public key. The constructor from JWKs, the setter and the
//! `Verifier` impl are in `tessera-mldsa/src/shared.rs`.

use crate::shared::{not_ml_dsa, public_length};
use fips204::traits::{SerDes, Verifier as _};
use fips204::{ml_dsa_44, ml_dsa_65, ml_dsa_87};
use tessera_codec::{Algorithm, KeyError};

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
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
    key: Key,
    pub(crate) public: Vec<u8>,
}

/// Decodes `bytes` as a public key of module `$m`, boxed into `Key::$v`.
macro_rules! decode {
    ($m:ident, $v:ident, $alg:expr, $bytes:expr) => {{
        let arr: [u8; $m::PK_LEN] = $bytes
            .try_into()
            .map_err(|_| public_length($alg, $bytes.len()))?;
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
            _ => return Err(not_ml_dsa(false, alg)),
        };
        Ok(Fips204Verifier {
            alg,
            kid: None,
            key,
            public: public_key.to_vec(),
        })
    }

    /// Whether `signature` (of the parameter set's length) is valid for `signing_input`.
    pub(crate) fn check(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match &self.key {
            Key::L44(k) => check!(ml_dsa_44, k, signing_input, signature),
            Key::L65(k) => check!(ml_dsa_65, k, signing_input, signature),
            Key::L87(k) => check!(ml_dsa_87, k, signing_input, signature),
        }
    }
}
