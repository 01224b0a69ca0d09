//! Every key refusal with its exact error: the codec's RSA rules (size, modulus, exponent), key
//! types and algorithms, private keys whose members do not fit together.

use super::*;

#[test]
fn key_under_2048_bits_is_too_weak() {
    // A 1024-bit modulus: the top half of the RFC 7515 A.2 modulus (its top bit is set).
    let key = with_rsa(&jwk(A2_KEY), |k| {
        k.n.truncate(128);
        k.private = None;
    });
    for alg in [Algorithm::RS256, Algorithm::PS512] {
        let weak = Err(KeyError::TooWeak {
            alg,
            bits: 1024,
            min: 2048,
        });
        assert_eq!(RsaVerifier::from_jwk(&key, alg).map(|_| ()), weak);
        assert_eq!(RsaSigner::from_jwk(&key, alg).map(|_| ()), weak);
        assert_eq!(RsaVerifier::new(alg, &rsa_of(&key)).map(|_| ()), weak);
    }
}

#[test]
fn modulus_over_8192_bits_is_refused_and_8192_accepted() {
    let huge = |bytes: usize, top: u8| {
        let mut n = vec![0xffu8; bytes];
        n[0] = top;
        RsaKey {
            n,
            e: vec![1, 0, 1],
            private: None,
        }
    };
    let too_large = Err(KeyError::Rejected(KeyRule::RsaModulusTooLarge));
    let over = huge(1025, 0x01);
    assert_eq!(over.bits(), 8193);
    assert_eq!(
        RsaVerifier::from_jwk(&Jwk::new(KeyMaterial::Rsa(over.clone())), Algorithm::RS256)
            .map(|_| ()),
        too_large
    );
    assert_eq!(
        RsaVerifier::new(Algorithm::RS256, &over).map(|_| ()),
        too_large
    );
    // The 16384-bit modulus this backend used to accept.
    assert_eq!(
        RsaVerifier::new(Algorithm::RS256, &huge(2048, 0x80)).map(|_| ()),
        too_large
    );
    let max = huge(1024, 0x80);
    assert_eq!(max.bits(), MAX_RSA_BITS);
    let v =
        RsaVerifier::from_jwk(&Jwk::new(KeyMaterial::Rsa(max.clone())), Algorithm::RS256).unwrap();
    assert_eq!(v.signature_len(), 1024);
    assert_eq!(
        RsaVerifier::new(Algorithm::RS256, &max)
            .unwrap()
            .signature_len(),
        1024
    );
}

#[test]
fn public_exponent_must_be_odd_and_at_most_2_pow_33_minus_1() {
    let key = jwk(RFC7520_KEY);
    let exponent = Err(KeyError::Rejected(KeyRule::RsaExponent));
    for e in [vec![2, 0, 0, 0, 1], vec![1; 9], vec![0x7f; 64], vec![1]] {
        let k = with_rsa(&key, |k| {
            k.e = e;
            k.private = None;
        });
        assert_eq!(
            RsaVerifier::from_jwk(&k, Algorithm::RS256).map(|_| ()),
            exponent
        );
        assert_eq!(
            RsaVerifier::new(Algorithm::RS256, &rsa_of(&k)).map(|_| ()),
            exponent
        );
    }
    // The largest allowed exponent is accepted.
    let k = with_rsa(&key, |k| {
        k.e = vec![1, 0xff, 0xff, 0xff, 0xff];
        k.private = None;
    });
    assert!(RsaVerifier::from_jwk(&k, Algorithm::RS256).is_ok());
    let even = with_rsa(&key, |k| {
        k.e = vec![1, 0, 0];
        k.private = None;
    });
    assert_eq!(
        RsaVerifier::from_jwk(&even, Algorithm::RS256).map(|_| ()),
        exponent
    );
    let even_n = with_rsa(&key, |k| {
        if let Some(last) = k.n.last_mut() {
            *last &= 0xfe;
        }
        k.private = None;
    });
    let modulus_even = Err(KeyError::Rejected(KeyRule::RsaModulusEven));
    assert_eq!(
        RsaVerifier::from_jwk(&even_n, Algorithm::RS256).map(|_| ()),
        modulus_even
    );
    assert_eq!(
        RsaSigner::new(
            Algorithm::RS256,
            &rsa_of(&with_rsa(&key, |k| {
                if let Some(last) = k.n.last_mut() {
                    *last &= 0xfe;
                }
            }))
        )
        .map(|_| ()),
        modulus_even
    );
}

