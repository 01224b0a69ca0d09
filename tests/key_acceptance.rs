//! The key-acceptance matrix on every backend: one test per class of bad key (each asserting the
//! exact error on every backend that supports the algorithm), the good fixture keys, the case x
//! backend table (`cargo test --test key_acceptance -- --nocapture`), and checks of the
//! corpus itself (the small-order forgery, the x + p derivations).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use sha2::{Digest, Sha512};
use std::sync::OnceLock;
use tessera::codec::{KeyMaterial, b64};
use tessera::{Jwk, KeyError, KeyRule};
use tessera_conformance::keys::{self, Case, Entry, Expected, Op, Outcome};

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| keys::run(&tessera::backends()))
}

fn entries() -> Vec<Entry> {
    keys::corpus().unwrap()
}

/// Every constructor of every backend on every case of `class` refused the key with an error
/// `want` accepts (or, where `at_verify`, built a verifier that refused every token), and the
/// case passed as a whole (controls verified, backends agree).
fn assert_class(class: &str, at_verify: bool, want: impl Fn(&Case, &KeyError) -> bool) {
    let of_class: Vec<&Case> = cases().iter().filter(|c| c.class == class).collect();
    assert!(!of_class.is_empty(), "no case of class {class}");
    let mut failures = Vec::new();
    let mut runs = 0;
    for c in &of_class {
        assert!(!c.runs.is_empty(), "{} ran on no backend", c.name);
        for r in &c.runs {
            runs += 1;
            for (op, o) in &r.ops {
                let ok = match o {
                    Outcome::Refused(e) => want(c, e),
                    Outcome::Built {
                        accepted: 0,
                        tokens,
                    } => at_verify && *op == Op::Verifier && *tokens > 0,
                    Outcome::Built { .. } => false,
                };
                if !ok {
                    failures.push(format!(
                        "{} on {}: {op}: {}",
                        c.name,
                        r.backend,
                        o.describe()
                    ));
                }
            }
        }
        failures.extend(c.failures.iter().cloned());
    }
    println!("{class}: {} cases, {runs} backend runs", of_class.len());
    assert!(
        failures.is_empty(),
        "{class}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn rejected(rule: KeyRule) -> impl Fn(&Case, &KeyError) -> bool {
    move |_, e| *e == KeyError::Rejected(rule)
}

#[test]
fn ed25519_small_order_keys_refused_by_every_backend() {
    assert_class(
        "ed25519_small_order",
        false,
        rejected(KeyRule::Ed25519SmallOrder),
    );
}

#[test]
fn ed25519_non_canonical_keys_refused_by_every_backend() {
    assert_class(
        "ed25519_non_canonical",
        false,
        rejected(KeyRule::Ed25519NonCanonical),
    );
}

#[test]
fn ed25519_key_off_the_curve_refused_at_construction_or_every_token_refused() {
    assert_class("ed25519_not_on_curve", true, rejected(KeyRule::NotOnCurve));
}

#[test]
fn ed25519_private_key_with_another_public_key_refused_by_every_backend() {
    assert_class(
        "ed25519_public_mismatch",
        false,
        rejected(KeyRule::PublicMismatch),
    );
}

#[test]
fn ec_coordinate_not_below_p_refused_by_every_backend() {
    assert_class(
        "ec_coordinate_range",
        false,
        rejected(KeyRule::CoordinateRange),
    );
}

#[test]
fn ec_point_off_the_curve_refused_by_every_backend() {
    assert_class("ec_not_on_curve", false, rejected(KeyRule::NotOnCurve));
}

#[test]
fn ec_private_scalar_out_of_range_refused_by_every_backend() {
    assert_class("ec_scalar_range", false, rejected(KeyRule::ScalarRange));
}

#[test]
fn ec_private_key_with_another_public_point_refused_by_verifier_signer_and_public_key() {
    for c in cases().iter().filter(|c| c.class == "ec_public_mismatch") {
        for r in &c.runs {
            let ops: Vec<Op> = r.ops.iter().map(|(op, _)| *op).collect();
            assert_eq!(ops, [Op::Verifier, Op::Signer, Op::PublicKey], "{}", c.name);
        }
    }
    assert_class(
        "ec_public_mismatch",
        false,
        rejected(KeyRule::PublicMismatch),
    );
}

#[test]
fn rsa_bad_exponent_refused_by_every_backend() {
    assert_class("rsa_exponent", false, rejected(KeyRule::RsaExponent));
}

#[test]
fn rsa_even_modulus_refused_by_every_backend() {
    assert_class("rsa_modulus_even", false, rejected(KeyRule::RsaModulusEven));
}

#[test]
fn rsa_modulus_over_8192_bits_refused_by_every_backend() {
    assert_class(
        "rsa_modulus_too_large",
        false,
        rejected(KeyRule::RsaModulusTooLarge),
    );
}

#[test]
fn rsa_modulus_under_2048_bits_too_weak_on_every_backend() {
    assert_class(
        "rsa_too_weak",
        false,
        |c, e| matches!(e, KeyError::TooWeak { alg, bits, min: 2048 } if *alg == c.alg && *bits < 2048),
    );
}

#[test]
fn hmac_secret_shorter_than_the_hash_too_weak_on_every_backend() {
    assert_class("hmac_too_weak", false, |c, e| {
        matches!(e, KeyError::TooWeak { alg, bits, min } if *alg == c.alg && bits < min
            && *min == 8 * c.alg.hash().output_len())
    });
}

#[test]
fn key_of_the_wrong_type_refused_by_every_backend() {
    assert_class(
        "wrong_key_type",
        false,
        |c, e| matches!(e, KeyError::WrongKeyType { alg, .. } if *alg == c.alg),
    );
}

#[test]
fn key_on_the_wrong_curve_refused_by_every_backend() {
    assert_class(
        "wrong_curve",
        false,
        |c, e| matches!(e, KeyError::WrongCurve { alg, .. } if *alg == c.alg),
    );
}

/// The error each case of the corpus names, exactly: its variant or rule and, where the entry
/// gives one, the text of its message (`detail`: which member or rule was refused).
fn as_entry_says(c: &Case, e: &KeyError) -> bool {
    let all = entries();
    let entry = all.iter().find(|x| x.name == c.name).unwrap();
    assert!(matches!(&c.expected, Expected::Refuse { error, .. } if *error == entry.expected));
    keys::is_expected(entry, e)
}

/// The ML-DSA backends: the case must have run on each of them.
fn assert_on_every_ml_dsa_backend(class: &str) {
    let ml_dsa: Vec<&str> = tessera::backends()
        .iter()
        .filter(|b| b.supports(tessera::Algorithm::MlDsa44))
        .map(|b| b.name())
        .collect();
    assert!(ml_dsa.len() >= 2, "ML-DSA on {ml_dsa:?} only");
    for c in cases().iter().filter(|c| c.class == class) {
        if c.alg.family() == tessera::codec::Family::MlDsa {
            let ran: Vec<&str> = c.runs.iter().map(|r| r.backend).collect();
            assert_eq!(ran, ml_dsa, "{}", c.name);
        }
    }
}

#[test]
fn akp_key_without_alg_invalid_on_every_backend() {
    assert_on_every_ml_dsa_backend("akp_missing_alg");
    assert_class("akp_missing_alg", false, |c, e| {
        matches!(e, KeyError::Invalid(m) if m.contains("alg is missing")) && as_entry_says(c, e)
    });
}

#[test]
fn akp_alg_that_is_not_ml_dsa_unsupported_on_every_backend() {
    assert_class("akp_alg_not_ml_dsa", false, |c, e| {
        matches!(e, KeyError::UnsupportedKey(m) if m.starts_with("AKP key for"))
            && as_entry_says(c, e)
    });
}

#[test]
fn akp_pub_of_the_wrong_length_invalid_on_every_backend() {
    assert_on_every_ml_dsa_backend("akp_pub_length");
    assert_class("akp_pub_length", false, |c, e| {
        matches!(e, KeyError::Invalid(m) if m.contains("member pub is")) && as_entry_says(c, e)
    });
}

#[test]
fn akp_alg_disagreeing_with_the_key_length_invalid_on_every_backend() {
    assert_class("akp_alg_length_mismatch", false, |c, e| {
        matches!(e, KeyError::Invalid(m) if m.contains("member pub is")
            && m.contains(c.alg.name()))
            && as_entry_says(c, e)
    });
}

#[test]
fn akp_priv_not_a_32_byte_seed_invalid_on_every_backend() {
    assert_class("akp_seed_length", false, |c, e| {
        matches!(e, KeyError::Invalid(m) if m.contains("member priv is") && m.ends_with("needs 32"))
            && as_entry_says(c, e)
    });
}

#[test]
fn akp_members_not_base64url_invalid_on_every_backend() {
    assert_class("akp_not_base64url", false, |c, e| {
        matches!(e, KeyError::Invalid(m) if m.contains("not base64url")) && as_entry_says(c, e)
    });
}

#[test]
fn akp_private_key_whose_pub_is_not_the_seeds_refused_by_verifier_signer_and_public_key() {
    assert_on_every_ml_dsa_backend("akp_public_mismatch");
    for c in cases().iter().filter(|c| c.class == "akp_public_mismatch") {
        for r in &c.runs {
            let ops: Vec<Op> = r.ops.iter().map(|(op, _)| *op).collect();
            assert_eq!(ops, [Op::Verifier, Op::Signer, Op::PublicKey], "{}", c.name);
        }
    }
    assert_class(
        "akp_public_mismatch",
        false,
        rejected(KeyRule::PublicMismatch),
    );
}

#[test]
fn akp_key_for_another_parameter_set_refused_on_every_backend() {
    assert_class("akp_alg_mismatch", false, |c, e| {
        matches!(e, KeyError::AlgorithmMismatch { alg, key_alg }
            if *alg == c.alg && key_alg.starts_with("ML-DSA-") && key_alg != c.alg.name())
    });
}

#[test]
fn akp_der_forms_refused_on_every_backend() {
    assert_class("akp_der_form", false, |c, e| {
        matches!(e, KeyError::Invalid(_) | KeyError::UnsupportedKey(_)) && as_entry_says(c, e)
    });
}

#[test]
fn every_good_fixture_accepted_by_every_backend() {
    let good: Vec<&Case> = cases()
        .iter()
        .filter(|c| c.class == "good_fixture")
        .collect();
    let mut failures = Vec::new();
    for alg in tessera::Algorithm::ALL {
        let expected = tessera::backends()
            .iter()
            .filter(|b| b.supports(alg))
            .count();
        for c in good.iter().filter(|c| c.alg == alg) {
            assert_eq!(c.runs.len(), expected, "{}", c.name);
            for r in &c.runs {
                for (op, o) in &r.ops {
                    let ok = match (op, o) {
                        (Op::Verifier, Outcome::Built { accepted, tokens }) => {
                            *tokens == expected && accepted == tokens
                        }
                        (_, Outcome::Built { .. }) => true,
                        (_, Outcome::Refused(_)) => false,
                    };
                    if !ok {
                        failures.push(format!(
                            "{} on {}: {op}: {}",
                            c.name,
                            r.backend,
                            o.describe()
                        ));
                    }
                }
            }
            failures.extend(c.failures.iter().cloned());
        }
    }
    assert_eq!(good.len(), tessera::Algorithm::ALL.len() + 2);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_class_has_a_test() {
    for e in entries() {
        assert!(
            keys::CLASSES.contains(&e.class.as_str()),
            "class {} ({}) has no test",
            e.class,
            e.name
        );
    }
}

/// Prints the case x backend table; fails if a case or a backend is missing from it.
#[test]
fn key_acceptance_table() {
    let backends = tessera::backends();
    let table = keys::table(cases(), &backends);
    println!("{table}");
    let header = table.lines().next().unwrap();
    for b in &backends {
        let short = b.name().strip_prefix("tessera-").unwrap_or(b.name());
        assert!(
            header.contains(short),
            "{} missing from the header",
            b.name()
        );
    }
    for c in cases() {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(&format!("{} ", c.name))),
            "{} missing from the table",
            c.name
        );
    }
}

