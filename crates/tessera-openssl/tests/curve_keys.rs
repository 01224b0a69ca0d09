//! EC and Ed25519 key checks: the codec's rules as OpenSSL sees them, the public half of a
//! private key checked against `d`, points OpenSSL refuses, keys without public members
//! completed from `d`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use openssl::bn::BigNum;
use tessera_codec::{
    Algorithm, Backend, EcCurve, EcKey, Jwk, KeyError, KeyMaterial, KeyRule, KeySpec, OkpKey,
    Secret, SignatureError, Verifier, b64,
};
use tessera_openssl::OpensslBackend;

const INPUT: &[u8] = b"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXNzZXJhIn0";

/// The order of P-256, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

const EC_ALGS: [Algorithm; 4] = [
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::ES256K,
];

fn rejected(rule: KeyRule) -> KeyError {
    KeyError::Rejected(rule)
}

fn sign(key: &Jwk, alg: Algorithm) -> Vec<u8> {
    let mut sig = Vec::new();
    OpensslBackend
        .signer(key, alg)
        .unwrap()
        .sign(INPUT, &mut sig)
        .unwrap();
    sig
}

fn verifier(key: &Jwk, alg: Algorithm) -> Box<dyn Verifier> {
    OpensslBackend
        .verifier(&OpensslBackend.public_key(key).unwrap(), alg)
        .unwrap()
}

fn ec_of(key: &Jwk) -> EcKey {
    match &key.material {
        KeyMaterial::Ec(k) => k.clone(),
        other => panic!("not EC: {other:?}"),
    }
}

fn okp_of(key: &Jwk) -> OkpKey {
    match &key.material {
        KeyMaterial::Okp(k) => k.clone(),
        other => panic!("not OKP: {other:?}"),
    }
}

fn generate(alg: Algorithm) -> Jwk {
    OpensslBackend.generate(KeySpec::new(alg)).unwrap()
}

#[test]
fn ed25519_without_public_key_is_completed() {
    // A PKCS#8 v1 Ed25519 key carries only the seed.
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::EdDSA))
        .unwrap();
    let from_der = Jwk::from_pkcs8_der(&key.to_pkcs8_der().unwrap()).unwrap();
    let KeyMaterial::Okp(OkpKey { x, .. }) = &from_der.material else {
        panic!("not OKP")
    };
    assert!(x.is_empty());
    let public = OpensslBackend.public_key(&from_der).unwrap();
    assert_eq!(
        public,
        OpensslBackend
            .public_key(&Jwk {
                alg: None,
                ..key.clone()
            })
            .unwrap()
    );
    let sig = sign(&from_der, Algorithm::EdDSA);
    assert_eq!(sig, sign(&key, Algorithm::EdDSA));
    assert_eq!(
        OpensslBackend
            .verifier(&from_der, Algorithm::EdDSA)
            .unwrap()
            .verify(INPUT, &sig),
        Ok(())
    );
}

#[test]
fn ec_without_public_point_is_completed() {
    for alg in [
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::ES256K,
    ] {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        let KeyMaterial::Ec(k) = &key.material else {
            panic!("not EC")
        };
        let bare = Jwk::new(KeyMaterial::Ec(EcKey {
            x: Vec::new(),
            y: Vec::new(),
            ..k.clone()
        }));
        let public = OpensslBackend.public_key(&bare).unwrap();
        assert_eq!(
            public.material,
            OpensslBackend.public_key(&key).unwrap().material
        );
        let sig = sign(&bare, alg);
        assert_eq!(verifier(&key, alg).verify(INPUT, &sig), Ok(()), "{alg}");
        assert_eq!(
            OpensslBackend
                .verifier(&bare, alg)
                .unwrap()
                .verify(INPUT, &sig),
            Ok(())
        );
    }
}

