//! The key rules that need no curve arithmetic, decided once for every backend.
//!
//! [`Jwk::check_for`](crate::Jwk::check_for) applies them to the material it returns, so a
//! backend that starts from a JWK gets them for free; a backend constructor that takes raw
//! bytes calls the function for its key type. Each failure is
//! [`KeyError::Rejected`] with the [`KeyRule`] broken, the same for every backend.

use crate::alg::{Algorithm, EcCurve};
use crate::error::{KeyError, KeyRule};
use crate::jwk::{EcKey, KeyMaterial, MIN_RSA_BITS, OkpKey, RsaKey, check_hmac_secret};

/// Largest RSA modulus any backend accepts, in bits: the most ring and aws-lc-rs verify with,
/// so one limit holds for every backend.
pub const MAX_RSA_BITS: usize = 8192;

/// Largest RSA public exponent accepted (`2^33 - 1`, the bound ring and RustCrypto `rsa` use).
pub const MAX_RSA_EXPONENT: u64 = (1 << 33) - 1;

/// The field prime of Curve25519, `2^255 - 19`, little-endian (Ed25519's byte order).
const ED25519_P: [u8; 32] = {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

/// The `y` coordinates (little-endian, sign bit clear) of the eight points of order dividing 8:
/// the identity (`y = 1`), the point of order 2 (`y = p - 1`), the two of order 4 (`y = 0`) and
/// the four of order 8 (`y = ±y8`). Each `y` stands for both signs of `x`, so these five values
/// cover every encoding of a small-order point with `y < p`; `y >= p` is refused as
/// non-canonical before this list is read.
const SMALL_ORDER_Y: [[u8; 32]; 5] = [
    le(*b"0100000000000000000000000000000000000000000000000000000000000000"),
    le(*b"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    [0; 32],
    le(*b"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    le(*b"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
];

const fn le(hex: [u8; 64]) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => 0,
        }
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
}

const fn rejected(rule: KeyRule) -> KeyError {
    KeyError::Rejected(rule)
}

/// Checks a 32-byte Ed25519 public key (RFC 8032 §5.1.3): its `y` below `p`, and not the
/// encoding of a small-order point. Whether it decodes to a curve point at all needs curve
/// arithmetic and is the backend's check ([`KeyRule::NotOnCurve`]).
pub fn check_ed25519_public(x: &[u8]) -> Result<(), KeyError> {
    let Ok(bytes) = <[u8; 32]>::try_from(x) else {
        return Err(KeyError::Invalid(format!(
            "Ed25519 public key is {} bytes, expected 32",
            x.len()
        )));
    };
    let mut y = bytes;
    y[31] &= 0x7f;
    if !below_le(&y, &ED25519_P) {
        return Err(rejected(KeyRule::Ed25519NonCanonical));
    }
    if SMALL_ORDER_Y.contains(&y) {
        return Err(rejected(KeyRule::Ed25519SmallOrder));
    }
    Ok(())
}

/// Checks the affine coordinates of an EC public key: each exactly the field length and below
/// the field prime. On-curve membership is the backend's check ([`KeyRule::NotOnCurve`]).
pub fn check_ec_public(crv: EcCurve, x: &[u8], y: &[u8]) -> Result<(), KeyError> {
    let len = crv.field_len();
    if x.len() != len || y.len() != len {
        return Err(KeyError::Invalid(format!(
            "{crv} coordinates are {} and {} bytes, the curve needs {len}",
            x.len(),
            y.len()
        )));
    }
    let p = crv.field_prime();
    if x >= p || y >= p {
        return Err(rejected(KeyRule::CoordinateRange));
    }
    Ok(())
}

/// Checks an EC private scalar: exactly the field length and in `[1, n - 1]`.
pub fn check_ec_private(crv: EcCurve, d: &[u8]) -> Result<(), KeyError> {
    let len = crv.field_len();
    if d.len() != len {
        return Err(KeyError::Invalid(format!(
            "{crv} private scalar is {} bytes, the curve needs {len}",
            d.len()
        )));
    }
    if d.iter().all(|&b| b == 0) || d >= crv.order() {
        return Err(rejected(KeyRule::ScalarRange));
    }
    Ok(())
}

/// Checks an RSA public key for `alg`: the modulus odd, from [`MIN_RSA_BITS`] (else
/// [`KeyError::TooWeak`]) to [`MAX_RSA_BITS`] bits; the exponent odd and from 3 to
/// [`MAX_RSA_EXPONENT`]. Leading zero bytes are ignored (RFC 7518 §6.3.1 forbids them; tessera
/// reads them leniently, as most JOSE libraries do, since they change no value).
pub fn check_rsa_public(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<(), KeyError> {
    let (n, e) = (unsigned(n), unsigned(e));
    let bits = bit_len(n);
    if bits < MIN_RSA_BITS {
        return Err(KeyError::TooWeak {
            alg,
            bits,
            min: MIN_RSA_BITS,
        });
    }
    if bits > MAX_RSA_BITS {
        return Err(rejected(KeyRule::RsaModulusTooLarge));
    }
    if n.last().is_none_or(|b| b & 1 == 0) {
        return Err(rejected(KeyRule::RsaModulusEven));
    }
    let exponent = (e.len() <= 8).then(|| e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)));
    match exponent {
        Some(v) if (3..=MAX_RSA_EXPONENT).contains(&v) && v & 1 == 1 => Ok(()),
        _ => Err(rejected(KeyRule::RsaExponent)),
    }
}