/// `a - b` for big-endian integers of one length, or `None` when `a < b`.
fn sub_be(a: &[u8], b: &[u8]) -> Option<Vec<u8>> {
    assert_eq!(a.len(), b.len());
    let mut out = a.to_vec();
    let mut borrow = 0i16;
    for (o, &bi) in out.iter_mut().rev().zip(b.iter().rev()) {
        let d = i16::from(*o) - i16::from(bi) - borrow;
        borrow = i16::from(d < 0);
        *o = (d + 256 * borrow) as u8;
    }
    (borrow == 0).then_some(out)
}

fn ec_of(jwk: &Jwk) -> &tessera::codec::EcKey {
    match &jwk.material {
        KeyMaterial::Ec(ec) => ec,
        other => panic!("not an EC key: {other:?}"),
    }
}

#[test]
fn coordinate_range_entries_are_their_control_plus_p() {
    for e in entries()
        .into_iter()
        .filter(|e| e.class == "ec_coordinate_range")
    {
        let bad = e.jwk().unwrap();
        let bad = ec_of(&bad);
        let control = Jwk::from_json(e.controls[0].jwk.to_string().as_bytes()).unwrap();
        let good = ec_of(&control);
        let p = bad.crv.field_prime();
        let x_plus_p = sub_be(&bad.x, p).as_ref() == Some(&good.x) && bad.y == good.y;
        let y_plus_p = bad.x == good.x && sub_be(&bad.y, p).as_ref() == Some(&good.y);
        let ok = x_plus_p || y_plus_p;
        assert!(ok, "{}: not the control with x or y + p", e.name);
    }
}

