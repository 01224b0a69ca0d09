//! Algorithm Key Pair keys (`kty: AKP`, RFC 9964 §3) for ML-DSA: the JWK members, the length
//! rules, and the X.509 / PKCS#8 forms of RFC 9881 (SPKI without parameters holding the raw
//! public key; a PKCS#8 `privateKey` holding the 32-byte seed as `[0] IMPLICIT OCTET STRING`).

use crate::alg::{Algorithm, Family, ML_DSA_SEED_LEN};
use crate::error::{KeyError, clip};
use crate::jwk::Secret;
use der::asn1::ObjectIdentifier;
use der::{Decode, Reader, SliceReader, Tag, TagNumber};

/// An Algorithm Key Pair (`kty: AKP`, RFC 9964 §3): a key bound to one algorithm, here one of
/// the ML-DSA parameter sets. `alg` is part of the key, not an optional constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AkpKey {
    /// The algorithm (JWK member `alg`, required for AKP): `ML-DSA-44`, `-65` or `-87`.
    pub alg: Algorithm,
    /// The encoded public key (`pub`), [`crate::MlDsaSizes::public_key`] bytes; empty when
    /// the key source (a PKCS#8 seed without its public key) gave only the seed.
    pub public: Vec<u8>,
    /// The 32-byte seed `ξ` (`priv`), for private keys.
    pub seed: Option<Secret>,
}

/// The RFC 9881 §2 OIDs `id-ml-dsa-44`, `-65`, `-87` (NIST CSOR sigAlgs 17, 18, 19).
const ML_DSA_44: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.17");
const ML_DSA_65: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.18");
const ML_DSA_87: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.19");

/// The OID of an ML-DSA algorithm.
pub(crate) fn oid(alg: Algorithm) -> Option<ObjectIdentifier> {
    match alg {
        Algorithm::MlDsa44 => Some(ML_DSA_44),
        Algorithm::MlDsa65 => Some(ML_DSA_65),
        Algorithm::MlDsa87 => Some(ML_DSA_87),
        _ => None,
    }
}

/// The ML-DSA algorithm of an OID.
pub(crate) fn alg_of_oid(oid: ObjectIdentifier) -> Option<Algorithm> {
    match oid {
        ML_DSA_44 => Some(Algorithm::MlDsa44),
        ML_DSA_65 => Some(Algorithm::MlDsa65),
        ML_DSA_87 => Some(Algorithm::MlDsa87),
        _ => None,
    }
}

impl AkpKey {
    /// Checks the RFC 9964 / FIPS 204 lengths: `alg` is an ML-DSA algorithm, `public` is its
    /// public-key length (or empty beside a seed), the seed is 32 bytes.
    pub fn check(&self) -> Result<(), KeyError> {
        let sizes = self
            .alg
            .ml_dsa_sizes()
            .ok_or_else(|| KeyError::UnsupportedKey(format!("AKP key for {}", self.alg.name())))?;
        let empty_ok = self.seed.is_some() && self.public.is_empty();
        if self.public.len() != sizes.public_key && !empty_ok {
            return Err(length("pub", self.public.len(), self.alg, sizes.public_key));
        }
        if let Some(s) = &self.seed
            && s.len() != ML_DSA_SEED_LEN
        {
            return Err(length("priv", s.len(), self.alg, ML_DSA_SEED_LEN));
        }
        Ok(())
    }

    /// Reads the AKP members of a JWK: `alg` required and an ML-DSA name, `pub` required,
    /// `priv` optional; lengths checked.
    pub(crate) fn from_members(
        alg: Option<&str>,
        public: Vec<u8>,
        seed: Option<Vec<u8>>,
    ) -> Result<AkpKey, KeyError> {
        let name =
            alg.ok_or_else(|| KeyError::invalid("JWK member alg is missing (required for AKP)"))?;
        let alg = Algorithm::from_name(name)
            .filter(|a| a.family() == Family::MlDsa)
            .ok_or_else(|| KeyError::UnsupportedKey(format!("AKP key for {}", clip(name))))?;
        if public.is_empty() {
            return Err(length(
                "pub",
                0,
                alg,
                alg.ml_dsa_sizes().map_or(0, |s| s.public_key),
            ));
        }
        let key = AkpKey {
            alg,
            public,
            seed: seed.map(Secret::new),
        };
        key.check()?;
        Ok(key)
    }
}

fn length(member: &str, found: usize, alg: Algorithm, needed: usize) -> KeyError {
    KeyError::invalid(format!(
        "JWK member {member} is {found} bytes, {alg} needs {needed}"
    ))
}

