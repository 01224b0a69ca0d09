//! Keys: the codec's rules on every constructor, the public point of a private key, PEM keys
//! without it, bindings, `kid` and `Debug`.

use super::*;

#[test]
fn group_order_constants_bound_the_private_scalar() {
    // Double-checks the n constants used above against the libraries: n - 1 is a valid
    // private key, n is not; and 0 is not either.
    for (alg, n) in CURVES {
        let n = hex(n);
        let n_minus_1 = sub(&n, &plus_one(&vec![0u8; n.len()]));
        assert!(EcdsaSigner::new(alg, &n_minus_1).is_ok(), "{alg}");
        let out_of_range = Err(KeyError::Rejected(KeyRule::ScalarRange));
        assert_eq!(EcdsaSigner::new(alg, &n).map(|_| ()), out_of_range);
        assert_eq!(
            EcdsaSigner::new(alg, &vec![0u8; n.len()]).map(|_| ()),
            out_of_range
        );
        assert_eq!(
            EcdsaSigner::new(alg, &vec![0xffu8; n.len()]).map(|_| ()),
            out_of_range
        );
        // The library agrees with the codec's bounds: it takes n - 1 and refuses n.
        assert!(ecdsa_from_slice_accepts(alg, &n_minus_1), "{alg}");
        assert!(!ecdsa_from_slice_accepts(alg, &n), "{alg}");
    }
}

/// Whether the library's own parser takes `d` as a private scalar for `alg`'s curve.
fn ecdsa_from_slice_accepts(alg: Algorithm, d: &[u8]) -> bool {
    match alg {
        Algorithm::ES256 => p256::ecdsa::SigningKey::from_slice(d).is_ok(),
        Algorithm::ES384 => p384::ecdsa::SigningKey::from_slice(d).is_ok(),
        Algorithm::ES512 => p521::ecdsa::SigningKey::from_slice(d).is_ok(),
        Algorithm::ES256K => k256::ecdsa::SigningKey::from_slice(d).is_ok(),
        other => panic!("{other}"),
    }
}

#[test]
fn private_scalar_of_wrong_length_is_invalid() {
    assert_eq!(
        EcdsaSigner::new(Algorithm::ES512, &[1u8; 65]).map(|_| ()),
        Err(KeyError::Invalid(
            "P-521 private scalar is 65 bytes, the curve needs 66".into()
        ))
    );
}

#[test]
fn wrong_curve_key_is_refused() {
    let p384 = EcdsaBackend
        .generate(KeySpec::new(Algorithm::ES384))
        .unwrap();
    let expected = KeyError::WrongCurve {
        alg: Algorithm::ES256,
        expected: "P-256",
        found: "P-384",
    };
    assert_eq!(
        EcdsaBackend.signer(&p384, Algorithm::ES256).err(),
        Some(expected.clone())
    );
    assert_eq!(
        EcdsaBackend
            .verifier(&p384.to_public().unwrap(), Algorithm::ES256)
            .err(),
        Some(expected)
    );
    // A P-256 key for ES256K: same curve size, other curve.
    assert_eq!(
        EcdsaVerifier::from_jwk(&jwk(A3_KEY), Algorithm::ES256K).err(),
        Some(KeyError::WrongCurve {
            alg: Algorithm::ES256K,
            expected: "secp256k1",
            found: "P-256"
        })
    );
}

