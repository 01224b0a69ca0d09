// Unit tests: this module is declared under #[cfg(test)] only.
//! Unit tests of an ML-DSA backend: the RFC 9964 Appendix A examples, key rules, signing modes.
//! Shared by tessera-mldsa and tessera-fips204 (compiled into both with `#[path]`); each crate
//! names its types and its error strings in its own `own` module.

use crate::own::{BACKEND_NAME, SIGNER_TYPE, TheBackend, TheSigner, TheVerifier, VERIFIER_TYPE};
use tessera_codec::{
    AkpKey, Algorithm, Backend, Clock, Encoder, Jwk, KeyError, KeyMaterial, KeyRule, KeySpec,
    KeyUse, SignatureError, Signer, Validation, Verifier, b64, verify, verify_jws,
};

const ALGS: [Algorithm; 3] = [Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

/// The RFC 9964 Appendix A example for `alg` (the conformance crate's copy): its JWK (with the
/// all-zero seed as `priv`), signing input and signature.
fn example(alg: Algorithm) -> (Jwk, String, String) {
    let text = match alg {
        Algorithm::MlDsa44 => {
            include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-44.json")
        }
        Algorithm::MlDsa65 => {
            include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-65.json")
        }
        _ => include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-87.json"),
    };
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
    (
        key,
        v["signing_input"].as_str().unwrap().to_owned(),
        v["signature"].as_str().unwrap().to_owned(),
    )
}

fn validation() -> Validation {
    Validation::new().clock(Clock::Fixed(1_700_000_000))
}

#[test]
fn rfc9964_examples_verify() {
    for alg in ALGS {
        let (key, input, sig) = example(alg);
        let public = key.to_public().unwrap();
        let verifier = TheVerifier::from_jwk(&public, alg).unwrap();
        let token = format!("{input}.{sig}");
        assert!(
            verify_jws(&token, &verifier, &Validation::new()).is_ok(),
            "{alg}"
        );
        assert_eq!(
            b64::decode(sig.as_bytes()).unwrap().len(),
            alg.fixed_signature_len().unwrap()
        );
    }
}

#[test]
fn rfc9964_seed_gives_the_published_public_key() {
    for alg in ALGS {
        let (key, _, _) = example(alg);
        let KeyMaterial::Akp(akp) = &key.material else {
            panic!("{alg}: not AKP")
        };
        let seed = akp.seed.as_ref().unwrap();
        assert_eq!(seed.expose(), &[0u8; 32], "{alg}");
        let signer = TheSigner::new(alg, seed.expose()).unwrap();
        assert_eq!(signer.public_key(), akp.public, "{alg}");
    }
}

#[test]
fn rfc9964_deterministic_signing_reproduces_the_examples() {
    for alg in ALGS {
        let (key, input, sig) = example(alg);
        let signer = TheSigner::from_jwk(&key, alg).unwrap();
        let mut out = Vec::new();
        signer.sign(input.as_bytes(), &mut out).unwrap();
        assert_eq!(b64::encode(&out), sig, "{alg}");
    }
}

#[test]
fn round_trip_every_parameter_set() {
    for alg in ALGS {
        let key = TheBackend.generate(KeySpec::new(alg)).unwrap();
        assert_eq!(key.alg.as_deref(), Some(alg.name()));
        let token = Encoder::new(TheBackend.signer(&key, alg).unwrap())
            .encode(&serde_json::json!({"sub": "a", "exp": 2_000_000_000}))
            .unwrap();
        let public = TheBackend.public_key(&key).unwrap();
        let verifier = TheBackend.verifier(&public, alg).unwrap();
        assert!(verify(&token, &verifier, &validation()).is_ok(), "{alg}");
    }
}

#[test]
fn deterministic_by_default_hedged_on_request() {
    let alg = Algorithm::MlDsa44;
    let (key, input, _) = example(alg);
    let signer = TheSigner::from_jwk(&key, alg).unwrap();
    assert!(!signer.is_hedged());
    let sign = |s: &TheSigner| {
        let mut out = Vec::new();
        s.sign(input.as_bytes(), &mut out).unwrap();
        out
    };
    assert_eq!(sign(&signer), sign(&signer));
    let hedged = signer.clone().hedged(true);
    let (a, b) = (sign(&hedged), sign(&hedged));
    assert_ne!(a, b);
    let verifier = signer.verifier().unwrap();
    assert_eq!(verifier.verify(input.as_bytes(), &a), Ok(()));
    assert_eq!(verifier.verify(input.as_bytes(), &b), Ok(()));
}

#[test]
fn tampered_and_misplaced_signatures_refused() {
    let alg = Algorithm::MlDsa65;
    let (key, input, sig) = example(alg);
    let verifier = TheVerifier::from_jwk(&key, alg).unwrap();
    let mut sig = b64::decode(sig.as_bytes()).unwrap();
    assert_eq!(verifier.verify(input.as_bytes(), &sig), Ok(()));
    assert_eq!(
        verifier.verify(b"another input", &sig),
        Err(SignatureError::Invalid)
    );
    sig[100] ^= 1;
    assert_eq!(
        verifier.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
    // The hint part of the signature (its last bytes) set to all ones does not decode.
    let n = sig.len();
    sig[n - 10..].fill(0xff);
    assert_eq!(
        verifier.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        verifier.verify(input.as_bytes(), &sig[1..]),
        Err(SignatureError::Length {
            expected: 3309,
            found: 3308
        })
    );
}

#[test]
fn key_is_bound_to_its_parameter_set() {
    let (key, _, _) = example(Algorithm::MlDsa44);
    assert_eq!(
        TheVerifier::from_jwk(&key, Algorithm::MlDsa65).unwrap_err(),
        KeyError::AlgorithmMismatch {
            alg: Algorithm::MlDsa65,
            key_alg: "ML-DSA-44".into()
        }
    );
    assert_eq!(
        TheSigner::from_jwk(&key, Algorithm::EdDSA).unwrap_err(),
        KeyError::Unsupported {
            backend: SIGNER_TYPE,
            alg: Algorithm::EdDSA
        }
    );
    assert_eq!(
        TheBackend.verifier(&key, Algorithm::ES256).unwrap_err(),
        KeyError::Unsupported {
            backend: BACKEND_NAME,
            alg: Algorithm::ES256
        }
    );
    let public = key.to_public().unwrap();
    assert_eq!(
        TheSigner::from_jwk(&public, Algorithm::MlDsa44).unwrap_err(),
        KeyError::NotPrivate
    );
}

#[test]
fn private_key_with_foreign_public_key_refused() {
    let alg = Algorithm::MlDsa44;
    let (key, _, _) = example(alg);
    let mut wrong = key.clone();
    if let KeyMaterial::Akp(k) = &mut wrong.material {
        k.public[0] ^= 1;
    }
    let mismatch = KeyError::Rejected(KeyRule::PublicMismatch);
    assert_eq!(TheSigner::from_jwk(&wrong, alg).unwrap_err(), mismatch);
    assert_eq!(TheVerifier::from_jwk(&wrong, alg).unwrap_err(), mismatch);
    assert_eq!(TheBackend.public_key(&wrong).unwrap_err(), mismatch);
}

#[test]
fn seed_only_private_key_has_its_public_key_derived() {
    let alg = Algorithm::MlDsa87;
    let (key, input, sig) = example(alg);
    let KeyMaterial::Akp(akp) = &key.material else {
        panic!()
    };
    let seed_only = Jwk::new(KeyMaterial::Akp(AkpKey {
        alg,
        public: Vec::new(),
        seed: akp.seed.clone(),
    }));
    assert!(seed_only.check_for(alg, KeyUse::Sign).is_ok());
    let public = TheBackend.public_key(&seed_only).unwrap();
    assert_eq!(public.material, key.to_public().unwrap().material);
    let verifier = TheBackend.verifier(&seed_only, alg).unwrap();
    let token = format!("{input}.{sig}");
    assert!(verify_jws(&token, &verifier, &Validation::new()).is_ok());
    // Through PKCS#8 (seed form) and back.
    let pem = key.to_private_pem().unwrap();
    let back = Jwk::from_pem(&pem).unwrap();
    assert_eq!(back.material, seed_only.material);
}

#[test]
fn raw_constructors_check_lengths() {
    assert!(matches!(
        TheVerifier::new(Algorithm::MlDsa44, &[0u8; 1311]),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        TheSigner::new(Algorithm::MlDsa44, &[0u8; 31]),
        Err(KeyError::Invalid(_))
    ));
    assert_eq!(
        TheVerifier::new(Algorithm::HS256, &[0u8; 32]).unwrap_err(),
        KeyError::Unsupported {
            backend: VERIFIER_TYPE,
            alg: Algorithm::HS256
        }
    );
}

#[test]
fn debug_shows_no_secret() {
    let (key, _, _) = example(Algorithm::MlDsa44);
    let signer = TheSigner::from_jwk(&key, Algorithm::MlDsa44).unwrap();
    let text = format!("{signer:?}");
    assert!(
        text.contains("MlDsa44") && !text.contains("AAAAAAAA"),
        "{text}"
    );
}