#[test]
fn ec_and_oct_keys_are_wrong_key_type() {
    let ec = Jwk::from_json(br#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#).unwrap();
    let oct = Jwk::oct(vec![7u8; 64]);
    for (key, kty) in [(&ec, "EC"), (&oct, "oct")] {
        let wrong = Some(KeyError::WrongKeyType {
            alg: Algorithm::PS256,
            kty,
        });
        assert_eq!(RsaBackend.signer(key, Algorithm::PS256).err(), wrong);
        assert_eq!(RsaBackend.verifier(key, Algorithm::PS256).err(), wrong);
    }
}

#[test]
fn non_rsa_algorithms_are_unsupported() {
    let key = jwk(A2_KEY);
    for alg in [Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA] {
        let unsupported = KeyError::Unsupported {
            backend: "tessera-rsa",
            alg,
        };
        assert_eq!(
            RsaBackend.verifier(&key, alg).err(),
            Some(unsupported.clone())
        );
        assert_eq!(RsaSigner::new(alg, &rsa_of(&key)).err(), Some(unsupported));
    }
}

#[test]
fn public_jwk_cannot_sign() {
    let public = jwk(A2_KEY).to_public().unwrap();
    assert_eq!(
        RsaBackend.signer(&public, Algorithm::RS256).err(),
        Some(KeyError::NotPrivate)
    );
    assert_eq!(
        RsaSigner::new(Algorithm::RS256, &rsa_of(&public)).err(),
        Some(KeyError::NotPrivate)
    );
}

#[test]
fn private_key_with_only_d_recovers_primes_and_signs_identically() {
    let key = jwk(A2_KEY);
    let only_d = with_rsa(&key, |k| {
        if let Some(p) = &mut k.private {
            p.primes = None;
        }
    });
    let mut a = Vec::new();
    RsaSigner::from_jwk(&only_d, Algorithm::RS256)
        .unwrap()
        .sign(b"h.p", &mut a)
        .unwrap();
    let mut b = Vec::new();
    RsaSigner::from_jwk(&key, Algorithm::RS256)
        .unwrap()
        .sign(b"h.p", &mut b)
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn private_key_with_only_d_and_small_e_is_unsupported() {
    let key = with_rsa(&jwk(A2_KEY), |k| {
        k.e = vec![3];
        if let Some(p) = &mut k.private {
            p.primes = None;
        }
    });
    assert_eq!(
        RsaSigner::from_jwk(&key, Algorithm::RS256).err(),
        Some(KeyError::UnsupportedKey(
            "RSA private key without p and q: recovering them needs e > 65536".into()
        ))
    );
}

#[test]
fn hostile_private_exponents_without_primes_are_refused_not_panics() {
    let key = jwk(A2_KEY);
    let n = rsa_of(&key).n;
    let mut n_minus_1 = n.clone();
    if let Some(last) = n_minus_1.last_mut() {
        *last -= 1;
    }
    let unrecoverable = KeyError::Invalid(
        "RSA private key without p and q: d does not fit n and e, the primes cannot be recovered"
            .into(),
    );
    let cases: [(Vec<u8>, KeyError); 6] = [
        (
            vec![0],
            KeyError::Invalid("RSA private exponent d is zero".into()),
        ),
        (vec![1], unrecoverable.clone()),
        (vec![2], unrecoverable.clone()),
        (vec![0xab; 200], unrecoverable.clone()),
        (n_minus_1, unrecoverable),
        (
            [vec![1], n].concat(),
            KeyError::Invalid("RSA private member d is longer than n".into()),
        ),
    ];
    for (d, err) in cases {
        let k = with_rsa(&key, |k| {
            k.private = Some(RsaPrivate {
                d: Secret::new(d),
                primes: None,
            });
        });
        assert_eq!(RsaSigner::from_jwk(&k, Algorithm::RS256).err(), Some(err));
    }
}

#[test]
fn inconsistent_private_members_are_refused() {
    let key = jwk(A2_KEY);
    let crt = KeyError::Invalid("RSA CRT members dp, dq, qi do not match p, q and d".into());
    let edit = |f: &dyn Fn(&mut RsaPrivate)| {
        with_rsa(&key, |k| {
            if let Some(p) = &mut k.private {
                f(p);
            }
        })
    };
    let flip = |s: &Secret| {
        let mut v = s.expose().to_vec();
        if let Some(last) = v.last_mut() {
            *last ^= 2;
        }
        Secret::new(v)
    };
    let cases: Vec<(Jwk, KeyError)> = vec![
        (
            edit(&|p| {
                if let Some(c) = &mut p.primes {
                    c.dp = flip(&c.dp);
                }
            }),
            crt.clone(),
        ),
        (
            edit(&|p| {
                if let Some(c) = &mut p.primes {
                    c.dq = flip(&c.dq);
                }
            }),
            crt.clone(),
        ),
        (
            edit(&|p| {
                if let Some(c) = &mut p.primes {
                    c.qi = flip(&c.qi);
                }
            }),
            crt,
        ),
        (
            edit(&|p| p.d = flip(&p.d)),
            KeyError::Invalid("RSA key: invalid exponent".into()),
        ),
        (
            edit(&|p| {
                if let Some(c) = &mut p.primes {
                    c.p = flip(&c.p);
                }
            }),
            KeyError::Invalid("RSA key: invalid modulus".into()),
        ),
        (
            // p = 1, q = n: the product is right, the factors are not.
            edit(&|p| {
                if let Some(c) = &mut p.primes {
                    c.p = Secret::new(vec![1]);
                    c.q = Secret::new(rsa_of(&jwk(A2_KEY)).n);
                }
            }),
            KeyError::Invalid("RSA key: invalid prime value".into()),
        ),
    ];
    for (k, err) in cases {
        assert_eq!(RsaSigner::from_jwk(&k, Algorithm::RS256).err(), Some(err));
    }
}

#[test]
fn random_private_members_are_refused_not_panics() {
    // A fixed xorshift stream, so any failure reproduces.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut bytes = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_be_bytes()[0]
            })
            .collect()
    };
    let key = jwk(A2_KEY);
    for round in 0..40 {
        let d = bytes(1 + round * 6);
        let with_primes = round % 2 == 0;
        let primes = with_primes.then(|| RsaPrimes {
            p: Secret::new(bytes(128)),
            q: Secret::new(bytes(128)),
            dp: Secret::new(bytes(128)),
            dq: Secret::new(bytes(128)),
            qi: Secret::new(bytes(128)),
        });
        let k = with_rsa(&key, |k| {
            k.private = Some(RsaPrivate {
                d: Secret::new(d),
                primes,
            });
        });
        let err = RsaSigner::from_jwk(&k, Algorithm::RS256).err();
        assert!(
            matches!(err, Some(KeyError::Invalid(_))),
            "round {round}: {err:?}"
        );
    }
}
