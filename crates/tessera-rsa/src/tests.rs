//! Unit tests: published vectors (RFC 7515 A.2, RFC 7520 §4.1 and §4.2; see
//! `tests/data/README.md`), round trips, and every refusal with its exact error.

use super::*;
use rsa::sha2::Digest;
use std::sync::OnceLock;
use tessera_codec::{Encoder, Validation, b64, verify, verify_jws};

const A2_KEY: &str = include_str!("../tests/data/rfc7515_a2_key.json");
const A2_TOKEN: &str = include_str!("../tests/data/rfc7515_a2_token.txt");
const RFC7520_KEY: &str = include_str!("../tests/data/rfc7520_key.json");
const RFC7520_RS256: &str = include_str!("../tests/data/rfc7520_4_1_rs256_token.txt");
const RFC7520_PS384: &str = include_str!("../tests/data/rfc7520_4_2_ps384_token.txt");

fn jwk(json: &str) -> Jwk {
    Jwk::from_json(json.as_bytes()).unwrap()
}

fn rsa_of(key: &Jwk) -> RsaKey {
    match &key.material {
        KeyMaterial::Rsa(k) => k.clone(),
        other => panic!("not RSA: {other:?}"),
    }
}

fn with_rsa(key: &Jwk, f: impl FnOnce(&mut RsaKey)) -> Jwk {
    let mut k = rsa_of(key);
    f(&mut k);
    Jwk::new(KeyMaterial::Rsa(k))
}

/// The one key this suite generates (2048 bits), shared by the tests that need a fresh key.
fn generated() -> &'static Jwk {
    static KEY: OnceLock<Jwk> = OnceLock::new();
    KEY.get_or_init(|| RsaBackend.generate(KeySpec::new(Algorithm::PS256)).unwrap())
}

/// Signs the token's signing input and checks the result is the token's signature, byte for
/// byte; then verifies the published token through the codec.
fn assert_deterministic_vector(key: &Jwk, token: &str, alg: Algorithm) {
    let token = token.trim();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let signer = RsaBackend.signer(key, alg).unwrap();
    let mut out = Vec::new();
    signer.sign(input.as_bytes(), &mut out).unwrap();
    assert_eq!(b64::encode(&out), sig);
    let verifier = RsaBackend.verifier(&key.to_public().unwrap(), alg).unwrap();
    assert_eq!(verifier.signature_len(), 256);
    assert!(verify_jws(token, &verifier, &Validation::new()).is_ok());
}

#[test]
fn rs256_rfc7515_a2_signature_is_reproduced_and_token_verifies() {
    let key = jwk(A2_KEY);
    assert_deterministic_vector(&key, A2_TOKEN, Algorithm::RS256);
    let v = RsaVerifier::from_jwk(&key, Algorithm::RS256).unwrap();
    let verified = verify_jws(A2_TOKEN.trim(), &v, &Validation::new()).unwrap();
    assert_eq!(
        verified.payload(),
        b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
    );
}

#[test]
fn rs256_rfc7520_4_1_signature_is_reproduced_and_token_verifies() {
    let key = jwk(RFC7520_KEY);
    assert_eq!(key.kid.as_deref(), Some("bilbo.baggins@hobbiton.example"));
    assert_deterministic_vector(&key, RFC7520_RS256, Algorithm::RS256);
}