#[test]
fn p521_coordinate_plus_p_is_refused() {
    // x + p names the same point modulo p; OpenSSL read it as x before the codec refused it.
    for private in [false, true] {
        let key = generate(Algorithm::ES512);
        let mut json = if private {
            key.to_value()
        } else {
            OpensslBackend.public_key(&key).unwrap().to_value()
        };
        let x = ec_of(&key).x;
        let mut sum = BigNum::new().unwrap();
        sum.checked_add(
            &BigNum::from_slice(&x).unwrap(),
            &BigNum::from_slice(EcCurve::P521.field_prime()).unwrap(),
        )
        .unwrap();
        let x_plus_p = sum.to_vec_padded(66).unwrap();
        assert_eq!(x_plus_p.len(), 66);
        json["x"] = b64::encode(&x_plus_p).into();
        let lax = Jwk::from_json(json.to_string().as_bytes()).unwrap();
        let expected = Some(rejected(KeyRule::CoordinateRange));
        assert_eq!(
            OpensslBackend.verifier(&lax, Algorithm::ES512).err(),
            expected
        );
        if private {
            assert_eq!(
                OpensslBackend.signer(&lax, Algorithm::ES512).err(),
                expected
            );
            assert_eq!(OpensslBackend.public_key(&lax).err(), expected);
        }
    }
}

#[test]
fn ec_private_key_with_another_public_point_is_refused() {
    for alg in EC_ALGS {
        let a = ec_of(&generate(alg));
        let b = ec_of(&generate(alg));
        let mixed = Jwk::new(KeyMaterial::Ec(EcKey {
            d: a.d.clone(),
            ..b.clone()
        }));
        let mismatch = Some(rejected(KeyRule::PublicMismatch));
        assert_eq!(OpensslBackend.signer(&mixed, alg).err(), mismatch, "{alg}");
        // The verifier used to take x and y as given, ignoring d.
        assert_eq!(
            OpensslBackend.verifier(&mixed, alg).err(),
            mismatch,
            "{alg}"
        );
        assert_eq!(OpensslBackend.public_key(&mixed).err(), mismatch, "{alg}");
        // Only y wrong: still not the point of d.
        let mut half = a.clone();
        half.y.clone_from(&b.y);
        let half = Jwk::new(KeyMaterial::Ec(half));
        assert_eq!(OpensslBackend.verifier(&half, alg).err(), mismatch, "{alg}");
    }
}

#[test]
fn ed25519_private_key_with_another_public_key_is_refused() {
    let a = okp_of(&generate(Algorithm::EdDSA));
    let b = okp_of(&generate(Algorithm::EdDSA));
    let mixed = Jwk::new(KeyMaterial::Okp(OkpKey {
        x: b.x.clone(),
        d: a.d.clone(),
    }));
    let mismatch = Some(rejected(KeyRule::PublicMismatch));
    assert_eq!(
        OpensslBackend.signer(&mixed, Algorithm::EdDSA).err(),
        mismatch
    );
    assert_eq!(
        OpensslBackend.verifier(&mixed, Algorithm::EdDSA).err(),
        mismatch
    );
    assert_eq!(OpensslBackend.public_key(&mixed).err(), mismatch);
}

#[test]
fn private_keys_with_their_own_public_members_pass() {
    // The same keys as above with matching members: nothing refused, the members are kept.
    for alg in [Algorithm::ES384, Algorithm::EdDSA] {
        let key = generate(alg);
        let public = OpensslBackend.public_key(&key).unwrap();
        assert_eq!(public, key.to_public().unwrap(), "{alg}");
        let sig = sign(&key, alg);
        assert_eq!(
            OpensslBackend
                .verifier(&key, alg)
                .unwrap()
                .verify(INPUT, &sig),
            Ok(()),
            "{alg}"
        );
    }
}

