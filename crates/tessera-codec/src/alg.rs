//! JOSE signature algorithms (RFC 7518 §3, RFC 8037 §3.1, RFC 8812 §3.2, RFC 9964 §2).

use core::fmt;
use core::str::FromStr;

/// A JWS signature algorithm.
///
/// `none` is deliberately not a variant: an unsecured JWS can never be produced or accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt length 32.
    PS256,
    /// RSASSA-PSS with SHA-384, MGF1 with SHA-384, salt length 48.
    PS384,
    /// RSASSA-PSS with SHA-512, MGF1 with SHA-512, salt length 64.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// ECDSA on secp256k1 with SHA-256 (RFC 8812).
    ES256K,
    /// EdDSA; tessera supports the Ed25519 curve (RFC 8037).
    EdDSA,
    /// ML-DSA-44 (FIPS 204, RFC 9964), security category 2.
    MlDsa44,
    /// ML-DSA-65 (FIPS 204, RFC 9964), security category 3.
    MlDsa65,
    /// ML-DSA-87 (FIPS 204, RFC 9964), security category 5.
    MlDsa87,
}

/// The kind of key and primitive an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// HMAC over a shared secret (`kty: oct`).
    Hmac,
    /// RSASSA-PKCS1-v1_5 (`kty: RSA`).
    RsaPkcs1,
    /// RSASSA-PSS (`kty: RSA`).
    RsaPss,
    /// ECDSA (`kty: EC`).
    Ecdsa,
    /// EdDSA (`kty: OKP`).
    EdDsa,
    /// ML-DSA, the module-lattice signature of FIPS 204 (`kty: AKP`, RFC 9964).
    MlDsa,
}

/// The hash function an algorithm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// Output length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

/// An elliptic curve for ECDSA keys (`kty: EC`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// secp256k1 (RFC 8812).
    Secp256k1,
}

impl EcCurve {
    /// The JWK `crv` name.
    pub const fn name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
            EcCurve::Secp256k1 => "secp256k1",
        }
    }

    /// Parses a JWK `crv` name (case-sensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "P-256" => EcCurve::P256,
            "P-384" => EcCurve::P384,
            "P-521" => EcCurve::P521,
            "secp256k1" => EcCurve::Secp256k1,
            _ => return None,
        })
    }

    /// Size in bytes of a coordinate or a scalar on this curve.
    pub const fn field_len(self) -> usize {
        match self {
            EcCurve::P256 | EcCurve::Secp256k1 => 32,
            EcCurve::P384 => 48,
            EcCurve::P521 => 66,
        }
    }

    /// The order `n` of the curve's base point, big-endian, [`EcCurve::field_len`] bytes.
    pub const fn order(self) -> &'static [u8] {
        match self {
            EcCurve::P256 => &P256_ORDER,
            EcCurve::P384 => &P384_ORDER,
            EcCurve::P521 => &P521_ORDER,
            EcCurve::Secp256k1 => &SECP256K1_ORDER,
        }
    }

    /// The prime `p` of the curve's field, big-endian, [`EcCurve::field_len`] bytes. A JWK
    /// coordinate must be below it (NIST SP 800-56A Rev. 3 §5.6.2.3.4 step 2).
    pub const fn field_prime(self) -> &'static [u8] {
        match self {
            EcCurve::P256 => &P256_PRIME,
            EcCurve::P384 => &P384_PRIME,
            EcCurve::P521 => &P521_PRIME,
            EcCurve::Secp256k1 => &SECP256K1_PRIME,
        }
    }

    /// The one JWS algorithm that uses this curve.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            EcCurve::P256 => Algorithm::ES256,
            EcCurve::P384 => Algorithm::ES384,
            EcCurve::P521 => Algorithm::ES512,
            EcCurve::Secp256k1 => Algorithm::ES256K,
        }
    }
}