#[test]
fn ps384_rfc7520_4_2_published_signature_verifies() {
    let key = jwk(RFC7520_KEY);
    let v = RsaBackend.verifier(&key, Algorithm::PS384).unwrap();
    assert_eq!(v.key_id(), Some("bilbo.baggins@hobbiton.example"));
    let verified = verify_jws(RFC7520_PS384.trim(), &v, &Validation::new()).unwrap();
    assert!(
        verified
            .payload()
            .starts_with("It\u{2019}s a dangerous business, Frodo".as_bytes())
    );
    let (input, sig) = RFC7520_PS384.trim().rsplit_once('.').unwrap();
    let mut sig = b64::decode(sig.as_bytes()).unwrap();
    assert_eq!(v.verify(input.as_bytes(), &sig), Ok(()));
    sig[17] ^= 0x80;
    assert_eq!(
        v.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn published_rs256_signature_does_not_verify_as_ps256() {
    let key = jwk(RFC7520_KEY);
    let (input, sig) = RFC7520_RS256.trim().rsplit_once('.').unwrap();
    let sig = b64::decode(sig.as_bytes()).unwrap();
    let ps256 = RsaVerifier::from_jwk(&key, Algorithm::PS256).unwrap();
    assert_eq!(
        ps256.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
    let rs384 = RsaVerifier::from_jwk(&key, Algorithm::RS384).unwrap();
    assert_eq!(
        rs384.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn every_algorithm_round_trips_and_rejects_tampering_with_one_generated_key() {
    // Without its `alg` member the generated key may serve all six algorithms.
    let key = &Jwk {
        alg: None,
        ..generated().clone()
    };
    for alg in ALGORITHMS.iter().copied() {
        let s = RsaBackend.signer(key, alg).unwrap();
        let v = RsaBackend.verifier(&key.to_public().unwrap(), alg).unwrap();
        assert_eq!((s.algorithm(), v.algorithm()), (alg, alg));
        let mut sig = Vec::new();
        s.sign(b"a.b", &mut sig).unwrap();
        assert_eq!(sig.len(), 256, "{alg}");
        assert_eq!(v.signature_len(), 256, "{alg}");
        assert_eq!(v.verify(b"a.b", &sig), Ok(()), "{alg}");
        assert_eq!(
            v.verify(b"a.c", &sig),
            Err(SignatureError::Invalid),
            "{alg}"
        );
        let mut bad = sig.clone();
        bad[100] ^= 1;
        assert_eq!(
            v.verify(b"a.b", &bad),
            Err(SignatureError::Invalid),
            "{alg}"
        );
        assert_eq!(
            v.verify(b"a.b", &sig[1..]),
            Err(SignatureError::Length {
                expected: 256,
                found: 255
            }),
            "{alg}"
        );
        let mut long = sig.clone();
        long.insert(0, 0);
        assert_eq!(
            v.verify(b"a.b", &long),
            Err(SignatureError::Length {
                expected: 256,
                found: 257
            }),
            "{alg}"
        );
        assert_eq!(
            v.verify(b"a.b", &[]),
            Err(SignatureError::Length {
                expected: 256,
                found: 0
            }),
            "{alg}"
        );
    }
}

#[test]
fn signature_equal_to_or_above_the_modulus_is_invalid_not_a_panic() {
    let key = jwk(RFC7520_KEY);
    let n = rsa_of(&key).n;
    for alg in [Algorithm::RS256, Algorithm::PS256] {
        let v = RsaVerifier::from_jwk(&key, alg).unwrap();
        assert_eq!(v.verify(b"a.b", &n), Err(SignatureError::Invalid));
        assert_eq!(v.verify(b"a.b", &[0xff; 256]), Err(SignatureError::Invalid));
        assert_eq!(v.verify(b"a.b", &[0; 256]), Err(SignatureError::Invalid));
    }
}

#[test]
fn generate_returns_complete_private_jwk_with_alg() {
    let key = generated();
    assert_eq!(key.alg.as_deref(), Some("PS256"));
    let k = rsa_of(key);
    assert_eq!(k.bits(), 2048);
    assert_eq!(k.e, [1, 0, 1]);
    let private = k.private.as_ref().unwrap();
    let c = private.primes.as_ref().unwrap();
    for (name, s) in [
        ("d", &private.d),
        ("p", &c.p),
        ("q", &c.q),
        ("dp", &c.dp),
        ("dq", &c.dq),
        ("qi", &c.qi),
    ] {
        assert!(!s.is_empty(), "{name}");
    }
    // The JSON form carries every member and loads back to the same key.
    let json = key.to_json();
    for m in [
        "\"n\"", "\"e\"", "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"",
    ] {
        assert!(json.contains(m), "{m}");
    }
    assert_eq!(&Jwk::from_json(json.as_bytes()).unwrap(), key);
    // The `alg` member binds the key: it serves PS256 only.
    assert_eq!(
        RsaBackend.signer(key, Algorithm::RS256).err(),
        Some(KeyError::AlgorithmMismatch {
            alg: Algorithm::RS256,
            key_alg: "PS256".into()
        })
    );
}

#[test]
fn generate_refuses_weak_odd_and_foreign_sizes() {
    assert_eq!(
        RsaBackend.generate(KeySpec::new(Algorithm::RS256).bits(1024)),
        Err(KeyError::TooWeak {
            alg: Algorithm::RS256,
            bits: 1024,
            min: 2048
        })
    );
    for bits in [2049, 8192] {
        assert_eq!(
            RsaBackend.generate(KeySpec::new(Algorithm::RS256).bits(bits)),
            Err(KeyError::Generation(format!(
                "RSA key size {bits} bits: tessera-rsa generates 2048, 3072 or 4096 bits"
            )))
        );
    }
    assert_eq!(
        RsaBackend.generate(KeySpec::new(Algorithm::HS256)),
        Err(KeyError::Unsupported {
            backend: "tessera-rsa",
            alg: Algorithm::HS256
        })
    );
}

#[test]
fn ps256_signature_presented_to_rs256_verifier_of_same_key_is_invalid() {
    let key = jwk(A2_KEY);
    let ps = RsaSigner::from_jwk(&key, Algorithm::PS256).unwrap();
    let rs = RsaVerifier::from_jwk(&key, Algorithm::RS256).unwrap();
    let mut sig = Vec::new();
    ps.sign(b"h.p", &mut sig).unwrap();
    assert_eq!(ps.verifier().verify(b"h.p", &sig), Ok(()));
    assert_eq!(rs.verify(b"h.p", &sig), Err(SignatureError::Invalid));
    // And the other way round.
    let mut sig = Vec::new();
    RsaSigner::from_jwk(&key, Algorithm::RS256)
        .unwrap()
        .sign(b"h.p", &mut sig)
        .unwrap();
    assert_eq!(
        ps.verifier().verify(b"h.p", &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn pss_signatures_are_randomized_and_both_verify() {
    let s = RsaSigner::from_jwk(&jwk(A2_KEY), Algorithm::PS512).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    s.sign(b"h.p", &mut a).unwrap();
    s.sign(b"h.p", &mut b).unwrap();
    assert_ne!(a, b);
    let v = s.verifier();
    assert_eq!(
        (v.verify(b"h.p", &a), v.verify(b"h.p", &b)),
        (Ok(()), Ok(()))
    );
}

#[test]
fn pss_verification_insists_on_salt_as_long_as_the_hash() {
    let s = RsaSigner::from_jwk(&jwk(A2_KEY), Algorithm::PS256).unwrap();
    let v = s.verifier();
    let digest = rsa::sha2::Sha256::digest(b"h.p");
    for salt in [0, 20, 33] {
        let sig = s
            .key
            .sign(rsa::Pss::<rsa::sha2::Sha256>::new_with_salt(salt), &digest)
            .unwrap();
        assert_eq!(
            v.verify(b"h.p", &sig),
            Err(SignatureError::Invalid),
            "{salt}"
        );
    }
    let sig = s
        .key
        .sign(rsa::Pss::<rsa::sha2::Sha256>::new_with_salt(32), &digest)
        .unwrap();
    assert_eq!(v.verify(b"h.p", &sig), Ok(()));
}

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
fn modulus_over_16384_bits_is_refused_and_16384_accepted() {
    let huge = |bytes: usize| {
        let mut n = vec![0xffu8; bytes];
        n[0] = 0x01;
        Jwk::new(KeyMaterial::Rsa(RsaKey {
            n,
            e: vec![1, 0, 1],
            private: None,
        }))
    };
    assert_eq!(
        RsaVerifier::from_jwk(&huge(2049), Algorithm::RS256).map(|_| ()),
        Err(KeyError::UnsupportedKey(
            "RSA modulus of 16385 bits; tessera-rsa accepts at most 16384".into()
        ))
    );
    let mut max = huge(2048);
    if let KeyMaterial::Rsa(k) = &mut max.material {
        k.n[0] = 0x80;
    }
    let v = RsaVerifier::from_jwk(&max, Algorithm::RS256).unwrap();
    assert_eq!(v.signature_len(), 2048);
}

#[test]
fn public_exponent_must_be_odd_and_at_most_2_pow_33_minus_1() {
    let key = jwk(RFC7520_KEY);
    let too_large = Err(KeyError::UnsupportedKey(
        "RSA public exponent larger than 2^33 - 1".into(),
    ));
    for e in [vec![2, 0, 0, 0, 1], vec![1; 9], vec![0x7f; 64]] {
        let k = with_rsa(&key, |k| {
            k.e = e;
            k.private = None;
        });
        assert_eq!(
            RsaVerifier::from_jwk(&k, Algorithm::RS256).map(|_| ()),
            too_large
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
        Err(KeyError::Invalid("RSA key: invalid exponent".into()))
    );
    let even_n = with_rsa(&key, |k| {
        if let Some(last) = k.n.last_mut() {
            *last &= 0xfe;
        }
        k.private = None;
    });
    assert_eq!(
        RsaVerifier::from_jwk(&even_n, Algorithm::RS256).map(|_| ()),
        Err(KeyError::Invalid("RSA key: invalid modulus".into()))
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
fn kid_comes_from_the_jwk_and_with_kid_overrides_it() {
    let key = jwk(RFC7520_KEY);
    let s = RsaSigner::from_jwk(&key, Algorithm::RS256).unwrap();
    assert_eq!(s.key_id(), Some("bilbo.baggins@hobbiton.example"));
    assert_eq!(
        s.verifier().key_id(),
        Some("bilbo.baggins@hobbiton.example")
    );
    let s = s.with_kid("k2");
    assert_eq!(s.key_id(), Some("k2"));
    let v = RsaVerifier::from_jwk(&key, Algorithm::RS256)
        .unwrap()
        .with_kid("k3");
    assert_eq!(v.key_id(), Some("k3"));
    assert_eq!(
        RsaVerifier::new(Algorithm::RS256, &rsa_of(&key))
            .unwrap()
            .key_id(),
        None
    );
}

#[test]
fn encoder_token_verifies_with_validation() {
    let key = jwk(RFC7520_KEY);
    let signer = RsaSigner::from_jwk(&key, Algorithm::PS384).unwrap();
    let verifier = signer.verifier();
    let token = Encoder::new(signer)
        .encode(&serde_json::json!({"sub": "frodo", "exp": 4_000_000_000u64}))
        .unwrap();
    let v = verify(&token, &verifier, &Validation::new()).unwrap();
    assert_eq!(v.algorithm(), Algorithm::PS384);
    assert_eq!(
        v.header().unwrap().kid.as_deref(),
        Some("bilbo.baggins@hobbiton.example")
    );
}

#[test]
fn debug_never_prints_private_material() {
    let key = jwk(A2_KEY);
    let s = RsaSigner::from_jwk(&key, Algorithm::RS256).unwrap();
    let d = format!("{s:?} {:?}", s.verifier());
    assert_eq!(
        d,
        "RsaSigner { alg: RS256, kid: None, bits: 2048, .. } \
         RsaVerifier { alg: RS256, kid: None, bits: 2048, .. }"
    );
}

#[test]
fn backend_describes_itself() {
    assert_eq!(RsaBackend.name(), "tessera-rsa");
    assert_eq!(RsaBackend.library().name, "RustCrypto rsa");
    assert_eq!(RsaBackend.algorithms(), ALGORITHMS);
    assert!(RsaBackend.supports(Algorithm::PS512) && !RsaBackend.supports(Algorithm::ES256));
    let key = jwk(A2_KEY);
    assert_eq!(
        RsaBackend.public_key(&key).unwrap(),
        key.to_public().unwrap()
    );
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
