// Unit tests: this module is declared under #[cfg(test)] only.
#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use super::*;
use tessera::KeyRule;

#[test]
fn corpus_reads_and_names_are_unique() {
    let entries = corpus().unwrap();
    assert!(entries.len() >= 60, "{} entries", entries.len());
    let akp = entries.iter().filter(|e| e.file == "akp.json").count();
    assert!(akp >= 30, "{akp} AKP entries");
}

#[test]
fn detail_narrows_the_expected_error() {
    let entries = corpus().unwrap();
    let e = entries
        .iter()
        .find(|e| e.name == "ml_dsa_44_seed_31_bytes")
        .unwrap();
    assert_eq!(e.detail.as_deref(), Some("member priv is"));
    let right = KeyError::Invalid("JWK member priv is 31 bytes, ML-DSA-44 needs 32".into());
    let wrong = KeyError::Invalid("JWK member pub is 1311 bytes, ML-DSA-44 needs 1312".into());
    assert!(is_expected(e, &right));
    assert!(!is_expected(e, &wrong));
    assert!(!is_expected(e, &KeyError::NotPrivate));
}

#[test]
fn every_required_class_has_entries() {
    let entries = corpus().unwrap();
    for &class in CLASSES {
        assert!(
            entries.iter().any(|e| e.class == class),
            "no entry of class {class}"
        );
    }
}

#[test]
fn expected_errors_name_real_variants() {
    let known: Vec<String> = [
        KeyError::Rejected(KeyRule::Ed25519SmallOrder),
        KeyError::Rejected(KeyRule::Ed25519NonCanonical),
        KeyError::Rejected(KeyRule::CoordinateRange),
        KeyError::Rejected(KeyRule::NotOnCurve),
        KeyError::Rejected(KeyRule::ScalarRange),
        KeyError::Rejected(KeyRule::PublicMismatch),
        KeyError::Rejected(KeyRule::RsaExponent),
        KeyError::Rejected(KeyRule::RsaModulusEven),
        KeyError::Rejected(KeyRule::RsaModulusTooLarge),
        KeyError::TooWeak {
            alg: Algorithm::HS256,
            bits: 8,
            min: 256,
        },
        KeyError::WrongKeyType {
            alg: Algorithm::HS256,
            kty: "RSA",
        },
        KeyError::WrongCurve {
            alg: Algorithm::ES256,
            expected: "P-256",
            found: "P-384",
        },
        KeyError::Invalid(String::new()),
        KeyError::UnsupportedKey(String::new()),
        KeyError::AlgorithmMismatch {
            alg: Algorithm::MlDsa65,
            key_alg: "ML-DSA-44".into(),
        },
    ]
    .iter()
    .map(error_name)
    .collect();
    for e in corpus().unwrap() {
        assert!(known.contains(&e.expected), "{}: {}", e.name, e.expected);
    }
}

#[test]
fn error_name_is_the_variant() {
    assert_eq!(
        error_name(&KeyError::Rejected(KeyRule::Ed25519SmallOrder)),
        "Rejected(Ed25519SmallOrder)"
    );
    assert_eq!(error_name(&KeyError::Invalid("x (y)".into())), "Invalid");
    assert_eq!(error_name(&KeyError::NotPrivate), "NotPrivate");
    assert_eq!(
        error_name(&KeyError::TooWeak {
            alg: Algorithm::RS256,
            bits: 1024,
            min: 2048
        }),
        "TooWeak"
    );
}

#[test]
fn every_key_is_readable_except_where_the_reader_refuses_it_as_expected() {
    for e in corpus().unwrap() {
        if let Err(err) = e.jwk() {
            assert!(is_expected(&e, &err), "{}: {err}", e.name);
        }
    }
}

#[test]
fn small_order_tokens_carry_the_base_point_and_s_one() {
    let mut r_and_s = [0u8; 64];
    r_and_s[0] = 0x58;
    r_and_s[1..32].fill(0x66);
    r_and_s[32] = 1;
    for e in corpus().unwrap() {
        if e.class != "ed25519_small_order" {
            continue;
        }
        let token = e.tokens.first().unwrap();
        let mut parts = token.split('.');
        let header = b64::decode(parts.next().unwrap().as_bytes()).unwrap();
        let payload = b64::decode(parts.next().unwrap().as_bytes()).unwrap();
        let sig = b64::decode(parts.next().unwrap().as_bytes()).unwrap();
        assert_eq!(header, br#"{"alg":"EdDSA"}"#, "{}", e.name);
        assert_eq!(payload, PAYLOAD.as_bytes(), "{}", e.name);
        assert_eq!(sig, r_and_s, "{}", e.name);
    }
}

#[test]
fn table_marks_failures_and_unsupported_backends() {
    let backends = crate::backends();
    let Some(first) = backends.first() else {
        return;
    };
    let case = Case {
        name: "example".into(),
        class: "example".into(),
        alg: Algorithm::HS256,
        expected: Expected::Refuse {
            error: "TooWeak".into(),
            stage: Stage::Construction,
        },
        runs: vec![BackendRun {
            backend: first.name(),
            ops: vec![(
                Op::Verifier,
                Outcome::Built {
                    accepted: 1,
                    tokens: 1,
                },
            )],
            verdict: Verdict::Fail("built".into()),
        }],
        failures: vec!["built".into()],
    };
    let t = table(&[case], &backends);
    assert!(t.contains("!ACCEPTED 1/1"), "{t}");
    assert!(t.contains("FAIL"), "{t}");
    assert!(backends.len() == 1 || t.contains("  -"), "{t}");
}