/// Applies every codec rule for `alg` to key material already bound to it by type.
pub(crate) fn check_material(alg: Algorithm, material: &KeyMaterial) -> Result<(), KeyError> {
    match material {
        KeyMaterial::Oct(s) => check_hmac_secret(alg, s.len()),
        KeyMaterial::Rsa(RsaKey { n, e, .. }) => check_rsa_public(alg, n, e),
        KeyMaterial::Ec(EcKey { crv, x, y, d }) => {
            // A private key read from a file without its public point has empty coordinates.
            if !x.is_empty() || !y.is_empty() {
                check_ec_public(*crv, x, y)?;
            }
            match d {
                Some(d) => check_ec_private(*crv, d.expose()),
                None => Ok(()),
            }
        }
        KeyMaterial::Okp(OkpKey { x, .. }) if !x.is_empty() => check_ed25519_public(x),
        KeyMaterial::Okp(_) => Ok(()),
        // Lengths only: every byte string of the right length decodes as an ML-DSA public key.
        KeyMaterial::Akp(k) => k.check(),
    }
}

/// A big-endian integer without its leading zero bytes.
pub fn unsigned(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The number of significant bits of a big-endian integer.
pub fn bit_len(bytes: &[u8]) -> usize {
    let bytes = unsigned(bytes);
    match bytes.first() {
        Some(b) => bytes.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

/// `a < b` for little-endian integers of one length.
fn below_le(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_order_points_refused_in_both_signs() {
        for y in SMALL_ORDER_Y {
            let mut x = y;
            assert_eq!(
                check_ed25519_public(&x),
                Err(rejected(KeyRule::Ed25519SmallOrder))
            );
            x[31] |= 0x80;
            assert_eq!(
                check_ed25519_public(&x),
                Err(rejected(KeyRule::Ed25519SmallOrder))
            );
        }
    }

    #[test]
    fn y_at_or_above_p_is_non_canonical() {
        // y = p (the order-4 points' y = 0, written as p) up to 2^255 - 1.
        for extra in 0..19u8 {
            let mut x = ED25519_P;
            x[0] += extra;
            assert_eq!(
                check_ed25519_public(&x),
                Err(rejected(KeyRule::Ed25519NonCanonical))
            );
        }
    }

    #[test]
    fn p_minus_y8_is_the_negation_of_y8() {
        // y8 + (p - y8) = p: the two order-8 y values are each other's negation.
        let (a, b) = (SMALL_ORDER_Y[3], SMALL_ORDER_Y[4]);
        let mut carry = 0u16;
        let mut sum = [0u8; 32];
        for i in 0..32 {
            let s = u16::from(a[i]) + u16::from(b[i]) + carry;
            sum[i] = s as u8;
            carry = s >> 8;
        }
        assert_eq!(sum, ED25519_P);
    }

    #[test]
    fn ec_coordinate_plus_p_is_out_of_range() {
        let crv = EcCurve::P521;
        let mut x = crv.field_prime().to_vec();
        *x.last_mut().unwrap() = 0xff; // p itself (p = 2^521 - 1 ends in 0xff)
        let y = vec![1u8; 66];
        assert_eq!(
            check_ec_public(crv, &x, &y),
            Err(rejected(KeyRule::CoordinateRange))
        );
    }

    #[test]
    fn ec_scalar_zero_and_order_refused() {
        let crv = EcCurve::P256;
        assert_eq!(
            check_ec_private(crv, &[0; 32]),
            Err(rejected(KeyRule::ScalarRange))
        );
        assert_eq!(
            check_ec_private(crv, crv.order()),
            Err(rejected(KeyRule::ScalarRange))
        );
        let mut below = crv.order().to_vec();
        *below.last_mut().unwrap() -= 1;
        assert_eq!(check_ec_private(crv, &below), Ok(()));
    }

    #[test]
    fn rsa_exponent_and_modulus_rules() {
        let mut n = vec![0xc5; 256];
        let alg = Algorithm::RS256;
        assert_eq!(check_rsa_public(alg, &n, &[1, 0, 1]), Ok(()));
        assert_eq!(
            check_rsa_public(alg, &n, &[1]),
            Err(rejected(KeyRule::RsaExponent))
        );
        assert_eq!(
            check_rsa_public(alg, &n, &[1, 0, 0]),
            Err(rejected(KeyRule::RsaExponent))
        );
        assert_eq!(
            check_rsa_public(alg, &n, &[2, 0, 0, 0, 1]),
            Err(rejected(KeyRule::RsaExponent))
        );
        n[255] = 0xc4;
        assert_eq!(
            check_rsa_public(alg, &n, &[1, 0, 1]),
            Err(rejected(KeyRule::RsaModulusEven))
        );
        assert_eq!(
            check_rsa_public(alg, &vec![0xc5; 1025], &[1, 0, 1]),
            Err(rejected(KeyRule::RsaModulusTooLarge))
        );
        assert!(matches!(
            check_rsa_public(alg, &[0xc5; 255], &[1, 0, 1]),
            Err(KeyError::TooWeak { bits: 2040, .. })
        ));
    }
}