/// Arithmetic modulo p = 2^255 - 19 on four little-endian 64-bit limbs, for the checks below.
mod fe {
    pub type Fe = [u64; 4];
    pub const P: Fe = [
        0xffff_ffff_ffff_ffed,
        u64::MAX,
        u64::MAX,
        0x7fff_ffff_ffff_ffff,
    ];
    pub const ZERO: Fe = [0; 4];
    pub const ONE: Fe = [1, 0, 0, 0];

    pub fn from_u64(v: u64) -> Fe {
        [v, 0, 0, 0]
    }

    pub fn from_le(b: &[u8; 32]) -> Fe {
        let mut out = [0u64; 4];
        for (i, limb) in out.iter_mut().enumerate() {
            *limb = u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap());
        }
        out
    }

    fn geq(a: &Fe, b: &Fe) -> bool {
        for i in (0..4).rev() {
            if a[i] != b[i] {
                return a[i] > b[i];
            }
        }
        true
    }

    fn sub_raw(a: &Fe, b: &Fe) -> Fe {
        let mut out = [0u64; 4];
        let mut borrow = 0u64;
        for i in 0..4 {
            let (d, b1) = a[i].overflowing_sub(b[i]);
            let (d, b2) = d.overflowing_sub(borrow);
            out[i] = d;
            borrow = u64::from(b1 || b2);
        }
        out
    }

    pub fn reduce(mut a: Fe) -> Fe {
        while geq(&a, &P) {
            a = sub_raw(&a, &P);
        }
        a
    }

    /// Adds `carry * 2^256` to `a` as `carry * 38` (2^256 = 38 mod p), then reduces.
    fn fold(mut a: Fe, mut carry: u128) -> Fe {
        while carry > 0 {
            let mut c = carry * 38;
            for limb in a.iter_mut() {
                let cur = u128::from(*limb) + c;
                *limb = cur as u64;
                c = cur >> 64;
            }
            carry = c;
        }
        reduce(a)
    }

    pub fn add(a: &Fe, b: &Fe) -> Fe {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for i in 0..4 {
            let cur = u128::from(a[i]) + u128::from(b[i]) + carry;
            out[i] = cur as u64;
            carry = cur >> 64;
        }
        fold(out, carry)
    }

    pub fn neg(a: &Fe) -> Fe {
        reduce(sub_raw(&P, &reduce(*a)))
    }

    pub fn sub(a: &Fe, b: &Fe) -> Fe {
        add(a, &neg(b))
    }

    pub fn mul(a: &Fe, b: &Fe) -> Fe {
        let mut w = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u128;
            for j in 0..4 {
                let cur = u128::from(w[i + j]) + u128::from(a[i]) * u128::from(b[j]) + carry;
                w[i + j] = cur as u64;
                carry = cur >> 64;
            }
            w[i + 4] = carry as u64;
        }
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for i in 0..4 {
            let cur = u128::from(w[i]) + 38 * u128::from(w[i + 4]) + carry;
            out[i] = cur as u64;
            carry = cur >> 64;
        }
        fold(out, carry)
    }

    pub fn pow(a: &Fe, e: &Fe) -> Fe {
        let mut acc = ONE;
        for i in (0..256).rev() {
            acc = mul(&acc, &acc);
            if (e[i / 64] >> (i % 64)) & 1 == 1 {
                acc = mul(&acc, a);
            }
        }
        acc
    }

    pub fn inv(a: &Fe) -> Fe {
        pow(a, &sub_raw(&P, &from_u64(2)))
    }

    /// `(p - c) >> s`, for the exponents of the square-root and inversion formulas.
    pub fn p_minus_shifted(c: u64, s: u32) -> Fe {
        let v = sub_raw(&P, &from_u64(c));
        let mut out = [0u64; 4];
        for i in 0..4 {
            out[i] = v[i] >> s;
            if i < 3 {
                out[i] |= v[i + 1] << (64 - s);
            }
        }
        out
    }
}