#[test]
fn ec_point_off_the_curve_is_refused_at_construction() {
    for alg in EC_ALGS {
        let key = generate(alg);
        let mut off = ec_of(&key);
        let last = off.y.len() - 1;
        off.y[last] ^= 1;
        let public = Jwk::new(KeyMaterial::Ec(EcKey {
            d: None,
            ..off.clone()
        }));
        assert_eq!(
            OpensslBackend.verifier(&public, alg).err(),
            Some(rejected(KeyRule::NotOnCurve)),
            "{alg}"
        );
        // With d, the point is derived first: the given one is not it.
        assert_eq!(
            OpensslBackend
                .signer(&Jwk::new(KeyMaterial::Ec(off)), alg)
                .err(),
            Some(rejected(KeyRule::PublicMismatch)),
            "{alg}"
        );
    }
    // (0, 0) is on none of the curves (b != 0).
    let zero = Jwk::new(KeyMaterial::Ec(EcKey {
        crv: EcCurve::P256,
        x: vec![0; 32],
        y: vec![0; 32],
        d: None,
    }));
    assert_eq!(
        OpensslBackend.verifier(&zero, Algorithm::ES256).err(),
        Some(rejected(KeyRule::NotOnCurve))
    );
}

#[test]
fn ec_private_scalar_out_of_range_is_refused() {
    let a = ec_of(&generate(Algorithm::ES256));
    for d in [vec![0u8; 32], P256_ORDER.to_vec()] {
        for (x, y) in [(Vec::new(), Vec::new()), (a.x.clone(), a.y.clone())] {
            let bad = Jwk::new(KeyMaterial::Ec(EcKey {
                crv: EcCurve::P256,
                x,
                y,
                d: Some(Secret::new(d.clone())),
            }));
            let range = Some(rejected(KeyRule::ScalarRange));
            assert_eq!(OpensslBackend.signer(&bad, Algorithm::ES256).err(), range);
            assert_eq!(OpensslBackend.verifier(&bad, Algorithm::ES256).err(), range);
            assert_eq!(OpensslBackend.public_key(&bad).err(), range);
        }
    }
}

#[test]
fn ed25519_small_order_and_non_canonical_keys_are_refused() {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    // y = p = 2^255 - 19, the non-canonical encoding of y = 0 (a point of order 4).
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    for (x, rule) in [
        (identity, KeyRule::Ed25519SmallOrder),
        ([0; 32], KeyRule::Ed25519SmallOrder),
        (p, KeyRule::Ed25519NonCanonical),
    ] {
        let public = Jwk::new(KeyMaterial::Okp(OkpKey {
            x: x.to_vec(),
            d: None,
        }));
        assert_eq!(
            OpensslBackend.verifier(&public, Algorithm::EdDSA).err(),
            Some(rejected(rule)),
            "{x:?}"
        );
        // With a seed the rule on x comes first, as in every constructor.
        let private = Jwk::new(KeyMaterial::Okp(OkpKey {
            x: x.to_vec(),
            d: okp_of(&generate(Algorithm::EdDSA)).d,
        }));
        assert_eq!(
            OpensslBackend.signer(&private, Algorithm::EdDSA).err(),
            Some(rejected(rule))
        );
        assert_eq!(
            OpensslBackend.public_key(&private).err(),
            Some(rejected(rule))
        );
    }
}

#[test]
fn ed25519_key_that_does_not_decompress_refuses_every_signature() {
    // y = 2: (y^2 - 1) / (d y^2 + 1) is not a square mod p, so no x exists. The codec cannot
    // tell without curve arithmetic and OpenSSL decodes only when verifying (see the crate
    // docs): the verifier is made and no signature verifies under it.
    let mut x = vec![0u8; 32];
    x[0] = 2;
    let key = Jwk::new(KeyMaterial::Okp(OkpKey { x, d: None }));
    let v = OpensslBackend.verifier(&key, Algorithm::EdDSA).unwrap();
    let genuine = sign(&generate(Algorithm::EdDSA), Algorithm::EdDSA);
    for sig in [genuine, vec![0; 64], vec![0xff; 64]] {
        assert_eq!(v.verify(INPUT, &sig), Err(SignatureError::Invalid));
    }
}