/// The AKP material of an ML-DSA SPKI (RFC 9881 §4): parameters absent, the raw public key.
pub(crate) fn from_spki(alg: Algorithm, has_params: bool, key: &[u8]) -> Result<AkpKey, KeyError> {
    if has_params {
        return Err(KeyError::invalid(format!(
            "{alg} SPKI has parameters (RFC 9881 requires them absent)"
        )));
    }
    let k = AkpKey {
        alg,
        public: key.to_vec(),
        seed: None,
    };
    k.check().map_err(|_| spki_length(alg, key.len()))?;
    Ok(k)
}

fn spki_length(alg: Algorithm, len: usize) -> KeyError {
    KeyError::invalid(format!(
        "{alg} public key is {len} bytes, {} needed",
        alg.ml_dsa_sizes().map_or(0, |s| s.public_key)
    ))
}

/// The AKP material of an ML-DSA PKCS#8 key (RFC 9881 §6). `private` is the content of the
/// `privateKey` OCTET STRING, an `ML-DSA-PrivateKey` CHOICE: the seed form
/// `[0] IMPLICIT OCTET STRING (SIZE (32))` is read; `both` (seed and expanded key) gives its
/// seed, the expanded key being what the seed expands to; the expanded form alone is refused,
/// since JOSE keys are seeds (RFC 9964 §3).
pub(crate) fn from_pkcs8(
    alg: Algorithm,
    has_params: bool,
    private: &[u8],
    public: Option<&[u8]>,
) -> Result<AkpKey, KeyError> {
    if has_params {
        return Err(KeyError::invalid(format!(
            "{alg} PKCS#8 has parameters (RFC 9881 requires them absent)"
        )));
    }
    let seed = read_private(alg, private)?;
    let public = match public {
        Some(p) => {
            if Some(p.len()) != alg.ml_dsa_sizes().map(|s| s.public_key) {
                return Err(spki_length(alg, p.len()));
            }
            p.to_vec()
        }
        None => Vec::new(),
    };
    let k = AkpKey {
        alg,
        public,
        seed: Some(seed),
    };
    k.check()?;
    Ok(k)
}

const SEED_TAG: Tag = Tag::ContextSpecific {
    constructed: false,
    number: TagNumber(0),
};

fn read_private(alg: Algorithm, der: &[u8]) -> Result<Secret, KeyError> {
    let bad = |e: der::Error| KeyError::invalid(format!("{alg} private key: {e}"));
    let mut r = SliceReader::new(der).map_err(bad)?;
    let header = der::Header::peek(&r).map_err(bad)?;
    let seed = match header.tag() {
        SEED_TAG => {
            let h = der::Header::decode(&mut r).map_err(bad)?;
            r.read_slice(h.length()).map_err(bad)?
        }
        Tag::Sequence => {
            // both SEQUENCE { seed OCTET STRING (SIZE (32)), expandedKey OCTET STRING }
            let (seed, _expanded) = r
                .sequence(|s| {
                    let seed = <&der::asn1::OctetStringRef>::decode(s)?;
                    let expanded = <&der::asn1::OctetStringRef>::decode(s)?;
                    Ok((seed.as_bytes(), expanded.as_bytes()))
                })
                .map_err(bad)?;
            seed
        }
        Tag::OctetString => {
            return Err(KeyError::UnsupportedKey(format!(
                "{alg} private key in expanded form only (no seed)"
            )));
        }
        other => {
            return Err(KeyError::invalid(format!(
                "{alg} private key: unexpected {other}"
            )));
        }
    };
    r.finish().map_err(bad)?;
    if seed.len() != ML_DSA_SEED_LEN {
        return Err(KeyError::invalid(format!(
            "{alg} private key seed is {} bytes, {ML_DSA_SEED_LEN} needed",
            seed.len()
        )));
    }
    Ok(Secret::new(seed.to_vec()))
}

/// The `privateKey` content of the seed form of a checked key: `[0] IMPLICIT OCTET STRING
/// (SIZE (32))`, i.e. `80 20 || seed`.
pub(crate) fn seed_der(key: &AkpKey) -> Result<zeroize::Zeroizing<Vec<u8>>, KeyError> {
    key.check()?;
    let seed = key.seed.as_ref().ok_or(KeyError::NotPrivate)?;
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(2 + ML_DSA_SEED_LEN));
    // The check above made the seed 32 bytes: a one-byte DER length.
    out.extend_from_slice(&[0x80, 0x20]);
    out.extend_from_slice(seed.expose());
    Ok(out)
}