#[test]
fn private_key_whose_public_point_does_not_match_is_rejected() {
    // The A.3 x, y with the RFC 6979 A.2.5 d: both valid on their own.
    let mut key = jwk(A3_KEY);
    let KeyMaterial::Ec(ec) = &mut key.material else {
        panic!("not EC")
    };
    ec.d = Some(Secret::new(hex(RFC6979_P256_D)));
    let mismatch = Some(KeyError::Rejected(KeyRule::PublicMismatch));
    assert_eq!(EcdsaBackend.signer(&key, Algorithm::ES256).err(), mismatch);
    assert_eq!(
        EcdsaBackend.verifier(&key, Algorithm::ES256).err(),
        mismatch
    );
    assert_eq!(EcdsaBackend.public_key(&key).err(), mismatch);
    // A point given with d that is not on the curve at all is a mismatch too: d decides.
    let KeyMaterial::Ec(ec) = &mut key.material else {
        panic!("not EC")
    };
    ec.d = Some(Secret::new(jwk_d(A3_KEY)));
    ec.y[31] ^= 1;
    assert_eq!(EcdsaBackend.signer(&key, Algorithm::ES256).err(), mismatch);
    assert_eq!(
        EcdsaBackend.verifier(&key, Algorithm::ES256).err(),
        mismatch
    );
    assert_eq!(EcdsaBackend.public_key(&key).err(), mismatch);
}

/// The private scalar of a JWK given as JSON.
fn jwk_d(json: &str) -> Vec<u8> {
    let KeyMaterial::Ec(ec) = jwk(json).material else {
        panic!("not EC")
    };
    ec.d.unwrap().expose().to_vec()
}

#[test]
fn public_point_not_on_the_curve_is_rejected() {
    let not_on_curve = Some(KeyError::Rejected(KeyRule::NotOnCurve));
    let key = jwk(A3_KEY).to_public().unwrap();
    let KeyMaterial::Ec(ec) = &key.material else {
        panic!("not EC")
    };
    let mut y = ec.y.clone();
    y[31] ^= 1;
    assert_eq!(
        EcdsaVerifier::new(Algorithm::ES256, &ec.x, &y).err(),
        not_on_curve
    );
    // (0, 0) is not on P-256 (it would need b = 0); the identity has no affine form.
    assert_eq!(
        EcdsaVerifier::new(Algorithm::ES256, &[0; 32], &[0; 32]).err(),
        not_on_curve
    );
    // The same through a JWK and Backend::public_key.
    let mut bad = key.clone();
    let KeyMaterial::Ec(ec) = &mut bad.material else {
        panic!("not EC")
    };
    ec.y = y;
    assert_eq!(
        EcdsaBackend.verifier(&bad, Algorithm::ES256).err(),
        not_on_curve
    );
    assert_eq!(
        EcdsaVerifier::from_jwk(&bad, Algorithm::ES256).err(),
        not_on_curve
    );
    assert_eq!(EcdsaBackend.public_key(&bad).err(), not_on_curve);
    // On every curve, a point with y flipped is refused.
    for (alg, _) in CURVES {
        let public = keypair(alg).1.public_jwk();
        let KeyMaterial::Ec(ec) = &public.material else {
            panic!("not EC")
        };
        let mut y = ec.y.clone();
        let last = y.len() - 1;
        y[last] ^= 1;
        assert_eq!(
            EcdsaVerifier::new(alg, &ec.x, &y).err(),
            not_on_curve,
            "{alg}"
        );
    }
}

#[test]
fn coordinates_at_or_above_p_are_out_of_range() {
    let key = jwk(A3_KEY);
    let KeyMaterial::Ec(ec) = &key.material else {
        panic!("not EC")
    };
    let p = hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    assert_eq!(tessera_codec::EcCurve::P256.field_prime(), p.as_slice());
    let out_of_range = Some(KeyError::Rejected(KeyRule::CoordinateRange));
    for (x, y) in [
        (p.clone(), ec.y.clone()),
        (ec.x.clone(), p.clone()),
        (vec![0xff; 32], vec![0xff; 32]),
    ] {
        assert_eq!(
            EcdsaVerifier::new(Algorithm::ES256, &x, &y).err(),
            out_of_range
        );
        // The codec refuses it in a JWK with the same error, public or private, and
        // Backend::public_key does too.
        for private in [false, true] {
            let mut bad = key.clone();
            let KeyMaterial::Ec(bad_ec) = &mut bad.material else {
                panic!("not EC")
            };
            (bad_ec.x, bad_ec.y) = (x.clone(), y.clone());
            if !private {
                bad_ec.d = None;
            }
            assert_eq!(
                EcdsaBackend.verifier(&bad, Algorithm::ES256).err(),
                out_of_range
            );
            assert_eq!(EcdsaBackend.public_key(&bad).err(), out_of_range);
            if private {
                assert_eq!(
                    EcdsaBackend.signer(&bad, Algorithm::ES256).err(),
                    out_of_range
                );
            }
        }
    }
}