/// Ed25519 points in affine coordinates (twisted Edwards, a = -1); the addition law is complete.
mod ed {
    use super::fe::{self, Fe};

    pub type Point = (Fe, Fe);
    pub const IDENTITY: Point = (fe::ZERO, fe::ONE);

    fn d() -> Fe {
        let n = fe::neg(&fe::from_u64(121_665));
        fe::mul(&n, &fe::inv(&fe::from_u64(121_666)))
    }

    /// RFC 8032 §5.1.3; `reduce_y` reads y modulo p instead of refusing y >= p, as a lax
    /// library would.
    pub fn decode(enc: &[u8; 32], reduce_y: bool) -> Option<Point> {
        let sign = enc[31] >> 7;
        let mut bytes = *enc;
        bytes[31] &= 0x7f;
        let raw = fe::from_le(&bytes);
        let y = fe::reduce(raw);
        if y != raw && !reduce_y {
            return None;
        }
        let yy = fe::mul(&y, &y);
        let u = fe::sub(&yy, &fe::ONE);
        let v = fe::add(&fe::mul(&d(), &yy), &fe::ONE);
        let v3 = fe::mul(&fe::mul(&v, &v), &v);
        let v7 = fe::mul(&fe::mul(&v3, &v3), &v);
        let mut x = fe::mul(
            &fe::mul(&u, &v3),
            &fe::pow(&fe::mul(&u, &v7), &fe::p_minus_shifted(5, 3)),
        );
        let vxx = fe::mul(&v, &fe::mul(&x, &x));
        if vxx == u {
        } else if vxx == fe::neg(&u) {
            let sqrt_m1 = fe::pow(&fe::from_u64(2), &fe::p_minus_shifted(1, 2));
            x = fe::mul(&x, &sqrt_m1);
        } else {
            return None;
        }
        if x == fe::ZERO && sign == 1 {
            return None;
        }
        if (x[0] & 1) as u8 != sign {
            x = fe::neg(&x);
        }
        Some((x, y))
    }