const P256_ORDER: [u8; 32] =
    hex32(*b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const SECP256K1_ORDER: [u8; 32] =
    hex32(*b"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const P384_ORDER: [u8; 48] = hex48(*b"ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
const P521_ORDER: [u8; 66] = hex66(*b"01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");

const P256_PRIME: [u8; 32] =
    hex32(*b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const SECP256K1_PRIME: [u8; 32] =
    hex32(*b"fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
const P384_PRIME: [u8; 48] = hex48(*b"fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff");
const P521_PRIME: [u8; 66] = hex66(*b"01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => 0,
    }
}

macro_rules! hex_fn {
    ($name:ident, $n:literal) => {
        const fn $name(h: [u8; 2 * $n]) -> [u8; $n] {
            let mut out = [0u8; $n];
            let mut i = 0;
            while i < $n {
                out[i] = nibble(h[2 * i]) << 4 | nibble(h[2 * i + 1]);
                i += 1;
            }
            out
        }
    };
}
hex_fn!(hex32, 32);
hex_fn!(hex48, 48);
hex_fn!(hex66, 66);

/// Rewrites a fixed-size ECDSA signature `R || S` on `curve` to its low-S twin `R || n - S` when
/// `S > n / 2`; returns whether it changed. Both verify; some verifiers (the `k256` crate, hence
/// jwt-simple and Bitcoin-derived code) accept only low S, so ES256K signers normalise.
pub fn ecdsa_low_s(curve: EcCurve, signature: &mut [u8]) -> bool {
    let n = curve.order();
    let len = n.len();
    if signature.len() != 2 * len {
        return false;
    }
    let s = &mut signature[len..];
    // half = n >> 1 (n is odd), compared big-endian.
    let mut high = false;
    let mut carry = 0u8;
    for (i, &ni) in n.iter().enumerate() {
        let half = (ni >> 1) | carry;
        carry = (ni & 1) << 7;
        if s[i] != half {
            high = s[i] > half;
            break;
        }
    }
    if !high {
        return false;
    }
    let mut borrow = 0i16;
    for i in (0..len).rev() {
        let d = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        s[i] = (d + 256 * borrow) as u8;
    }
    true
}

impl fmt::Display for EcCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Algorithm {
    /// Every algorithm tessera knows, in the order of RFC 7518's table followed by RFC 8812,
    /// RFC 8037 and RFC 9964.
    pub const ALL: [Algorithm; 17] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::ES256K,
        Algorithm::EdDSA,
        Algorithm::MlDsa44,
        Algorithm::MlDsa65,
        Algorithm::MlDsa87,
    ];

    /// The JOSE `alg` name.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::ES256K => "ES256K",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::MlDsa44 => "ML-DSA-44",
            Algorithm::MlDsa65 => "ML-DSA-65",
            Algorithm::MlDsa87 => "ML-DSA-87",
        }
    }

    /// Parses a JOSE `alg` name. Names are case-sensitive (RFC 7515 §4.1.1); `none` is not an algorithm.
    pub fn from_name(name: &str) -> Option<Self> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The family of primitive and key this algorithm needs.
    pub const fn family(self) -> Family {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Family::Hmac,
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => Family::RsaPkcs1,
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => Family::RsaPss,
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 | Algorithm::ES256K => {
                Family::Ecdsa
            }
            Algorithm::EdDSA => Family::EdDsa,
            Algorithm::MlDsa44 | Algorithm::MlDsa65 | Algorithm::MlDsa87 => Family::MlDsa,
        }
    }

    /// The hash function; EdDSA has none of its own choosing and reports SHA-512 (used inside
    /// Ed25519). ML-DSA hashes with SHAKE256 inside the primitive, which tessera never computes
    /// itself, and reports SHA-512 likewise; no backend reads it for EdDSA or ML-DSA.
    pub const fn hash(self) -> Hash {
        match self {
            Algorithm::HS256
            | Algorithm::RS256
            | Algorithm::PS256
            | Algorithm::ES256
            | Algorithm::ES256K => Hash::Sha256,
            Algorithm::HS384 | Algorithm::RS384 | Algorithm::PS384 | Algorithm::ES384 => {
                Hash::Sha384
            }
            Algorithm::HS512
            | Algorithm::RS512
            | Algorithm::PS512
            | Algorithm::ES512
            | Algorithm::EdDSA
            | Algorithm::MlDsa44
            | Algorithm::MlDsa65
            | Algorithm::MlDsa87 => Hash::Sha512,
        }
    }

    /// The curve of an ECDSA algorithm, `None` for the others.
    pub const fn curve(self) -> Option<EcCurve> {
        match self {
            Algorithm::ES256 => Some(EcCurve::P256),
            Algorithm::ES384 => Some(EcCurve::P384),
            Algorithm::ES512 => Some(EcCurve::P521),
            Algorithm::ES256K => Some(EcCurve::Secp256k1),
            _ => None,
        }
    }

    /// The JWK `kty` this algorithm's keys have.
    pub const fn key_type(self) -> &'static str {
        match self.family() {
            Family::Hmac => "oct",
            Family::RsaPkcs1 | Family::RsaPss => "RSA",
            Family::Ecdsa => "EC",
            Family::EdDsa => "OKP",
            Family::MlDsa => "AKP",
        }
    }

    /// Length in bytes of a signature when it does not depend on the key
    /// (HMAC, ECDSA, EdDSA, ML-DSA); `None` for RSA, whose signatures are as long as the modulus.
    pub const fn fixed_signature_len(self) -> Option<usize> {
        match self.family() {
            Family::Hmac => Some(self.hash().output_len()),
            Family::Ecdsa => match self.curve() {
                Some(c) => Some(2 * c.field_len()),
                None => None,
            },
            Family::EdDsa => Some(64),
            Family::MlDsa => match self.ml_dsa_sizes() {
                Some(s) => Some(s.signature),
                None => None,
            },
            Family::RsaPkcs1 | Family::RsaPss => None,
        }
    }

    /// Whether the same key and input always give the same signature (HMAC, RSASSA-PKCS1-v1_5,
    /// EdDSA, and ML-DSA as tessera signs it by default: FIPS 204's deterministic variant, whose
    /// randomness `rnd` is 32 zero bytes; a hedged ML-DSA signer is opt-in).
    pub const fn is_deterministic(self) -> bool {
        matches!(
            self.family(),
            Family::Hmac | Family::RsaPkcs1 | Family::EdDsa | Family::MlDsa
        )
    }

    /// The sizes of an ML-DSA parameter set (FIPS 204 Table 2), `None` for other algorithms.
    pub const fn ml_dsa_sizes(self) -> Option<MlDsaSizes> {
        Some(match self {
            Algorithm::MlDsa44 => MlDsaSizes {
                public_key: 1312,
                signature: 2420,
            },
            Algorithm::MlDsa65 => MlDsaSizes {
                public_key: 1952,
                signature: 3309,
            },
            Algorithm::MlDsa87 => MlDsaSizes {
                public_key: 2592,
                signature: 4627,
            },
            _ => return None,
        })
    }
}