#[test]
fn raw_and_jwk_constructors_refuse_a_scalar_alike() {
    // d = 0 and d = n in a JWK (the codec's rule) and as raw bytes (the same rule, called by
    // the backend) give one error.
    for (alg, n) in CURVES {
        let key = EcdsaBackend.generate(KeySpec::new(alg)).unwrap();
        for d in [vec![0u8; hex(n).len()], hex(n)] {
            let mut bad = key.clone();
            let KeyMaterial::Ec(ec) = &mut bad.material else {
                panic!("not EC")
            };
            ec.d = Some(Secret::new(d.clone()));
            let expected = Some(KeyError::Rejected(KeyRule::ScalarRange));
            assert_eq!(EcdsaSigner::new(alg, &d).err(), expected, "{alg}");
            assert_eq!(EcdsaSigner::from_jwk(&bad, alg).err(), expected, "{alg}");
            assert_eq!(EcdsaVerifier::from_jwk(&bad, alg).err(), expected, "{alg}");
            assert_eq!(EcdsaBackend.public_key(&bad).err(), expected, "{alg}");
        }
    }
}

#[test]
fn coordinates_of_wrong_length_are_invalid() {
    assert_eq!(
        EcdsaVerifier::new(Algorithm::ES256, &[1; 31], &[1; 32]).err(),
        Some(KeyError::Invalid(
            "P-256 coordinates are 31 and 32 bytes, the curve needs 32".into()
        ))
    );
}

#[test]
fn sec1_pem_without_public_key_signs_and_public_key_derives_xy() {
    let private = Jwk::from_pem(A3_SEC1_NO_PUBLIC).unwrap();
    let KeyMaterial::Ec(ec) = &private.material else {
        panic!("not EC")
    };
    assert!(ec.x.is_empty() && ec.y.is_empty());
    let signer = EcdsaBackend.signer(&private, Algorithm::ES256).unwrap();
    let mut sig = Vec::new();
    signer.sign(b"a.b", &mut sig).unwrap();

    let public = EcdsaBackend.public_key(&private).unwrap();
    assert_eq!(public, jwk(A3_KEY).to_public().unwrap());
    assert!(!public.is_private());
    let verifier = EcdsaBackend.verifier(&public, Algorithm::ES256).unwrap();
    assert_eq!(verifier.verify(b"a.b", &sig), Ok(()));
    assert!(verify_jws(A3_TOKEN, &verifier, &Validation::new()).is_ok());
    // A verifier straight from the PEM key derives the point as well.
    let from_private = EcdsaBackend.verifier(&private, Algorithm::ES256).unwrap();
    assert!(verify_jws(A3_TOKEN, &from_private, &Validation::new()).is_ok());
}

#[test]
fn public_key_keeps_members_and_filters_key_ops() {
    let mut key = jwk(RFC7520_KEY);
    key.key_ops = Some(vec!["sign".into(), "verify".into()]);
    let public = EcdsaBackend.public_key(&key).unwrap();
    assert_eq!(
        public.kid.as_deref(),
        Some("bilbo.baggins@hobbiton.example")
    );
    assert_eq!(public.key_use.as_deref(), Some("sig"));
    assert_eq!(public.key_ops, Some(vec!["verify".to_owned()]));
    assert_eq!(public, key.to_public().unwrap());
}

