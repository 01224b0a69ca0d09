//! [`MlDsaVerifier`]: a prepared public key. The constructor from JWKs, the setter and the
//! `Verifier` impl are in `shared.rs`.

use crate::shared::{not_ml_dsa, public_length};
use ml_dsa::{EncodedSignature, EncodedVerifyingKey, MlDsa44, MlDsa65, MlDsa87, Signature};
use ml_dsa::{MlDsaParams, VerifyingKey};
use tessera_codec::{Algorithm, KeyError};

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
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
    key: Key,
    pub(crate) public: Vec<u8>,
}

fn decode<P: MlDsaParams>(alg: Algorithm, public: &[u8]) -> Result<Box<VerifyingKey<P>>, KeyError> {
    let enc =
        EncodedVerifyingKey::<P>::try_from(public).map_err(|_| public_length(alg, public.len()))?;
    Ok(Box::new(VerifyingKey::decode(&enc)))
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
            _ => return Err(not_ml_dsa(false, alg)),
        };
        Ok(MlDsaVerifier {
            alg,
            kid: None,
            key,
            public: public_key.to_vec(),
        })
    }

    /// Whether `signature` (of the parameter set's length) is valid for `signing_input`.
    pub(crate) fn check(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match &self.key {
            Key::L44(k) => check(k, signing_input, signature),
            Key::L65(k) => check(k, signing_input, signature),
            Key::L87(k) => check(k, signing_input, signature),
        }
    }
}