    pub fn add(a: &Point, b: &Point) -> Point {
        let ((x1, y1), (x2, y2)) = (a, b);
        let t = fe::mul(&d(), &fe::mul(&fe::mul(x1, x2), &fe::mul(y1, y2)));
        let x3 = fe::mul(
            &fe::add(&fe::mul(x1, y2), &fe::mul(x2, y1)),
            &fe::inv(&fe::add(&fe::ONE, &t)),
        );
        let y3 = fe::mul(
            &fe::add(&fe::mul(y1, y2), &fe::mul(x1, x2)),
            &fe::inv(&fe::sub(&fe::ONE, &t)),
        );
        (x3, y3)
    }

    pub fn times(p: &Point, n: u64) -> Point {
        (0..n).fold(IDENTITY, |acc, _| add(&acc, p))
    }

    /// The order of a point of order dividing 8, or `None`.
    pub fn small_order(p: &Point) -> Option<u64> {
        (1..=8).find(|&n| times(p, n) == IDENTITY)
    }
}

fn x_bytes(e: &Entry) -> [u8; 32] {
    match e.jwk().unwrap().material {
        KeyMaterial::Okp(okp) => okp.x.try_into().unwrap(),
        other => panic!("{}: not an Ed25519 key: {other:?}", e.name),
    }
}