#[test]
fn non_ecdsa_algorithms_and_keys_are_refused() {
    let key = jwk(A3_KEY);
    assert_eq!(
        EcdsaBackend.verifier(&key, Algorithm::HS256).err(),
        Some(KeyError::Unsupported {
            backend: "tessera-ecdsa",
            alg: Algorithm::HS256
        })
    );
    assert_eq!(
        EcdsaBackend.generate(KeySpec::new(Algorithm::EdDSA)).err(),
        Some(KeyError::Unsupported {
            backend: "tessera-ecdsa",
            alg: Algorithm::EdDSA
        })
    );
    assert_eq!(
        EcdsaSigner::new(Algorithm::RS256, &[1; 32])
            .err()
            .map(|e| e.to_string()),
        Some("backend tessera-ecdsa EcdsaSigner does not support RS256".into())
    );
    // The typed constructors name their type.
    assert_eq!(
        EcdsaVerifier::from_jwk(&key, Algorithm::HS256).err(),
        Some(KeyError::Unsupported {
            backend: "tessera-ecdsa EcdsaVerifier",
            alg: Algorithm::HS256
        })
    );
    assert_eq!(
        EcdsaSigner::from_jwk(&key, Algorithm::EdDSA).err(),
        Some(KeyError::Unsupported {
            backend: "tessera-ecdsa EcdsaSigner",
            alg: Algorithm::EdDSA
        })
    );
    assert_eq!(
        EcdsaVerifier::new(Algorithm::PS256, &[1; 32], &[1; 32]).err(),
        Some(KeyError::Unsupported {
            backend: "tessera-ecdsa EcdsaVerifier",
            alg: Algorithm::PS256
        })
    );
    assert_eq!(
        EcdsaBackend
            .signer(&Jwk::oct(vec![7u8; 64]), Algorithm::ES256)
            .err(),
        Some(KeyError::WrongKeyType {
            alg: Algorithm::ES256,
            kty: "oct"
        })
    );
    assert_eq!(
        EcdsaBackend
            .signer(&key.to_public().unwrap(), Algorithm::ES256)
            .err(),
        Some(KeyError::NotPrivate)
    );
    let bound = jwk(A3_KEY).with_alg(Algorithm::ES256);
    assert!(EcdsaBackend.signer(&bound, Algorithm::ES256).is_ok());
}

#[test]
fn kid_comes_from_the_jwk_or_with_kid() {
    let signer = EcdsaSigner::from_jwk(&jwk(RFC7520_KEY), Algorithm::ES512).unwrap();
    assert_eq!(signer.key_id(), Some("bilbo.baggins@hobbiton.example"));
    assert_eq!(
        signer.verifier().key_id(),
        Some("bilbo.baggins@hobbiton.example")
    );
    let signer = signer.with_kid("k2");
    assert_eq!(signer.key_id(), Some("k2"));
    let verifier = signer.verifier().with_kid("k3");
    assert_eq!(verifier.key_id(), Some("k3"));
    assert_eq!(verifier.public_jwk().kid.as_deref(), Some("k3"));
    assert_eq!(verifier.public_jwk().alg.as_deref(), Some("ES512"));
}

#[test]
fn debug_hides_private_scalar() {
    let signer = EcdsaSigner::new(Algorithm::ES256, &hex(RFC6979_P256_D)).unwrap();
    let d = format!("{signer:?}");
    assert!(
        d.contains("ES256") && d.contains("P256") && !d.to_lowercase().contains("c9afa9"),
        "{d}"
    );
    assert!(!d.contains(&b64::encode(&hex(RFC6979_P256_D))[..8]), "{d}");
    let v = format!("{:?}", signer.verifier());
    assert!(v.contains(&b64::encode(&hex(RFC6979_P256_UX))), "{v}");
}

#[test]
fn backend_describes_itself() {
    assert_eq!(EcdsaBackend.name(), "tessera-ecdsa");
    assert_eq!(EcdsaBackend.algorithms(), ALGORITHMS);
    for alg in Algorithm::ALL {
        assert_eq!(
            EcdsaBackend.supports(alg),
            alg.family() == tessera_codec::Family::Ecdsa,
            "{alg}"
        );
    }
    // Curve size is fixed; KeySpec::bits is ignored.
    let key = EcdsaBackend
        .generate(KeySpec::new(Algorithm::ES384).bits(4096))
        .unwrap();
    assert_eq!(key.curve_name(), Some("P-384"));
}