/// The sizes of one ML-DSA parameter set (FIPS 204 Table 2). Every private key is the same
/// 32-byte seed `ξ` (RFC 9964 §2, RFC 9881 §6), [`ML_DSA_SEED_LEN`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MlDsaSizes {
    /// Length in bytes of an encoded public key.
    pub public_key: usize,
    /// Length in bytes of a signature.
    pub signature: usize,
}

/// Length in bytes of an ML-DSA private key seed (`ξ`, FIPS 204 Algorithm 1), the one private
/// form JOSE (RFC 9964 `priv`) and tessera's PKCS#8 export use.
pub const ML_DSA_SEED_LEN: usize = 32;

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an algorithm name that tessera does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown algorithm {0:?}")]
pub struct UnknownAlgorithm(pub String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s).ok_or_else(|| UnknownAlgorithm(crate::error::clip(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
            assert_eq!(alg.to_string().parse::<Algorithm>(), Ok(alg));
        }
    }

    #[test]
    fn none_and_wrong_case_are_not_algorithms() {
        for name in ["none", "None", "NONE", "hs256", "es256k", "EDDSA", ""] {
            assert_eq!(Algorithm::from_name(name), None, "{name}");
        }
        assert_eq!(
            "none".parse::<Algorithm>(),
            Err(UnknownAlgorithm("none".into()))
        );
    }

    #[test]
    fn low_s_normalisation() {
        let c = EcCurve::Secp256k1;
        let n = c.order();
        // s = n - 1 is high; its twin is 1.
        let mut sig = [vec![7u8; 32], n.to_vec()].concat();
        sig[63] -= 1;
        assert!(ecdsa_low_s(c, &mut sig));
        assert_eq!(&sig[32..], &[[0u8; 31].as_slice(), &[1]].concat()[..]);
        // s = 1 is low and stays.
        assert!(!ecdsa_low_s(c, &mut sig));
        // s = (n - 1) / 2 is the largest low value; (n + 1) / 2 the smallest high one.
        let mut half = [0u8; 32];
        let mut carry = 0;
        for (h, &b) in half.iter_mut().zip(n) {
            *h = (b >> 1) | carry;
            carry = (b & 1) << 7;
        }
        let mut sig = [vec![1u8; 32], half.to_vec()].concat();
        assert!(!ecdsa_low_s(c, &mut sig));
        sig[63] += 1;
        assert!(ecdsa_low_s(c, &mut sig));
        assert!(!ecdsa_low_s(c, &mut [0u8; 10]));
    }

    #[test]
    fn orders_have_the_field_length() {
        for c in [
            EcCurve::P256,
            EcCurve::P384,
            EcCurve::P521,
            EcCurve::Secp256k1,
        ] {
            assert_eq!(c.order().len(), c.field_len());
            assert_ne!(c.order()[0], 0, "{c}");
        }
    }

    #[test]
    fn signature_lengths() {
        assert_eq!(Algorithm::HS384.fixed_signature_len(), Some(48));
        assert_eq!(Algorithm::ES512.fixed_signature_len(), Some(132));
        assert_eq!(Algorithm::ES256K.fixed_signature_len(), Some(64));
        assert_eq!(Algorithm::EdDSA.fixed_signature_len(), Some(64));
        assert_eq!(Algorithm::PS256.fixed_signature_len(), None);
        assert_eq!(Algorithm::MlDsa44.fixed_signature_len(), Some(2420));
        assert_eq!(Algorithm::MlDsa65.fixed_signature_len(), Some(3309));
        assert_eq!(Algorithm::MlDsa87.fixed_signature_len(), Some(4627));
        assert_eq!(Algorithm::EdDSA.ml_dsa_sizes(), None);
    }

    #[test]
    fn ml_dsa_names_and_family() {
        assert_eq!(Algorithm::from_name("ML-DSA-65"), Some(Algorithm::MlDsa65));
        assert_eq!(Algorithm::from_name("ml-dsa-65"), None);
        assert_eq!(Algorithm::from_name("ML-DSA-128"), None);
        assert_eq!(Algorithm::MlDsa87.key_type(), "AKP");
        assert_eq!(Algorithm::MlDsa44.family(), Family::MlDsa);
        assert!(Algorithm::MlDsa44.is_deterministic());
    }
}