/// The corpus's forgery for small-order keys (R = the base point, S = 1) is a valid signature
/// under the identity key for every message: [S]B = B = R = R + [k]A when A is the identity.
/// Under the other small-order keys it passes the cofactored equation [8][S]B = [8]R + [8][k]A
/// (since [8]A is the identity). Also: each small-order entry has the order its name says, the
/// non-canonical ones name small-order points when y is reduced, and y = 2 decodes to nothing.
#[test]
fn small_order_forgery_is_valid_under_the_identity_key() {
    let base_enc: [u8; 32] = {
        let mut b = [0x66u8; 32];
        b[0] = 0x58;
        b
    };
    let b_point = ed::decode(&base_enc, false).unwrap();
    // RFC 8032 §5.1: B = (x, 4/5) with x = 1511222134953540077250115140958853151145401269304185
    // 7206046113283949847762202 = 0x216936d3...d51a, the even root.
    assert_eq!(fe::mul(&b_point.1, &fe::from_u64(5)), fe::from_u64(4));
    assert_eq!(
        b_point.0,
        [
            0xc956_2d60_8f25_d51a,
            0x692c_c760_9525_a7b2,
            0xc0a4_e231_fdd6_dc5c,
            0x2169_36d3_cd6e_53fe
        ]
    );
    let all = entries();
    let small: Vec<&Entry> = all
        .iter()
        .filter(|e| e.class == "ed25519_small_order")
        .collect();
    let mut orders = Vec::new();
    for e in &small {
        let token = &e.tokens[0];
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = b64::decode(sig.as_bytes()).unwrap();
        let (r, s) = sig.split_at(32);
        let r_point = ed::decode(r.try_into().unwrap(), false).unwrap();
        assert_eq!(r_point, b_point, "{}: R is not B", e.name);
        let mut one = [0u8; 32];
        one[0] = 1;
        assert_eq!(s, one, "{}: S is not 1", e.name);
        let x = x_bytes(e);
        let Some(a) = ed::decode(&x, false) else {
            // Only the x = 0 points written with the sign bit set fail to decode.
            assert!(e.name.ends_with("_sign_bit"), "{} does not decode", e.name);
            continue;
        };
        let order = ed::small_order(&a).unwrap_or_else(|| panic!("{} is not small order", e.name));
        let named = e.name.contains(&format!("order_{order}"))
            || (order == 1 && e.name.contains("identity"));
        assert!(named, "{} has order {order}", e.name);
        if !e.name.ends_with("_spki") {
            orders.push(order);
        }
        // k = SHA-512(R || A || M); [k]A = [k mod 8]A since [8]A = O (k's low bits, read
        // little-endian).
        let k = Sha512::digest([r, &x[..], input.as_bytes()].concat());
        let k_a = ed::times(&a, u64::from(k[0] & 7));
        // Cofactored: [8][S]B = [8]B = [8]R + [8][k]A for every small-order A.
        assert_eq!(
            ed::times(&b_point, 8),
            ed::add(&ed::times(&r_point, 8), &ed::times(&k_a, 8)),
            "{}",
            e.name
        );
        if order == 1 {
            // Cofactorless, under the identity: [S]B = B = R + [k]A.
            assert_eq!(b_point, ed::add(&r_point, &k_a), "{}", e.name);
        }
    }
    orders.sort_unstable();
    assert_eq!(
        orders,
        [1, 2, 4, 4, 8, 8, 8, 8],
        "all eight small-order points"
    );

    for e in all.iter().filter(|e| e.class == "ed25519_non_canonical") {
        let x = x_bytes(e);
        assert_eq!(
            ed::decode(&x, false),
            None,
            "{} decodes canonically",
            e.name
        );
    }
    let p_plus_1 = all
        .iter()
        .find(|e| e.name == "ed25519_non_canonical_y_p_plus_1")
        .unwrap();
    assert_eq!(
        ed::decode(&x_bytes(p_plus_1), true),
        Some(ed::IDENTITY),
        "y = p + 1 is the identity to a library that reduces y"
    );
    for e in all.iter().filter(|e| e.class == "ed25519_not_on_curve") {
        assert_eq!(ed::decode(&x_bytes(e), true), None, "{} decodes", e.name);
    }
}
